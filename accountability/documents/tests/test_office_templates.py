"""Office templates: an uploaded .docx is checked with the sample data, used, and reversible."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from accountability.audit.models import AuditEntry
from accountability.common.errors import DomainError, PermissionDenied
from accountability.documents import render, sandbox, selectors, services
from accountability.documents.kinds import DocumentKind
from accountability.documents.models import MSG_TEMPLATE_HISTORY, DocumentTemplate
from accountability.documents.tests.base import DocumentsTestCase, decided
from accountability.documents.tests.helpers import docx_text

OWN_WORDS = "（本单位模板）"


def office_template() -> bytes:
    """The shipped decision template with an office's own line at the end."""
    document = Document(io.BytesIO(render.shipped_template(DocumentKind.DECISION)))
    document.add_paragraph(OWN_WORDS)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "application/octet-stream")


def bad_template(text: str) -> bytes:
    document = Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


class OfficeTemplateTests(DocumentsTestCase):
    def test_an_uploaded_template_is_used_for_the_next_document(self):
        content = office_template()
        row = services.template_upload(
            kind="decision",
            upload=upload("决定书.docx", content),
            actor=self.office_head,
            note="加注本单位字样",
        )
        self.assertTrue(row.active)
        choice = selectors.template_for("decision")
        self.assertEqual((choice.row, choice.content), (row, content))
        self.assertEqual(choice.sha256, render.sha256_hex(content))
        flow = decided(self.personas, self.personas.people.handler)
        document = services.document_issue(
            case=flow.case,
            kind="decision",
            actor=self.case_officer,
            party=flow.parties[0],
            with_pdf=False,
        )
        self.assertEqual((document.template, document.template_sha256), (row, row.sha256))
        self.assertIn(OWN_WORDS, docx_text(document.docx.open("rb").read()))
        entry = AuditEntry.objects.get(action="update", target_type="documents.documenttemplate")
        self.assertEqual(entry.changes["sha256"], row.sha256)

    def test_a_second_upload_replaces_the_first_and_reset_returns_to_the_shipped_one(self):
        first = services.template_upload(
            kind="decision", upload=upload("a.docx", office_template()), actor=self.office_head
        )
        second = services.template_upload(
            kind="decision", upload=upload("b.docx", office_template()), actor=self.case_officer
        )
        first.refresh_from_db()
        self.assertFalse(first.active)
        self.assertEqual(selectors.template_for("decision").row, second)
        self.assertEqual(services.template_reset(kind="decision", actor=self.office_head), 1)
        choice = selectors.template_for("decision")
        self.assertTrue(choice.is_shipped)
        self.assertEqual(choice.content, render.shipped_template("decision"))
        self.assertEqual(DocumentTemplate.objects.count(), 2)  # the history stays
        with self.assertRaisesMessage(DomainError, str(MSG_TEMPLATE_HISTORY)):
            first.delete()

    def test_a_template_that_does_not_render_the_sample_is_refused(self):
        cases = [
            (
                "missing.docx",
                bad_template("{{ person.nickname }}"),
                services.MSG_TEMPLATE_INVALID.format(
                    detail=sandbox.MSG_REFUSED.format(
                        tag="{{ person.nickname }}",
                        reason=sandbox.REASON_NOT_A_FIELD.format(name="person.nickname"),
                    )
                ),
            ),
            ("old.doc", office_template(), services.MSG_TEMPLATE_NOT_DOCX),
            ("fake.docx", b"PK\x03\x04 not really a zip", services.MSG_TEMPLATE_NOT_DOCX),
            ("empty.docx", b"", services.MSG_TEMPLATE_EMPTY),
            (
                "huge.docx",
                b"0" * (services.TEMPLATE_MAX_BYTES + 1),
                services.MSG_TEMPLATE_TOO_LARGE,
            ),
        ]
        for name, content, message in cases:
            with self.subTest(name), self.assertRaisesMessage(DomainError, str(message)):
                services.template_upload(
                    kind="decision", upload=upload(name, content), actor=self.office_head
                )
        with self.assertRaisesMessage(DomainError, str(services.MSG_TEMPLATE_EMPTY)):
            services.template_upload(kind="decision", upload=None, actor=self.office_head)
        self.assertFalse(DocumentTemplate.objects.exists())
        broken = bad_template("{{ person.name ")
        with self.assertRaises(DomainError) as caught:
            services.template_upload(
                kind="decision", upload=upload("x.docx", broken), actor=self.office_head
            )
        self.assertTrue(caught.exception.message.startswith("模板校验未通过：模板中的填充标记有误"))

    def test_every_shipped_template_passes_its_own_check(self):
        for kind in DocumentKind:
            services.template_validate(kind, render.shipped_template(kind))

    def test_only_the_supervision_office_manages_templates(self):
        for user in (self.team_member, self.system_admin, self.archivist, self.subject):
            with (
                self.subTest(user.username),
                self.assertRaisesMessage(PermissionDenied, str(services.MSG_TEMPLATE_ROLE)),
            ):
                services.template_upload(
                    kind="decision", upload=upload("a.docx", office_template()), actor=user
                )
        with self.assertRaisesMessage(PermissionDenied, str(services.MSG_TEMPLATE_ROLE)):
            services.template_reset(kind="decision", actor=self.team_member)

    def test_the_overview_lists_every_kind(self):
        overview = selectors.template_overview()
        self.assertEqual([s.kind for s in overview], list(DocumentKind))
        self.assertTrue(all(s.active is None for s in overview))
