"""The one domain error type, mapped to HTTP 4xx in one place (views.py).

It carries a stable code, the field at fault and a Chinese message that a
user can act on.
"""

from __future__ import annotations


class DomainError(Exception):
    """A refusal the user can act on: bad input, an illegal transition, no permission."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code

    def as_dict(self) -> dict[str, object]:
        return {"error": {"code": self.code, "field": self.field, "message": self.message}}


class PermissionDenied(DomainError):
    status = 403

    def __init__(self, message: str = "您无权执行此操作。", *, code: str = "forbidden") -> None:
        super().__init__(message, code=code)


class NotFound(DomainError):
    status = 404

    def __init__(self, message: str = "未找到该记录，或您无权查看。") -> None:
        super().__init__(message, code="not_found")
