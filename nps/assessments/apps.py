from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "nps.assessments"
    verbose_name = "Rounds and returns"
