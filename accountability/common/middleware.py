"""The one place where an uncaught DomainError becomes an HTTP 4xx page (or JSON).

Views that can show the message next to a form catch DomainError themselves;
anything that escapes a view ends here instead of as a 500. The message is
shown as given (Chinese, naming the field and the rule).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

from accountability.common.errors import DomainError, PermissionDenied


def domain_error_response(request: HttpRequest, error: DomainError) -> HttpResponse:
    if isinstance(error, PermissionDenied):
        from accountability.audit.services import audit_log

        audit_log(
            actor=getattr(request, "user", None),
            action="access_denied",
            target=("url", "", request.path[:200]),
            request=request,
            outcome="denied",
            detail=error.message,
        )
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
        return None
