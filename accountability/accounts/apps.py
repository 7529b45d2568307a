from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accountability.accounts"
    label = "accounts"
