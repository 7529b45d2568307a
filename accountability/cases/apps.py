from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "accountability.cases"
    label = "cases"
