from django.apps import AppConfig
from django.urls import register_converter

from nps.lib.bounds import IdConverter


class CoreConfig(AppConfig):
    name = "nps.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        register_converter(IdConverter, "id")  # before any URL module is read: they use <id:...> for ids
