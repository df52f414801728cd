from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "nps.organisations"
    verbose_name = "Organisations"
