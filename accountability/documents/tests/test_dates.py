"""A case entered after the fact has documents of its own dates (issue 9): the approval,
the team's formation, the report and the filing as they were recorded, never today's."""

from __future__ import annotations

import re
from datetime import date

from django.urls import reverse

from accountability.audit.models import AuditEntry
from accountability.cases.tests.factories import Flow, ago, today
from accountability.cases.workflow import State
from accountability.common.errors import DomainError
from accountability.documents import services
from accountability.documents.formatting import cn_date
from accountability.documents.kinds import DocumentKind
from accountability.documents.models import IssuedDocument
from accountability.documents.tests.base import DocumentsTestCase
from accountability.documents.tests.helpers import docx_text

CN_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def days_in(text: str) -> set[date]:
    return {date(int(y), int(m), int(d)) for y, m, d in CN_DATE.findall(text)}


class DocumentsOfACaseEnteredLaterTests(DocumentsTestCase):
    """Received 180 days ago and entered today, step by step with the days they happened."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        p = cls.personas
        flow = Flow.register(p, p.people.handler, received_days_ago=180)
        flow.accept(days_ago=178).investigate(days_ago=175).facts().hear(days_ago=170)
        flow.report(days_ago=165).decide(flow.meet(days_ago=160))
        cls.flow = flow
        cls.case = flow.case

    def issue(self, kind, **kwargs):
        document = services.document_issue(
            case=self.case, kind=kind, actor=self.case_officer, with_pdf=False, **kwargs
        )
        return document, docx_text(document.docx.open("rb").read())

    def test_the_intake_form_and_the_report_carry_the_recorded_days(self):
        approval, approval_text = self.issue(DocumentKind.INTAKE_APPROVAL)
        self.assertEqual(approval.issued_on, ago(178))
        self.assertIn(f"{cn_date(ago(178))}批准受理", approval_text)
        report, report_text = self.issue(DocumentKind.INVESTIGATION_REPORT)
        self.assertEqual(report.issued_on, ago(165))
        self.assertIn(f"经报批于{cn_date(ago(178))}受理", report_text)
        self.assertIn(f"{cn_date(ago(175))}，", report_text)
        for text in (approval_text, report_text):
            self.assertNotIn(cn_date(today()), text)
            # Dates of facts (the conduct, the rule's version) come before; none after the report.
            self.assertLessEqual(max(days_in(text)), ago(165), text)

    def test_the_filing_report_names_the_days_of_approval_and_team(self):
        self.flow.issue(days_ago=158).deliver(days_ago=155).archive_and_file(days_ago=150)
        filing, text = self.issue(DocumentKind.FILING_REPORT)
        self.assertEqual(filing.issued_on, ago(150))
        self.assertIn(f"经报批于{cn_date(ago(178))}受理", text)
        self.assertIn(f"{cn_date(ago(175))}成立调查组", text)
        self.assertNotIn(cn_date(today()), text)
        self.assertLessEqual(max(days_in(text)), ago(150), text)


class NumberOrderTests(DocumentsTestCase):
    """Numbers follow the order of issue; one dated before a number already given is flagged."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        p = cls.personas
        cls.first = Flow.register(p, p.people.handler).to(State.DECIDED)
        cls.second = Flow.register(p, p.people.direct).to(State.DECIDED)

    def issue(self, flow: Flow, days_ago: int, **kwargs):
        return services.document_issue(
            case=flow.case,
            kind=DocumentKind.DECISION,
            actor=self.case_officer,
            party=flow.parties[0],
            issued_on=ago(days_ago),
            with_pdf=False,
            **kwargs,
        )

    def test_a_number_dated_before_the_last_one_is_flagged_not_given(self):
        later = self.issue(self.first, 5)
        message = str(services.MSG_NUMBER_OUT_OF_ORDER).format(
            number=later.number, date=cn_date(ago(5)), issued=cn_date(ago(10))
        )
        with self.assertRaisesMessage(DomainError, message) as refused:
            self.issue(self.second, 10)
        self.assertEqual(refused.exception.field, "confirm_order")
        self.assertEqual(
            IssuedDocument.objects.filter(kind=DocumentKind.DECISION).count(), 1, "no number"
        )
        confirmed = self.issue(self.second, 10, confirm_order=True)
        self.assertEqual(confirmed.number_serial, later.number_serial + 1)
        entry = AuditEntry.objects.filter(action="issue_document").order_by("seq").last()
        self.assertEqual(
            entry.changes["out_of_order"],
            {"after": later.number, "after_issued_on": ago(5).isoformat(), "confirmed": True},
        )

    def test_numbers_in_the_order_of_the_dates_need_no_confirmation(self):
        first = self.issue(self.first, 10)
        second = self.issue(self.second, 10)
        self.assertEqual(second.number_serial, first.number_serial + 1)
        entry = AuditEntry.objects.filter(action="issue_document").order_by("seq").last()
        self.assertNotIn("out_of_order", entry.changes)

    def test_the_issue_page_warns_and_asks_for_confirmation(self):
        later = self.issue(self.first, 5)
        decision = self.second.decisions[0]
        url = reverse("cases:decision_issue", args=[self.second.case.pk, decision.pk])
        self.client.force_login(self.case_officer)
        self.assertContains(self.client.get(url), "确认按登记顺序编号")
        response = self.client.post(url, {"issued_on": ago(10).isoformat()})
        self.assertEqual(response.status_code, 200)
        self.assertFormError(
            response.context["form"],
            "confirm_order",
            str(services.MSG_NUMBER_OUT_OF_ORDER).format(
                number=later.number, date=cn_date(ago(5)), issued=cn_date(ago(10))
            ),
        )
        done = self.client.post(url, {"issued_on": ago(10).isoformat(), "confirm_order": "on"})
        self.assertEqual(done.status_code, 302)
        decision.refresh_from_db()
        self.assertEqual(decision.issued_on, ago(10))
