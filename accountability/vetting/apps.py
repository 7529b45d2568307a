from django.apps import AppConfig


class VettingConfig(AppConfig):
    name = "accountability.vetting"
    label = "vetting"

    def ready(self) -> None:
        # The register follows every decision version in the transaction that writes it.
        from accountability.vetting import signals  # noqa: F401
