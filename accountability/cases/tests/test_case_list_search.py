"""The case list: search by document number, measure and person; the .xlsx export of the
filtered list (same filters, audited, bounded); a bounded number of queries."""

from __future__ import annotations

import io

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accountability.audit.models import AuditEntry
from accountability.cases import export
from accountability.cases.tests.factories import Flow, committee
from accountability.cases.workflow import State
from accountability.demo.testing import PersonasMixin


class CaseListSearchTests(PersonasMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        committee(cls.personas)
        p = cls.personas
        cls.issued = Flow.register(p, p.people.handler).to(State.ISSUED)
        cls.reported = Flow.register(p, p.people.direct).to(State.REPORTED)
        cls.fresh = Flow.register(p, p.people.township_handler, received_days_ago=3)
        cls.number = cls.issued.decisions[0].document_number

    def get(self, **params):
        self.client.force_login(self.case_officer)
        return self.client.get(reverse("cases:list"), params)

    def numbers(self, response) -> set[str]:
        return {row["case"].number for row in response.context["rows"]}

    def test_search_by_document_number(self):
        self.assertTrue(self.number)
        self.assertEqual(self.numbers(self.get(document=self.number)), {self.issued.case.number})
        part = self.number[-5:]
        self.assertIn(self.issued.case.number, self.numbers(self.get(document=part)))
        self.assertEqual(self.numbers(self.get(document="不存在〔1900〕1号")), set())

    def test_search_by_measure(self):
        self.assertEqual(self.numbers(self.get(measure="批评教育")), {self.issued.case.number})
        self.assertEqual(self.numbers(self.get(measure="通报")), set())

    def test_search_by_person_and_measure_together(self):
        handler = self.personas.people.handler.name
        self.assertEqual(
            self.numbers(self.get(person=handler, measure="批评教育")), {self.issued.case.number}
        )
        direct = self.personas.people.direct.name
        self.assertEqual(self.numbers(self.get(person=direct, measure="批评教育")), set())

    def test_export_link_carries_the_filters(self):
        response = self.get(measure="批评教育", page=1)
        url = response.context["export_url"]
        self.assertTrue(url.startswith(reverse("cases:export")))
        self.assertIn("measure=", url)
        self.assertNotIn("page=", url)
        self.assertContains(response, "导出 Excel")

    def test_export_holds_the_filtered_list_and_is_audited(self):
        self.client.force_login(self.case_officer)
        response = self.client.get(reverse("cases:export"), {"measure": "批评教育"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], export.XLSX)
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[0][0], "案件编号")
        self.assertEqual([r[0] for r in rows[1:]], [self.issued.case.number])
        self.assertEqual(rows[1][6], self.number)
        self.assertIn("批评教育", rows[1][7])
        entry = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).latest("id")
        self.assertEqual(entry.target_type, "cases.caselist")
        self.assertNotIn("批评教育", str(entry.changes))  # the filters are content (sealed)

    def test_export_says_when_it_is_cut(self):
        self.client.force_login(self.case_officer)
        original = export.EXPORT_LIMIT
        export.EXPORT_LIMIT = 2
        try:
            response = self.client.get(reverse("cases:export"))
        finally:
            export.EXPORT_LIMIT = original
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        self.assertEqual(len([r for r in rows[1:] if len(r) > 4 and r[4] is not None]), 2)
        self.assertIn("仅导出前2件", rows[-1][0])

    def test_outsiders_are_refused(self):
        for user in (self.subject, self.audit_admin):
            self.client.force_login(user)
            self.assertEqual(self.client.get(reverse("cases:export")).status_code, 403)

    def test_queries_do_not_grow_with_the_cases(self):
        self.client.force_login(self.case_officer)
        list_url, export_url = reverse("cases:list"), reverse("cases:export")
        with CaptureQueriesContext(connection) as page_small:
            self.client.get(list_url)
        with CaptureQueriesContext(connection) as export_small:
            self.client.get(export_url)
        p = self.personas
        for _ in range(3):
            Flow.register(p, p.people.handler).to(State.ISSUED)
        with self.assertNumQueries(len(page_small)):
            self.client.get(list_url)
        with self.assertNumQueries(len(export_small)):
            self.client.get(export_url)
