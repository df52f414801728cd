from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "nps.accounts"
    verbose_name = "People and roles"
