from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "accountability.assessment"
    label = "assessment"
