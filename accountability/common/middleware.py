"""The one place where a refusal becomes an HTTP answer, and where an access refusal is audited.

``domain_error_response`` maps a DomainError to its status (NotFound → 404, PermissionDenied →
403, any other → 400) as a page or JSON, and has the ``access_denied`` audit entry written for a
PermissionDenied. ``DomainErrorMiddleware.process_exception`` sends every DomainError that
escapes a view here, and ``accounts.permissions.role_required`` its refusals. Views only put a
DomainError that a form can show back on the form (``CaseForm.add_domain_error``); a
NotFound or PermissionDenied they let through. The message is shown as given (Chinese, naming
the field and the rule). A value the database cannot take (an id beyond 64 bits, an overlong
search pattern) is the request's fault too: a 400.

The audit entry is not written here: common sits below audit, so a refusal is sent as the
signal ``access_denied`` before its page is rendered, and the audit app records it
(accountability.audit.apps).
"""

from __future__ import annotations

import logging

from django.db import DataError, OperationalError
from django.dispatch import Signal
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from accountability.common.errors import DomainError, PermissionDenied

logger = logging.getLogger(__name__)

#: Sent with ``request`` and ``detail`` (the refusal's message) when a PermissionDenied escapes
#: a view; accountability.audit records it as ``access_denied``.
access_denied = Signal()

MSG_INPUT_OUT_OF_RANGE = _("请求中的数值或查询条件超出系统可处理的范围，请检查后重试。")
#: What the databases say of a value they cannot take (the input's fault, not the server's):
#: SQLite of a value or pattern too large, PostgreSQL of a NUL character in text.
_DATABASE_INPUT_ERRORS = ("pattern too complex", "too big", "too large", "NUL (0x00)")


def input_out_of_range(exception: BaseException) -> bool:
    """Whether ``exception`` is the database refusing an absurd value from the request: an
    integer beyond 64 bits (OverflowError on SQLite), an overlong LIKE pattern, a NUL in text
    (PostgreSQL). Forms should refuse such values themselves; this is the net under the views
    that do not yet."""
    if isinstance(exception, OverflowError):
        return True
    return isinstance(exception, OperationalError | DataError) and any(
        text in str(exception) for text in _DATABASE_INPUT_ERRORS
    )


def domain_error_response(request: HttpRequest, error: DomainError) -> HttpResponse:
    """The answer to a refusal (a page, or JSON when asked), a PermissionDenied audited."""
    if isinstance(error, PermissionDenied) and not error.audited:
        access_denied.send(sender=DomainErrorMiddleware, request=request, detail=error.message)
    accept = request.headers.get("Accept", "")
    if "application/json" in accept and "text/html" not in accept:
        return JsonResponse(error.as_dict(), status=error.status)
    body = render_to_string("common/error.html", {"error": error}, request=request)
    return HttpResponse(body, status=error.status)


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DomainError):
            return domain_error_response(request, exception)
        if input_out_of_range(exception):
            logger.warning("input out of range on %s: %s", request.path, exception)
            return domain_error_response(
                request, DomainError(MSG_INPUT_OUT_OF_RANGE, code="input_out_of_range")
            )
        return None
