from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "nps.frameworks"
    verbose_name = "The strategy as data"
