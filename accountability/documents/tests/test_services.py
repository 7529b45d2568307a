"""Issuing documents: numbered without gaps, frozen, hashed and audited; new versions."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accountability.audit.models import AuditChainHead, AuditEntry
from accountability.cases.models import Decision
from accountability.cases.tests.factories import Flow
from accountability.cases.workflow import State
from accountability.common.errors import DomainError, PermissionDenied
from accountability.documents import context as ctx
from accountability.documents import render, sandbox, services
from accountability.documents.kinds import DocumentKind
from accountability.documents.models import (
    MSG_FROZEN,
    DocumentNumberSequence,
    DocumentPdf,
    DocumentTemplate,
    IssuedDocument,
)
from accountability.documents.tests.base import DocumentsTestCase, decided, issue_decisions
from accountability.documents.tests.helpers import docx_text
from accountability.jobs.models import Job

YEAR = timezone.localdate().year
PREFIX = "镇纪监干"


def serials() -> list[int]:
    return list(
        IssuedDocument.objects.filter(number_prefix=PREFIX, number_year=YEAR, version=1)
        .order_by("number_serial")
        .values_list("number_serial", flat=True)
    )


def last_serial() -> int:
    row = DocumentNumberSequence.objects.filter(prefix=PREFIX, year=YEAR).first()
    return row.last if row else 0


class IssueTests(DocumentsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.flow = decided(cls.personas)
        cls.case = cls.flow.case

    def issue(self, kind, **kwargs):
        kwargs.setdefault("actor", self.case_officer)
        kwargs.setdefault("with_pdf", False)
        return services.document_issue(case=self.case, kind=kind, **kwargs)

    def test_the_decision_document_takes_the_next_number_and_records_the_issue(self):
        """镇纪监干〔year〕1号, written onto the decision; the case is 已印发 once all are."""
        first, second = self.flow.parties
        document = self.issue(DocumentKind.DECISION, party=first)
        self.assertEqual(document.number, f"{PREFIX}〔{YEAR}〕1号")
        self.assertEqual(
            (document.number_prefix, document.number_year, document.number_serial),
            (PREFIX, YEAR, 1),
        )
        decision = Decision.objects.get(party=first)
        self.assertEqual(decision.document_number, document.number)
        self.assertEqual(decision.issued_on, timezone.localdate())
        self.assertEqual(document.decision, decision)
        self.case.refresh_from_db()
        self.assertEqual(self.case.state, State.DECIDED)
        self.issue(DocumentKind.DECISION, party=second)
        self.case.refresh_from_db()
        self.assertEqual(self.case.state, State.ISSUED)
        self.assertIn(document.number, docx_text(document.docx.open("rb").read()))

    def test_numbers_run_on_across_kinds_without_gaps(self):
        """Decisions, then the filing report: 1, 2, 3; forms and reports take no number."""
        issue_decisions(self.flow, self.case_officer, days_ago=0)
        self.issue(DocumentKind.INVESTIGATION_REPORT)
        self.issue(DocumentKind.FILING_REPORT)
        self.issue(DocumentKind.INTAKE_APPROVAL)
        self.assertEqual(serials(), [1, 2, 3])
        self.assertEqual(last_serial(), 3)
        unnumbered = IssuedDocument.objects.filter(kind=DocumentKind.INTAKE_APPROVAL).get()
        self.assertEqual((unnumbered.number, unnumbered.number_serial), ("", None))

    def test_a_refused_issue_leaves_no_gap_and_no_file(self):
        """The office head may not record the issue (cases' rule, checked after the .docx was
        rendered and stored): the number is not used and the file is removed."""
        party = self.flow.parties[0]
        before = self.stored_files()
        with self.assertRaises(PermissionDenied):
            self.issue(DocumentKind.DECISION, party=party, actor=self.office_head)
        self.assertEqual(last_serial(), 0)
        self.assertFalse(IssuedDocument.objects.exists())
        self.assertEqual(self.stored_files(), before)
        document = self.issue(DocumentKind.DECISION, party=party)
        self.assertEqual(document.number_serial, 1)

    def test_a_document_that_fails_to_render_leaves_no_gap_and_no_file(self):
        broken = io.BytesIO()
        from docx import Document

        template = Document()
        template.add_paragraph("{{ no_such_field }}")
        template.save(broken)
        row = DocumentTemplate(
            kind=DocumentKind.DECISION,
            original_name="broken.docx",
            sha256=render.sha256_hex(broken.getvalue()),
            uploaded_by=self.case_officer,
        )
        row.file.save("broken.docx", ContentFile(broken.getvalue()), save=False)
        row.save()
        before = self.stored_files()
        with self.assertRaisesMessage(
            DomainError,
            sandbox.MSG_REFUSED.format(
                tag="{{ no_such_field }}",
                reason=sandbox.REASON_NOT_A_FIELD.format(name="no_such_field"),
            ),
        ):
            self.issue(DocumentKind.DECISION, party=self.flow.parties[0])
        self.assertEqual(last_serial(), 0)
        self.assertFalse(Decision.objects.exclude(document_number="").exists())
        self.assertEqual(self.stored_files(), before)

    def test_an_issued_document_is_frozen(self):
        document = self.issue(DocumentKind.INTAKE_APPROVAL)
        document.title = "改写"
        with self.assertRaisesMessage(DomainError, str(MSG_FROZEN)):
            document.save()
        with self.assertRaisesMessage(DomainError, str(MSG_FROZEN)):
            document.delete()
        with self.assertRaisesMessage(DomainError, str(MSG_FROZEN)):
            IssuedDocument.objects.filter(pk=document.pk).update(title="改写")
        with self.assertRaisesMessage(DomainError, str(MSG_FROZEN)):
            IssuedDocument.objects.filter(pk=document.pk).delete()
        self.assertEqual(IssuedDocument.objects.get(pk=document.pk).title, "线索受理审批表")

    def test_issuing_is_audited_with_the_stored_files_hashes(self):
        document = self.issue(DocumentKind.DECISION, party=self.flow.parties[0])
        stored = document.docx.open("rb").read()
        self.assertEqual(document.docx_sha256, render.sha256_hex(stored))
        self.assertEqual(document.docx_sm3, render.sm3_hex(stored))
        entry = AuditEntry.objects.get(
            action="issue_document",
            target_type="documents.issueddocument",
            target_id=str(document.pk),
        )
        self.assertEqual(entry.changes["docx_sha256"], document.docx_sha256)
        self.assertEqual(entry.changes["docx_sm3"], document.docx_sm3)
        self.assertEqual(entry.changes["number"], document.number)
        self.assertEqual(entry.actor_id, self.case_officer.pk)

    def test_the_audit_chain_is_locked_last_in_the_issuing_transaction(self):
        """The document, its PDF request and job are written before the first statement on
        the audit trail (which takes the chain's lock until the commit); nothing slow runs
        after it, so other audited actions wait only for the last statements."""
        audit_tables = (AuditChainHead._meta.db_table, AuditEntry._meta.db_table)
        written = (
            IssuedDocument._meta.db_table,
            DocumentPdf._meta.db_table,
            Job._meta.db_table,
        )
        with CaptureQueriesContext(connection) as queries:
            self.issue(DocumentKind.DECISION, party=self.flow.parties[0], with_pdf=True)
        statements = [q["sql"] for q in queries.captured_queries]
        first_audit = next(
            i for i, sql in enumerate(statements) if any(t in sql for t in audit_tables)
        )
        inserts = [
            i
            for i, sql in enumerate(statements)
            if sql.startswith("INSERT") and any(f'"{t}"' in sql for t in written)
        ]
        self.assertEqual(len(inserts), 3)
        self.assertLess(max(inserts), first_audit)

    def test_the_same_paper_is_not_issued_twice(self):
        issue_decisions(self.flow, self.case_officer, days_ago=0)
        document = self.issue(DocumentKind.FILING_REPORT)
        with self.assertRaisesMessage(
            DomainError,
            services.MSG_ALREADY_ISSUED.format(
                title=document.title,
                date=f"{YEAR}年{document.issued_on.month}月{document.issued_on.day}日",
                number=f"（{document.number}）",
            ),
        ):
            self.issue(DocumentKind.FILING_REPORT)

    def test_a_new_version_keeps_the_number_and_the_old_file(self):
        first = self.issue(DocumentKind.DECISION, party=self.flow.parties[0])
        old_bytes = first.docx.open("rb").read()
        second = services.document_reissue(
            document=first,
            actor=self.case_officer,
            reason="更正被追究责任者的职务表述。",
            with_pdf=False,
        )
        self.assertEqual(
            (second.version, second.number, second.supersedes), (2, first.number, first)
        )
        self.assertEqual(second.reason, "更正被追究责任者的职务表述。")
        first = IssuedDocument.objects.get(pk=first.pk)
        self.assertEqual(first.docx.open("rb").read(), old_bytes)
        self.assertEqual(first.superseded_by, second)
        self.assertEqual(last_serial(), 1)
        with self.assertRaisesMessage(DomainError, services.MSG_SUPERSEDED.format(version=2)):
            services.document_reissue(document=first, actor=self.case_officer, reason="再改。")
        with self.assertRaisesMessage(DomainError, str(services.MSG_REASON_REQUIRED)):
            services.document_reissue(document=second, actor=self.case_officer, reason="  ")
        self.assertEqual(AuditEntry.objects.filter(action="issue_document").count(), 2)

    def test_who_may_issue(self):
        allowed = services.MSG_NOT_ISSUER.format(
            roles="监督室工作人员、监督室负责人、市纪委监督室工作人员", document="线索受理审批表"
        )
        for user in (self.team_member, self.committee_secretary, self.archivist):
            with self.assertRaisesMessage(PermissionDenied, allowed):
                self.issue(DocumentKind.INTAKE_APPROVAL, actor=user)
        self.issue(DocumentKind.INTAKE_APPROVAL, actor=self.office_head)

    def test_documents_the_case_is_not_ready_for_are_refused(self):
        party = self.flow.parties[0]
        name = party.person.name
        with self.assertRaisesMessage(DomainError, str(ctx.MSG_NO_CRIMINAL)):
            self.issue(DocumentKind.TRANSFER_LETTER)
        with self.assertRaisesMessage(
            DomainError, ctx.MSG_NEEDS_ISSUED_DECISION.format(name=name, document="送达回证")
        ):
            self.issue(DocumentKind.DELIVERY_RECEIPT, party=party, recipient="person")
        names = "、".join(p.person.name for p in self.flow.parties)
        with self.assertRaisesMessage(DomainError, ctx.MSG_NEEDS_ALL_ISSUED.format(names=names)):
            self.issue(DocumentKind.FILING_REPORT)
        with self.assertRaisesMessage(DomainError, str(ctx.MSG_NEEDS_PARTY)):
            self.issue(DocumentKind.DECISION)
        self.issue(DocumentKind.DECISION, party=party)
        with self.assertRaisesMessage(DomainError, str(ctx.MSG_NEEDS_RECIPIENT)):
            self.issue(DocumentKind.DELIVERY_RECEIPT, party=party)
        with self.assertRaisesMessage(DomainError, services.MSG_UNKNOWN_KIND.format(kind="memo")):
            self.issue("memo")
        self.assertEqual(last_serial(), 1)

    def test_the_stored_file_is_checked_against_its_hash(self):
        document = self.issue(DocumentKind.INTAKE_APPROVAL)
        content = services.document_content(document=document, fmt="docx")
        self.assertEqual(render.sha256_hex(content.content), document.docx_sha256)
        self.assertTrue(content.filename.endswith("线索受理审批表.docx"))
        Path(document.docx.path).write_bytes(b"tampered")
        with self.assertRaisesMessage(
            DomainError, services.MSG_TAMPERED.format(name="线索受理审批表.docx")
        ):
            services.document_content(document=document, fmt="docx")
        with self.assertRaisesMessage(DomainError, str(services.MSG_BAD_FORMAT)):
            services.document_content(document=document, fmt="odt")

    def test_a_download_is_audited(self):
        document = self.issue(DocumentKind.INTAKE_APPROVAL)
        services.document_download(document=document, fmt="docx", actor=self.office_head)
        entry = AuditEntry.objects.get(action="download", target_id=str(document.pk))
        self.assertEqual(entry.changes["sha256"], document.docx_sha256)


class AdoptedNumberTests(DocumentsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.flow = Flow.register(cls.personas, cls.personas.people.handler).to(State.ISSUED)

    def test_a_decision_recorded_as_issued_keeps_its_number_and_moves_the_counter(self):
        """Issued before the document existed (typed in): the document carries that number
        and later numbers continue after it."""
        decision = self.flow.decisions[0]
        recorded = decision.document_number
        document = services.document_issue(
            case=self.flow.case,
            kind=DocumentKind.DECISION,
            actor=self.case_officer,
            party=decision.party,
            with_pdf=False,
        )
        self.assertEqual(document.number, recorded)
        self.assertEqual(document.issued_on, decision.issued_on)
        serial = int(recorded.split("〕")[1].rstrip("号"))
        row = DocumentNumberSequence.objects.get(prefix=PREFIX, year=decision.issued_on.year)
        self.assertEqual(row.last, serial)
        filing = services.document_issue(
            case=self.flow.case,
            kind=DocumentKind.FILING_REPORT,
            actor=self.case_officer,
            issued_on=decision.issued_on,
            with_pdf=False,
        )
        self.assertEqual(filing.number_serial, serial + 1)


class SequentialNumberingTests(DocumentsTestCase):
    """On any database: numbers issued one after another are 1, 2, 3 … with no gap."""

    def test_a_run_of_issues_with_failures_in_between_has_no_gap(self):
        p = self.personas
        flows = [decided(p, person) for person in (p.people.handler, p.people.direct)]
        issued = []
        for flow in flows:
            party = flow.parties[0]
            with self.assertRaises(PermissionDenied):
                services.document_issue(
                    case=flow.case,
                    kind=DocumentKind.DECISION,
                    actor=self.office_head,
                    party=party,
                    with_pdf=False,
                )
            issued.append(
                services.document_issue(
                    case=flow.case,
                    kind=DocumentKind.DECISION,
                    actor=self.case_officer,
                    party=party,
                    with_pdf=False,
                )
            )
            issued.append(
                services.document_issue(
                    case=flow.case,
                    kind=DocumentKind.FILING_REPORT,
                    actor=self.case_officer,
                    with_pdf=False,
                )
            )
        self.assertEqual([d.number_serial for d in issued], [1, 2, 3, 4])
        self.assertEqual(serials(), [1, 2, 3, 4])
        self.assertEqual(last_serial(), 4)


def test_next_serial_refuses_to_run_outside_a_transaction(transactional_db):
    with pytest.raises(RuntimeError):
        services.next_serial(prefix=PREFIX, year=YEAR)


class PaperRecordTests(DocumentsTestCase):
    """纸质文书补录: a decision document issued on paper outside the system."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.flow = decided(cls.personas)
        cls.case = cls.flow.case
        cls.day = timezone.localdate()

    def record(self, number, *, decision=None, actor=None, day=None):
        return services.decision_paper_record(
            decision=decision or self.flow.decisions[0],
            actor=actor or self.case_officer,
            number=number,
            issued_on=day or self.day,
        )

    def test_the_next_number_of_the_series_is_taken_and_the_counter_moves_on(self):
        """镇纪监干〔year〕1号 on paper: recorded on the decision; the system goes on with 2."""
        decision = self.record(f"{PREFIX}〔{YEAR}〕1号")
        self.assertEqual(decision.document_number, f"{PREFIX}〔{YEAR}〕1号")
        self.assertEqual(decision.issued_on, self.day)
        self.assertEqual(last_serial(), 1)
        document = services.document_issue(
            case=self.case,
            kind=DocumentKind.DECISION,
            actor=self.case_officer,
            party=self.flow.parties[1],
            with_pdf=False,
        )
        self.assertEqual(document.number, f"{PREFIX}〔{YEAR}〕2号")

    def test_a_later_electronic_copy_keeps_the_paper_number(self):
        """document_issue for a decision recorded on paper keeps the number and the date."""
        self.record(f"{PREFIX}〔{YEAR}〕1号")
        document = services.document_issue(
            case=self.case,
            kind=DocumentKind.DECISION,
            actor=self.case_officer,
            party=self.flow.parties[0],
            with_pdf=False,
        )
        self.assertEqual(
            (document.number, document.issued_on), (f"{PREFIX}〔{YEAR}〕1号", self.day)
        )
        self.assertEqual(last_serial(), 1)

    def test_the_format_is_checked(self):
        """A number that does not read 机关代字〔年份〕序号号 is refused, nothing recorded."""
        with self.assertRaisesMessage(
            DomainError, services.MSG_ADOPTED_NUMBER.format(number="镇纪监干2026-3")
        ):
            self.record("镇纪监干2026-3")
        self.assertFalse(Decision.objects.exclude(document_number="").exists())

    def test_a_number_out_of_the_systems_sequence_is_refused(self):
        """In the series the system numbers, only the next number keeps it without gaps."""
        message = services.MSG_PAPER_NOT_NEXT.format(
            number=f"{PREFIX}〔{YEAR}〕5号",
            series=f"{PREFIX}〔{YEAR}〕",
            expected=f"{PREFIX}〔{YEAR}〕1号",
        )
        with self.assertRaisesMessage(DomainError, str(message)):
            self.record(f"{PREFIX}〔{YEAR}〕5号")
        self.assertEqual(last_serial(), 0)
        self.assertIsNone(Decision.objects.get(pk=self.flow.decisions[0].pk).issued_on)

    def test_a_number_already_used_is_refused(self):
        """A number of another series may be recorded once, never twice."""
        first, second = self.flow.decisions
        number = f"镇纪发〔{YEAR}〕7号"
        self.record(number, decision=first)
        message = services.MSG_PAPER_USED.format(
            number=number, what=f"{first.party.person.name}的决定文书"
        )
        with self.assertRaisesMessage(DomainError, str(message)):
            self.record(number, decision=second)
        self.assertIsNone(Decision.objects.get(pk=second.pk).issued_on)

    def test_the_year_must_be_the_year_of_issue(self):
        """〔year〕 in the number is the year of the 印发日期."""
        number = f"{PREFIX}〔{YEAR - 1}〕1号"
        with self.assertRaisesMessage(
            DomainError, services.MSG_PAPER_YEAR.format(number=number, date=self.day.isoformat())
        ):
            self.record(number)

    def test_the_cases_rules_still_apply(self):
        """Only the case officer records the issue (the workflow's rule); nothing is taken."""
        with self.assertRaises(PermissionDenied):
            self.record(f"{PREFIX}〔{YEAR}〕1号", actor=self.office_head)
        self.assertEqual(last_serial(), 0)
