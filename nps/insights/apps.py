from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "nps.insights"
    verbose_name = "Dashboards, reports and open data"
