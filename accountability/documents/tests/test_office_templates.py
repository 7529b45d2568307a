"""Office templates: an uploaded .docx is kept, checked by the worker with the sample data,
then used (and reversible) or refused with the reason."""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from accountability.audit.models import AuditEntry
from accountability.common.errors import DomainError, PermissionDenied
from accountability.documents import office_templates, package, render, sandbox, selectors, services
from accountability.documents.kinds import DocumentKind
from accountability.documents.models import MSG_TEMPLATE_HISTORY, DocumentTemplate, TemplateUpload
from accountability.documents.tests.base import DocumentsTestCase, decided
from accountability.documents.tests.helpers import docx_text
from accountability.jobs.models import Job
from accountability.jobs.testing import queued_count

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
    def test_an_uploaded_template_is_checked_by_the_worker_then_used(self):
        content = office_template()
        row = self.upload_template("decision", "决定书.docx", content, note="加注本单位字样")
        self.assertEqual(row.state, TemplateUpload.State.ACCEPTED)
        self.assertIsNone(row.content)  # the bytes now live in the template's file only
        self.assertEqual(row.job.state, Job.State.SUCCEEDED)
        self.assertEqual(row.job.message, "已启用新的“责任追究决定书”模板（决定书.docx）。")
        template = row.template
        self.assertTrue(template.active)
        self.assertEqual(template.note, "加注本单位字样")
        choice = selectors.template_for("decision")
        self.assertEqual((choice.row, choice.content), (template, content))
        self.assertEqual(choice.sha256, render.sha256_hex(content))
        flow = decided(self.personas, self.personas.people.handler)
        document = services.document_issue(
            case=flow.case,
            kind="decision",
            actor=self.case_officer,
            party=flow.parties[0],
            with_pdf=False,
        )
        self.assertEqual((document.template, document.template_sha256), (template, row.sha256))
        self.assertIn(OWN_WORDS, docx_text(document.docx.open("rb").read()))
        entry = AuditEntry.objects.get(action="update", target_type="documents.documenttemplate")
        self.assertEqual(entry.changes["sha256"], template.sha256)
        self.assertEqual(entry.changes["upload"], row.pk)
        received = AuditEntry.objects.get(action="create", target_type="documents.templateupload")
        self.assertEqual(received.changes["sha256"], row.sha256)

    def test_the_web_request_only_keeps_the_file_and_queues_the_check(self):
        """Nothing is parsed in the request: even a file that is no zip at all waits for the
        worker, and the job reaches the queue when the upload's transaction commits."""
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            row = office_templates.template_upload(
                kind="decision", upload=upload("x.docx", b"not a zip"), actor=self.office_head
            )
        self.assertEqual(row.state, TemplateUpload.State.CHECKING)
        self.assertEqual(bytes(row.content), b"not a zip")
        self.assertEqual(row.job.state, Job.State.QUEUED)
        self.assertEqual(queued_count(), 0)
        for callback in callbacks:
            callback()
        self.assertEqual(queued_count(), 1)

    def test_a_second_upload_replaces_the_first_and_reset_returns_to_the_shipped_one(self):
        first = self.upload_template("decision", "a.docx", office_template()).template
        second = self.upload_template(
            "decision", "b.docx", office_template(), actor=self.case_officer
        ).template
        first.refresh_from_db()
        self.assertFalse(first.active)
        self.assertEqual(selectors.template_for("decision").row, second)
        self.assertEqual(
            office_templates.template_reset(kind="decision", actor=self.office_head), 1
        )
        choice = selectors.template_for("decision")
        self.assertTrue(choice.is_shipped)
        self.assertEqual(choice.content, render.shipped_template("decision"))
        self.assertEqual(DocumentTemplate.objects.count(), 2)  # the history stays
        with self.assertRaisesMessage(DomainError, str(MSG_TEMPLATE_HISTORY)):
            first.delete()

    def test_what_the_request_refuses_at_once(self):
        """An empty upload, a file not named .docx and one over the size limit are refused
        before anything is kept (these need no parsing)."""
        too_large = package.MSG_TOO_LARGE.format(mb=5)
        cases = [
            ("old.doc", office_template(), package.MSG_NOT_DOCX),
            ("empty.docx", b"", package.MSG_EMPTY),
            ("huge.docx", b"0" * (5 * 1024 * 1024 + 1), too_large),
        ]
        for name, content, message in cases:
            with self.subTest(name), self.assertRaisesMessage(DomainError, str(message)):
                office_templates.template_upload(
                    kind="decision", upload=upload(name, content), actor=self.office_head
                )
        with self.assertRaisesMessage(DomainError, str(package.MSG_EMPTY)):
            office_templates.template_upload(kind="decision", upload=None, actor=self.office_head)
        self.assertFalse(TemplateUpload.objects.exists())
        self.assertFalse(Job.objects.exists())

    def test_a_template_that_does_not_render_the_sample_is_refused_by_the_worker(self):
        cases = [
            (
                "missing.docx",
                bad_template("{{ person.nickname }}"),
                office_templates.MSG_TEMPLATE_INVALID.format(
                    detail=sandbox.MSG_REFUSED.format(
                        tag="{{ person.nickname }}",
                        reason=sandbox.REASON_NOT_A_FIELD.format(name="person.nickname"),
                    )
                ),
            ),
            ("fake.docx", b"%PDF-1.4 not a zip", package.MSG_NOT_DOCX),
        ]
        before = self.stored_files()
        for name, content, message in cases:
            with self.subTest(name):
                row = self.upload_template("decision", name, content)
                self.assertEqual(row.state, TemplateUpload.State.REFUSED)
                self.assertEqual(row.reason, message)
                self.assertEqual((row.job.state, row.job.error), (Job.State.FAILED, message))
                self.assertIsNone(row.content)
        row = self.upload_template("decision", "x.docx", bad_template("{{ person.name "))
        self.assertTrue(row.reason.startswith("模板校验未通过：模板中的填充标记有误"))
        self.assertFalse(DocumentTemplate.objects.exists())
        self.assertEqual(self.stored_files(), before)
        refusals = AuditEntry.objects.filter(
            target_type="documents.templateupload", action="update", outcome="failure"
        )
        self.assertEqual(refusals.count(), 3)

    def test_an_upload_is_checked_once(self):
        row = self.upload_template("decision", "a.docx", office_template())
        with self.assertRaisesMessage(
            DomainError, office_templates.MSG_ALREADY_CHECKED.format(state="已启用")
        ):
            office_templates.template_upload_check(upload_id=row.pk)

    def test_every_shipped_template_passes_its_own_check(self):
        for kind in DocumentKind:
            office_templates.template_validate(kind, render.shipped_template(kind))

    def test_only_the_supervision_office_manages_templates(self):
        for user in (self.team_member, self.system_admin, self.archivist, self.subject):
            with (
                self.subTest(user.username),
                self.assertRaisesMessage(PermissionDenied, str(office_templates.MSG_TEMPLATE_ROLE)),
            ):
                office_templates.template_upload(
                    kind="decision", upload=upload("a.docx", office_template()), actor=user
                )
        with self.assertRaisesMessage(PermissionDenied, str(office_templates.MSG_TEMPLATE_ROLE)):
            office_templates.template_reset(kind="decision", actor=self.team_member)
        self.assertFalse(TemplateUpload.objects.exists())

    def test_the_overview_lists_every_kind_with_its_refused_uploads(self):
        self.upload_template("decision", "坏模板.docx", bad_template("{{ person.nickname }}"))
        overview = selectors.template_overview()
        self.assertEqual([s.kind for s in overview], list(DocumentKind))
        self.assertTrue(all(s.active is None for s in overview))
        decision = next(s for s in overview if s.kind == DocumentKind.DECISION)
        self.assertEqual([u.original_name for u in decision.uploads], ["坏模板.docx"])


class StoredHostileTemplateTests(DocumentsTestCase):
    """A template that reached storage without the check (written to the database directly)
    is refused at issue, at preview and as a sample: the sandbox check runs at every render."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.flow = decided(cls.personas, cls.personas.people.handler)

    def store(self, marker) -> None:
        payload = f"{{{{ cycler.__init__.__globals__.os.popen('touch {marker}').read() }}}}"
        content = bad_template(payload)
        row = DocumentTemplate(
            kind=DocumentKind.DECISION,
            original_name="stored.docx",
            sha256=render.sha256_hex(content),
            uploaded_by=self.case_officer,
        )
        row.file.save("stored.docx", ContentFile(content), save=False)
        row.save()

    def test_issue_preview_and_sample_refuse_it_and_run_nothing(self):
        import tempfile
        from pathlib import Path

        from accountability.documents import drafts
        from accountability.jobs.testing import run_jobs

        marker = Path(tempfile.mkdtemp()) / "ran"
        self.store(marker)
        party = self.flow.parties[0]
        with self.assertRaises(DomainError) as caught:
            services.document_issue(
                case=self.flow.case,
                kind="decision",
                actor=self.case_officer,
                party=party,
                with_pdf=False,
            )
        self.assertEqual(caught.exception.code, "template_unsafe")
        self.assertIn("cycler.__init__.__globals__", caught.exception.message)
        self.assertFalse(services.IssuedDocument.objects.exists())
        with self.captureOnCommitCallbacks(execute=True):
            preview = drafts.draft_request(
                actor=self.case_officer,
                kind="decision",
                fmt="docx",
                case=self.flow.case,
                party=party,
            )
            sample = drafts.draft_request(
                actor=self.case_officer, kind="decision", fmt="docx", sample=True
            )
        run_jobs()
        for job in (preview, sample):
            job.refresh_from_db()
            self.assertEqual(job.state, Job.State.FAILED)
            self.assertIn("cycler.__init__.__globals__", job.error)
        self.assertFalse(marker.exists())
