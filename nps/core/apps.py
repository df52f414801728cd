from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "nps.core"
    label = "core"
    verbose_name = "Core"
