from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "accountability.assessment"
    label = "assessment"

    def ready(self) -> None:
        from accountability.assessment.current import connect_signals

        connect_signals()
