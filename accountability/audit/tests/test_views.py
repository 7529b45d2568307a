"""The audit log page: the audit administrator only, filtered, paginated, itself audited."""

from django.urls import reverse

from accountability.accounts.permissions import FORBIDDEN_MESSAGE
from accountability.audit.models import AuditEntry
from accountability.audit.services import audit_log
from accountability.common.testing import PersonasTestCase


class AuditLogPageTests(PersonasTestCase):
    url = reverse("audit:log")

    def test_audit_admin_reads_the_log(self):
        """The audit administrator sees the entries, newest first."""
        audit_log(actor=self.case_officer, action="create", target=self.personas.county)
        self.client.force_login(self.audit_admin)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "镇雄县纪委监委")
        self.assertContains(response, "张明")

    def test_viewing_is_audited(self):
        """Opening the log writes a view entry with the filters used."""
        self.client.force_login(self.audit_admin)
        self.client.get(self.url, {"action": "login"})
        entry = AuditEntry.objects.order_by("-seq").first()
        self.assertEqual(entry.action, "view")
        self.assertEqual(entry.actor, self.audit_admin)
        self.assertEqual(entry.changes, {"action": "login"})

    def test_filter_by_action(self):
        """Filtering by action keeps only that action."""
        audit_log(actor=self.case_officer, action="create", detail="first-one")
        audit_log(actor=self.case_officer, action="export", detail="second-one")
        self.client.force_login(self.audit_admin)
        response = self.client.get(self.url, {"action": "export"})
        self.assertContains(response, "second-one")
        self.assertNotContains(response, "first-one")

    def test_other_roles_refused(self):
        """Every other role, administrators included, gets a 403 with the Chinese message."""
        for user in self.personas.users:
            if user.role == "audit_admin":
                continue
            self.client.force_login(user)
            response = self.client.get(self.url)
            self.assertEqual(response.status_code, 403, user.role)
            self.assertContains(
                response,
                FORBIDDEN_MESSAGE.format(role=user.get_role_display()),
                status_code=403,
            )

    def test_anonymous_goes_to_login(self):
        """An anonymous visitor is sent to the login page."""
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])

    def test_paginated(self):
        """More than one page of entries shows the pager."""
        for _ in range(60):
            audit_log(actor=self.case_officer, action="create")
        self.client.force_login(self.audit_admin)
        response = self.client.get(self.url)
        self.assertEqual(len(response.context["page_obj"]), 50)
        self.assertContains(response, "page=2")
