from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "accountability.audit"
    label = "audit"

    def ready(self) -> None:
        from accountability.common.middleware import access_denied

        access_denied.connect(_audit_access_denied, dispatch_uid="audit.access_denied")


def _audit_access_denied(sender, *, request, detail: str, **kwargs) -> None:
    """A refusal that escaped a view (common.middleware): audited as access_denied."""
    from accountability.audit.services import audit_log

    audit_log(
        actor=getattr(request, "user", None),
        action="access_denied",
        target=("url", "", request.path[:200]),
        request=request,
        outcome="denied",
        detail=detail,
    )
