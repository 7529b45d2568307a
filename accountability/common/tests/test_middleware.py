"""DomainErrorMiddleware: an uncaught DomainError becomes a 4xx page or JSON, never a 500."""

import json

from django.test import RequestFactory

from accountability.audit.models import AuditEntry
from accountability.audit.services import seal_value
from accountability.common.errors import DomainError, NotFound, PermissionDenied
from accountability.common.middleware import DomainErrorMiddleware
from accountability.demo.testing import PersonasTestCase

MESSAGE = "日期不能晚于今天。"


class DomainErrorMiddlewareTests(PersonasTestCase):
    def handle(self, error, **headers):
        request = RequestFactory().get("/somewhere/", headers=headers)
        request.user = self.case_officer
        middleware = DomainErrorMiddleware(lambda r: None)
        return middleware.process_exception(request, error)

    def test_domain_error_is_400_with_message(self):
        """A DomainError renders its Chinese message with status 400."""
        response = self.handle(DomainError(MESSAGE, field="date"))
        self.assertEqual(response.status_code, 400)
        self.assertIn(MESSAGE, response.content.decode())

    def test_not_found_is_404(self):
        """NotFound renders with status 404."""
        self.assertEqual(self.handle(NotFound()).status_code, 404)

    def test_permission_denied_is_403_and_audited(self):
        """PermissionDenied renders 403 and records the refusal."""
        response = self.handle(PermissionDenied("不行。"))
        self.assertEqual(response.status_code, 403)
        entry = AuditEntry.objects.get()
        # A refusal's message may name a party (回避): kept as a keyed hash, the path in clear.
        self.assertEqual(
            (entry.action, entry.sealed["detail"]), ("access_denied", seal_value("不行。"))
        )

    def test_json_when_asked(self):
        """A JSON client gets the error as {"error": {...}}."""
        response = self.handle(DomainError(MESSAGE, field="date"), accept="application/json")
        self.assertEqual(
            json.loads(response.content),
            {"error": {"code": "invalid", "field": "date", "message": MESSAGE}},
        )

    def test_other_exceptions_pass(self):
        """Other exceptions are left to Django."""
        self.assertIsNone(self.handle(ValueError("x")))
