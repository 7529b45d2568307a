"""The one domain error type, mapped to HTTP 4xx in one place (common/middleware.py).

It carries a stable code, the field at fault and a Chinese message that a
user can act on. Messages are usually lazy translations (module constants): the message is
turned into text when the error is raised, in the language of the request.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MSG_PERMISSION_DENIED = _("您无权执行此操作。")
MSG_NOT_FOUND = _("未找到该记录，或您无权查看。")


class DomainError(Exception):
    """A refusal the user can act on: bad input, an illegal transition, no permission."""

    status = 400

    def __init__(
        self, message: str | Promise, *, field: str | None = None, code: str = "invalid"
    ) -> None:
        message = str(message)
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code
        #: Set once the refusal has its audit entry (accountability.audit.refusals), so that no
        #: later layer writes a second one.
        self.audited = False

    def as_dict(self) -> dict[str, object]:
        return {"error": {"code": self.code, "field": self.field, "message": self.message}}


class PermissionDenied(DomainError):
    status = 403

    def __init__(self, message: str | Promise | None = None, *, code: str = "forbidden") -> None:
        super().__init__(MSG_PERMISSION_DENIED if message is None else message, code=code)


class NotFound(DomainError):
    status = 404

    def __init__(self, message: str | Promise | None = None) -> None:
        super().__init__(MSG_NOT_FOUND if message is None else message, code="not_found")
