from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "accountability.common"
    label = "common"
