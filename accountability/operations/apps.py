from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Running the system: preflight, the server launcher, backup and restore, key rotation."""

    name = "accountability.operations"
    label = "operations"
    verbose_name = _("运行维护")
