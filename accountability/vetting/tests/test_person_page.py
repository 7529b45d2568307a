"""The person's page: clues, cases, decisions and running restrictions, as the user may see them."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountability.audit.models import AuditEntry
from accountability.cases.tests.factories import Flow
from accountability.demo.testing import PersonasTestCase
from accountability.vetting.models import Restriction
from accountability.vetting.tests.helpers import decided


class PersonPageTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        p = cls.personas
        cls.flow = decided(p, p.people.handler, ["诫勉"])
        cls.open = Flow.register(p, p.people.handler, received_days_ago=3)
        cls.url = reverse("people:detail", args=[p.people.handler.pk])
        cls.restriction = Restriction.objects.get(
            decision=cls.flow.decisions[0], kind="no_promotion_or_important_post"
        )

    def page(self, user) -> str:
        self.client.force_login(user)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_the_case_officer_sees_the_running_restriction_and_every_case(self):
        html = self.page(self.case_officer)
        self.assertIn("不得提拔或者重用", html)
        self.assertIn(self.restriction.until.strftime("%Y-%m-%d"), html)
        self.assertIn(self.flow.case.number, html)
        self.assertIn(self.open.case.number, html)
        self.assertIn("诫勉", html)

    def test_the_archivist_sees_decided_cases_only(self):
        html = self.page(self.archivist)
        self.assertIn(self.flow.case.number, html)
        self.assertNotIn(self.open.case.number, html)

    def test_the_system_administrator_sees_no_case_content(self):
        html = self.page(self.system_admin)
        self.assertNotIn(self.flow.case.number, html)
        self.assertNotIn("不得提拔或者重用", html)

    def test_the_read_is_audited(self):
        self.page(self.case_officer)
        entry = AuditEntry.objects.order_by("-id").first()
        self.assertEqual((entry.action, entry.actor_id), ("view", self.case_officer.pk))

    def test_the_query_count_does_not_grow_with_the_persons_history(self):
        p = self.personas
        self.page(self.case_officer)
        with CaptureQueriesContext(connection) as before:
            self.page(self.case_officer)
        decided(p, p.people.handler, ["通报"], meeting_days_ago=60)
        Flow.register(p, p.people.handler, received_days_ago=2)
        with CaptureQueriesContext(connection) as after:
            html = self.page(self.case_officer)
        self.assertEqual(html.count("<tr>") > 0, True)
        self.assertEqual(len(after), len(before))
