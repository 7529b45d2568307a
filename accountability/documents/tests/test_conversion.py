"""PDFs are made by the worker, several per LibreOffice run, outside every transaction.

Issuing records the document and queues its PDF; the conversion job converts every waiting
document it finds in one run, stores each PDF with its hashes and an audit entry; a failed
conversion says why on the pages and can be asked for again; a PDF not made yet is a page
that says so, never a 500; and no file is ever left without its row.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from accountability.audit.models import AuditEntry
from accountability.cases.tests.factories import Flow
from accountability.cases.workflow import State
from accountability.common.errors import DomainError, PermissionDenied
from accountability.documents import conversion, pdf, render, services
from accountability.documents.kinds import DocumentKind
from accountability.documents.models import DocumentPdf, IssuedDocument
from accountability.documents.tests.base import DocumentsTestCase, decided
from accountability.jobs.models import Job
from accountability.jobs.testing import clear_queue, queued_count, run_jobs

needs_soffice = pytest.mark.skipif(
    not pdf.pdf_available(), reason="LibreOffice (soffice) is not installed"
)


def fake_soffice(folder: Path, script: str) -> Path:
    path = folder / "soffice"
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(0o755)
    return path


class PdfTests(DocumentsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.flow = decided(cls.personas)
        cls.case = cls.flow.case
        cls.page = reverse("documents:case_documents", args=[cls.case.pk])

    def issue(self, party=None, **kwargs):
        kwargs.setdefault("actor", self.case_officer)
        return services.document_issue(
            case=self.case,
            kind=DocumentKind.DECISION,
            party=party or self.flow.parties[0],
            **kwargs,
        )

    def test_issuing_stores_the_document_and_queues_its_pdf_for_after_the_commit(self):
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            document = self.issue()
            self.assertEqual(queued_count(), 0)
        copy = DocumentPdf.objects.get(document=document)
        self.assertEqual((copy.state, copy.file.name), (DocumentPdf.State.PENDING, ""))
        self.assertEqual(copy.job.state, Job.State.QUEUED)
        self.assertEqual(copy.job.owner, self.case_officer)
        self.assertEqual(copy.job.params, {"document_ids": [document.pk]})
        for callback in callbacks:
            callback()
        self.assertEqual(queued_count(), 1)
        entry = AuditEntry.objects.get(action="issue_document", target_id=str(document.pk))
        self.assertEqual(entry.changes["pdf"], "requested")

    def test_a_pdf_not_made_yet_is_a_page_that_says_so(self):
        document = self.issue()
        name = services.download_name(document, "pdf")
        self.client.force_login(self.case_officer)
        response = self.client.get(reverse("documents:download", args=[document.pk, "pdf"]))
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, services.MSG_PDF_PENDING.format(name=name), status_code=409)
        refused = AuditEntry.objects.get(action="download", outcome="failure")
        self.assertEqual(refused.changes, {"format": "pdf", "code": "pdf_pending"})
        page = self.client.get(self.page)
        self.assertContains(page, "PDF 排队中")
        self.assertContains(page, reverse("jobs:job", args=[document.pdf.job_id]))
        self.assertNotContains(page, reverse("documents:download", args=[document.pk, "pdf"]))
        # Someone else sees the state, not the job page (it is the officer's own).
        self.client.force_login(self.office_head)
        page = self.client.get(self.page)
        self.assertContains(page, "PDF 排队中")
        self.assertNotContains(page, reverse("jobs:job", args=[document.pdf.job_id]))

    def test_a_document_issued_without_a_pdf_says_so_and_offers_one(self):
        document = self.issue(with_pdf=False)
        with self.assertRaisesMessage(
            DomainError,
            services.MSG_PDF_NONE.format(name=services.download_name(document, "pdf")),
        ):
            services.document_content(document=document, fmt="pdf")
        self.client.force_login(self.case_officer)
        page = self.client.get(self.page)
        self.assertContains(page, reverse("documents:pdf", args=[document.pk]))
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("documents:pdf", args=[document.pk]), {"next": self.page})
        self.assertEqual(DocumentPdf.objects.get(document=document).state, "pending")
        self.assertEqual(queued_count(), 1)

    @needs_soffice
    def test_one_job_converts_every_waiting_document_in_one_run(self):
        """Two documents issued, two jobs queued: the first job makes both PDFs (one
        LibreOffice run), the second finds its PDF made."""
        with self.captureOnCommitCallbacks(execute=True):
            first = self.issue(self.flow.parties[0])
            second = self.issue(self.flow.parties[1])
        runs = []
        real = pdf.docx_to_pdf_many

        def counted(documents, **kwargs):
            runs.append(len(documents))
            return real(documents, **kwargs)

        before = self.stored_files()
        with mock.patch.object(pdf, "docx_to_pdf_many", counted):
            self.assertEqual(run_jobs(), 2)
        self.assertEqual(runs, [2])
        copies = [DocumentPdf.objects.get(document=d) for d in (first, second)]
        self.assertEqual(copies[0].job_id, copies[1].job_id)  # the job that converted both
        own = [Job.objects.get(params={"document_ids": [d.pk]}) for d in (first, second)]
        self.assertEqual([j.state for j in own], [Job.State.SUCCEEDED] * 2)
        self.assertEqual(own[0].result["made"], [c.pk for c in copies])
        self.assertEqual(own[1].result["made"], [])
        self.assertEqual(own[1].message, "已生成1份 PDF。")
        self.assertEqual(own[0].result_url, self.page)
        for document in (first, second):
            copy = DocumentPdf.objects.get(document=document)
            data = copy.file.open("rb").read()
            self.assertTrue(data.startswith(b"%PDF-"))
            self.assertEqual((copy.state, copy.sha256), ("ready", render.sha256_hex(data)))
            self.assertEqual(copy.sm3, render.sm3_hex(data))
            entry = AuditEntry.objects.get(
                action="create", target_type="documents.documentpdf", target_id=str(copy.pk)
            )
            self.assertEqual(entry.changes["pdf_sha256"], copy.sha256)
            self.assertEqual(entry.changes["document"], document.pk)
            self.assertEqual(entry.actor_id, self.case_officer.pk)
        self.assertEqual(len(self.stored_files() - before), 2)
        self.client.force_login(self.case_officer)
        response = self.client.get(reverse("documents:download", args=[first.pk, "pdf"]))
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertEqual(render.sha256_hex(response.content), copies[0].sha256)
        page = self.client.get(self.page)
        self.assertContains(page, reverse("documents:download", args=[first.pk, "pdf"]))
        self.assertNotContains(page, "PDF 排队中")

    def test_a_failed_conversion_says_why_and_can_be_asked_for_again(self):
        folder = Path(self._media_dir) / "bin"
        folder.mkdir(exist_ok=True)
        broken = fake_soffice(folder, "echo 'Error: source file could not be loaded' >&2\nexit 1\n")
        with override_settings(SOFFICE_BINARY=str(broken)):
            with self.captureOnCommitCallbacks(execute=True):
                document = self.issue()
            run_jobs()
        reason = pdf.CONVERSION_FAILED.format(detail="Error: source file could not be loaded")
        copy = DocumentPdf.objects.get(document=document)
        self.assertEqual((copy.state, copy.error), (DocumentPdf.State.FAILED, reason))
        job = Job.objects.get(pk=copy.job_id)
        self.assertEqual((job.state, job.error), (Job.State.FAILED, reason))
        self.client.force_login(self.case_officer)
        page = self.client.get(self.page)
        self.assertContains(page, "PDF 生成失败")
        self.assertContains(page, reason)
        self.assertContains(page, "重新生成 PDF")
        response = self.client.get(reverse("documents:download", args=[document.pk, "pdf"]))
        message = services.MSG_PDF_FAILED.format(
            name=services.download_name(document, "pdf"), reason=reason.rstrip("。")
        )
        self.assertContains(response, message, status_code=409)
        # Not for someone who may not issue it; then again, by the officer.
        with self.assertRaisesMessage(PermissionDenied, str(conversion.MSG_NOT_ALLOWED)):
            conversion.pdf_retry(document=document, actor=self.team_member)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("documents:pdf", args=[document.pk]), {"next": self.page}, follow=True
            )
        self.assertContains(response, "PDF 正在后台生成，完成后可在文书列表中下载。")
        copy.refresh_from_db()
        self.assertEqual((copy.state, copy.error), (DocumentPdf.State.PENDING, ""))
        self.assertNotEqual(copy.job_id, job.pk)
        with self.assertRaisesMessage(DomainError, str(conversion.MSG_UNDER_WAY)):
            conversion.pdf_retry(document=document, actor=self.case_officer)
        retry = AuditEntry.objects.get(
            action="update", target_type="documents.issueddocument", target_id=str(document.pk)
        )
        self.assertEqual(retry.changes, {"pdf": ["failed", "pending"]})

    def test_a_pdf_whose_job_was_lost_shows_as_failed_and_can_be_asked_for_again(self):
        """A horse killed mid-run leaves the PDF 转换中 under a failed job: shown as failed."""
        document = self.issue()
        copy = document.pdf
        DocumentPdf.objects.filter(pk=copy.pk).update(state=DocumentPdf.State.CONVERTING)
        Job.objects.filter(pk=copy.job_id).update(
            state=Job.State.FAILED,
            error="后台任务意外终止（可能超过内存限制），请重试或联系系统管理员。",
        )
        copy.refresh_from_db()
        self.assertEqual(copy.shown_state, DocumentPdf.State.FAILED)
        self.client.force_login(self.case_officer)
        self.assertContains(self.client.get(self.page), "后台任务意外终止")
        conversion.pdf_retry(document=document, actor=self.case_officer)
        copy.refresh_from_db()
        self.assertEqual(copy.state, DocumentPdf.State.PENDING)

    @needs_soffice
    def test_a_pdf_file_is_removed_when_its_row_cannot_be_stored(self):
        """No orphan: the PDF written inside the storing transaction goes when it fails."""
        with self.captureOnCommitCallbacks(execute=True):
            document = self.issue()
        real = conversion.audit_log

        def failing(**kwargs):
            if kwargs.get("detail") == "生成 PDF":
                raise RuntimeError("the database went away")
            return real(**kwargs)

        before = self.stored_files()
        with (
            mock.patch.object(conversion, "audit_log", failing),
            self.assertLogs("accountability.jobs.runner", "ERROR"),
        ):
            run_jobs()
        self.assertEqual(self.stored_files(), before)
        copy = DocumentPdf.objects.get(document=document)
        self.assertEqual((copy.state, copy.file.name), (DocumentPdf.State.FAILED, ""))
        self.assertIn("PDF 转换任务已停止", copy.error)

    def test_the_dossier_packs_the_pdfs_the_worker_made_and_converts_nothing(self):
        document = self.issue()
        with mock.patch.object(pdf, "docx_to_pdf_many", side_effect=AssertionError("converted")):
            package = services.dossier_export(case=self.case, actor=self.case_officer)
        self.assertEqual([e.path.rsplit(".", 1)[1] for e in package.entries], ["docx"])
        content = b"%PDF-1.7 made by the worker"
        copy = document.pdf
        copy.file.save("document.pdf", ContentFile(content))
        DocumentPdf.objects.filter(pk=copy.pk).update(
            state=DocumentPdf.State.READY, sha256=render.sha256_hex(content)
        )
        document = IssuedDocument.objects.get(pk=document.pk)
        package = services.dossier_export(case=self.case, actor=self.case_officer)
        self.assertEqual(sorted(e.path.rsplit(".", 1)[1] for e in package.entries), ["docx", "pdf"])


class SofficeBoundTests(DocumentsTestCase):
    @override_settings(DOCUMENTS_SOFFICE_MEMORY_MB=1500)
    def test_soffice_runs_with_its_own_address_space_bound(self):
        """The bound is the setting (prlimit), or what this process has when that is less."""
        folder = Path(self._media_dir) / "bin"
        folder.mkdir(exist_ok=True)
        seen = folder / "ulimit"
        fake = fake_soffice(folder, f"ulimit -v > {seen}\nexit 1\n")
        with (
            override_settings(SOFFICE_BINARY=str(fake)),
            self.assertRaises(pdf.PdfError),
        ):
            pdf.docx_to_pdf(b"x")
        self.assertEqual(int(seen.read_text()), 1500 * 1024)  # ulimit -v counts KiB
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            code = 1
            try:
                import resource

                resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
                code = 0 if pdf.soffice_address_space() == 1 << 30 else 2
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        self.assertEqual(os.WEXITSTATUS(status), 0)


# --- the conversion job in the real worker ----------------------------------------------


@pytest.fixture
def worker_env():
    from django.conf import settings

    if connection.vendor != "postgresql":
        pytest.skip("a worker process needs a database it can open: run on PostgreSQL")
    clear_queue()
    db = connection.settings_dict
    env = dict(os.environ)
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    env.update(
        DATABASE_URL=f"postgres://{db['USER']}@{host}:{port}/{db['NAME']}",
        JOBS_QUEUE=settings.JOBS_QUEUE,
        REDIS_URL=settings.REDIS_URL,
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    yield env
    clear_queue()


@needs_soffice
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_worker_converts_within_its_memory_limit(worker_env, personas, media_root):
    """In a horse of its own, its address space capped (children inherit it), the job's
    memory limit leaves LibreOffice enough: the PDF is made."""
    flow = Flow.register(personas, personas.people.handler).to(State.DECIDED)
    document = services.document_issue(
        case=flow.case,
        kind=DocumentKind.DECISION,
        actor=personas.case_officer,
        party=flow.parties[0],
    )
    script = Path(sys.executable).with_name("accountability")
    subprocess.run([str(script), "worker", "--burst"], env=worker_env, check=True, timeout=300)
    copy = DocumentPdf.objects.get(document=document)
    job = Job.objects.get(pk=copy.job_id)
    assert (job.state, job.error) == (Job.State.SUCCEEDED, "")
    assert copy.state == DocumentPdf.State.READY
    assert copy.file.open("rb").read().startswith(b"%PDF-")
