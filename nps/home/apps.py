from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "nps.home"
    verbose_name = "Home"
