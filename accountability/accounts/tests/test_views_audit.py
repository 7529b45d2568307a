"""The audit log page: the audit administrator only, filtered, paginated, itself audited."""

from django.urls import reverse

from accountability.accounts.permissions import FORBIDDEN_MESSAGE
from accountability.audit.models import AuditEntry
from accountability.audit.services import audit_log
from accountability.demo.testing import PersonasTestCase


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
        audit_log(actor=self.case_officer, action="create", target=self.personas.township)
        audit_log(actor=self.case_officer, action="export", target=self.personas.county)
        self.client.force_login(self.audit_admin)
        response = self.client.get(self.url, {"action": "export"})
        self.assertContains(response, "张明 导出了 单位 镇雄县纪委监委")
        self.assertNotContains(response, self.personas.township.name)

    def test_filter_by_case_number(self):
        """Filtering by case number keeps that case's entries."""
        audit_log(
            actor=self.case_officer,
            action="view",
            target=("cases.case", "1", "镇纪干监〔2026〕1号"),
        )
        audit_log(
            actor=self.case_officer,
            action="view",
            target=("cases.case", "2", "镇纪干监〔2026〕2号"),
        )
        self.client.force_login(self.audit_admin)
        response = self.client.get(self.url, {"case_number": "镇纪干监〔2026〕2号"})
        self.assertEqual([e.target_id for e, _ in response.context["rows"]], ["2"])

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

    def test_paginated_by_keyset(self):
        """Pages go by seq (before/after), 50 a page, without counting the table."""
        for _ in range(60):
            audit_log(actor=self.case_officer, action="create")
        self.client.force_login(self.audit_admin)
        first = self.client.get(self.url)
        seqs = [e.seq for e, _ in first.context["rows"]]
        self.assertEqual(seqs, list(range(61, 11, -1)))  # 61: this page's own view
        self.assertContains(first, "?before=12")
        self.assertIsNone(first.context["page"].newer_than)
        older = self.client.get(self.url, {"before": 12})
        self.assertEqual([e.seq for e, _ in older.context["rows"]], list(range(11, 0, -1)))
        self.assertContains(older, "?after=11")
        self.assertIsNone(older.context["page"].older_than)
        newer = self.client.get(self.url, {"after": 11})
        self.assertEqual([e.seq for e, _ in newer.context["rows"]], list(range(61, 11, -1)))
        self.assertContains(newer, "before=12")

    def test_filters_are_kept_across_pages(self):
        """The pager's links keep the filters."""
        for _ in range(55):
            audit_log(actor=self.case_officer, action="create")
        self.client.force_login(self.audit_admin)
        response = self.client.get(self.url, {"action": "create"})
        self.assertContains(response, "action=create&amp;before=")

    def test_query_count_does_not_grow_with_the_log(self):
        """The page runs as many queries for 3 entries as for 300, with every filter."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def queries(params):
            with CaptureQueriesContext(connection) as captured:
                self.assertEqual(self.client.get(self.url, params).status_code, 200)
            sql = " ".join(q["sql"] for q in captured.captured_queries)
            self.assertNotIn("COUNT(", sql.upper())
            return len(captured.captured_queries)

        self.client.force_login(self.audit_admin)
        users = [self.case_officer, self.office_head, self.team_member]
        for user in users:
            audit_log(actor=user, action="create", target=self.personas.county)
        filters = [
            {},
            {"action": "create"},
            {"actor": "张明"},
            {"case_number": "镇纪干监〔2026〕1号"},
            {"date_from": "2020-01-01", "date_to": "2099-12-31"},
            {"before": 2},
        ]
        few = [queries(p) for p in filters]
        for i in range(300):
            audit_log(actor=users[i % 3], action="create", target=users[(i + 1) % 3])
        many = [queries(p) for p in filters]
        self.assertEqual(few, many)

    def test_export(self):
        """The export is a CSV of sentences, audited itself."""
        audit_log(actor=self.case_officer, action="create", target=self.personas.county)
        self.client.force_login(self.audit_admin)
        response = self.client.get(reverse("audit:export"), {"action": "create"})
        body = b"".join(response.streaming_content).decode("utf-8-sig")
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("监督室工作人员 张明 新建了 单位 镇雄县纪委监委", body)
        entry = AuditEntry.objects.order_by("-seq").first()
        self.assertEqual((entry.action, entry.changes), ("export", {"action": "create"}))

    def test_export_refused_to_other_roles(self):
        """Only the audit administrator exports."""
        self.client.force_login(self.system_admin)
        self.assertEqual(self.client.get(reverse("audit:export")).status_code, 403)
