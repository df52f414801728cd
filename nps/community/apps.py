from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "nps.community"
    verbose_name = "Exemplars and case studies"
