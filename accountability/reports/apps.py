from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "accountability.reports"
    label = "reports"
    verbose_name = "统计"
