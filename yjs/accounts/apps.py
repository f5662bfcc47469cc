from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "yjs.accounts"
    label = "accounts"
    verbose_name = "Staff and teams"
