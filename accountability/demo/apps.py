from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "accountability.demo"
    label = "demo"
