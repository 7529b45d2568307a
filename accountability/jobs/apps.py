from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "accountability.jobs"
    verbose_name = "后台任务"
