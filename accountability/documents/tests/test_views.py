"""The document pages: a case's paperwork, downloads, issuing, drafts, the package, templates."""

from __future__ import annotations

import io
import zipfile
from urllib.parse import unquote

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accountability.documents import package, render, services
from accountability.documents.kinds import DocumentKind
from accountability.documents.models import DocumentTemplate, IssuedDocument, TemplateUpload
from accountability.documents.tests.base import DocumentsTestCase, decided, issue_decisions
from accountability.documents.tests.helpers import docx_text
from accountability.jobs.models import Job
from accountability.jobs.testing import run_jobs


def filename(response) -> str:
    header = response["Content-Disposition"]
    return unquote(header.split("filename*=utf-8''")[-1]) if "filename*" in header else header


class CaseDocumentsViewTests(DocumentsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.flow = decided(cls.personas)
        cls.case = cls.flow.case
        cls.page = reverse("documents:case_documents", args=[cls.case.pk])

    def test_the_page_lists_what_may_be_issued(self):
        self.client.force_login(self.case_officer)
        response = self.client.get(self.page)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "责任追究决定书（吴刚）")
        self.assertContains(response, "责任追究决定书（朱磊）")
        self.assertContains(response, "本案尚未印发文书。")
        self.assertContains(response, reverse("documents:issue", args=[self.case.pk]))
        self.assertNotContains(response, "preview/transfer_letter")  # not a 涉嫌犯罪 case

    def test_issuing_from_the_page_and_downloading_the_word_file(self):
        self.client.force_login(self.case_officer)
        party = self.flow.parties[0]
        response = self.client.post(
            reverse("documents:issue", args=[self.case.pk]),
            {"kind": "decision", "party": party.pk},
        )
        self.assertRedirects(response, self.page, fetch_redirect_response=False)
        document = IssuedDocument.objects.get(kind=DocumentKind.DECISION, party=party)
        page = self.client.get(self.page)
        self.assertContains(page, f"已印发责任追究决定书（吴刚）（{document.number}）。")
        download = self.client.get(reverse("documents:download", args=[document.pk, "docx"]))
        self.assertEqual(download.status_code, 200)
        self.assertEqual(download["Content-Type"], services.CONTENT_TYPES["docx"])
        self.assertEqual(filename(download), f"责任追究决定书（吴刚）-{document.number}.docx")
        self.assertEqual(render.sha256_hex(download.content), document.docx_sha256)

    def test_a_refused_issue_is_shown_as_a_message(self):
        self.client.force_login(self.case_officer)
        response = self.client.post(
            reverse("documents:issue", args=[self.case.pk]),
            {"kind": "transfer_letter"},
            follow=True,
        )
        self.assertContains(response, "本案没有情节认定为“涉嫌犯罪”的被调查人，不需要移送函。")
        self.assertFalse(IssuedDocument.objects.exists())

    def test_a_draft_is_neither_stored_nor_numbered(self):
        self.client.force_login(self.case_officer)
        party = self.flow.parties[0]
        url = reverse("documents:preview", args=[self.case.pk, "decision", "docx"])
        response = self.client.get(f"{url}?party={party.pk}")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(filename(response).startswith("草稿-责任追究决定书（吴刚）"))
        self.assertIn("镇纪监干〔", docx_text(response.content))
        self.assertIn("〕　　号", docx_text(response.content))
        self.assertFalse(IssuedDocument.objects.exists())

    def test_someone_outside_the_case_gets_not_found(self):
        self.client.force_login(self.case_officer)
        self.client.post(
            reverse("documents:issue", args=[self.case.pk]), {"kind": "intake_approval"}
        )
        document = IssuedDocument.objects.get()
        self.client.force_login(self.township_officer)
        self.assertEqual(self.client.get(self.page).status_code, 404)
        response = self.client.get(reverse("documents:download", args=[document.pk, "docx"]))
        self.assertEqual(response.status_code, 404)
        self.client.force_login(self.system_admin)
        response = self.client.get(reverse("documents:download", args=[document.pk, "docx"]))
        self.assertIn(response.status_code, (403, 404))

    def test_the_person_held_accountable_downloads_their_own_decision_only(self):
        """吴刚 (the subject account) may fetch his decision document, not the case's report."""
        decision, _ = issue_decisions(self.flow, self.case_officer)
        report = services.document_issue(
            case=self.case, kind="investigation_report", actor=self.case_officer, with_pdf=False
        )
        self.client.force_login(self.subject)
        own = self.client.get(reverse("documents:download", args=[decision.pk, "docx"]))
        self.assertEqual(own.status_code, 200)
        other = self.client.get(reverse("documents:download", args=[report.pk, "docx"]))
        self.assertEqual(other.status_code, 404)

    def test_a_new_version_from_the_page(self):
        self.client.force_login(self.case_officer)
        form = services.document_issue(
            case=self.case, kind="intake_approval", actor=self.case_officer, with_pdf=False
        )
        response = self.client.post(
            reverse("documents:reissue", args=[form.pk]), {"reason": "补记审批意见。"}, follow=True
        )
        self.assertContains(response, "已生成线索受理审批表第2版。")
        self.assertContains(response, "更正理由：补记审批意见。")
        response = self.client.post(
            reverse("documents:reissue", args=[form.pk]), {"reason": "再改。"}, follow=True
        )
        self.assertContains(response, services.MSG_SUPERSEDED.format(version=2))

    def test_the_dossier_package_downloads_as_a_zip(self):
        self.client.force_login(self.case_officer)
        issue_decisions(self.flow, self.case_officer)
        response = self.client.post(reverse("documents:dossier", args=[self.case.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/zip")
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        self.assertIn(services.INDEX_NAME, archive.namelist())
        self.assertEqual(response["X-Content-SHA256"], render.sha256_hex(response.content))
        self.client.force_login(self.team_member)
        response = self.client.post(reverse("documents:dossier", args=[self.case.pk]))
        self.assertEqual(response.status_code, 403)

    def test_get_is_not_allowed_for_actions(self):
        self.client.force_login(self.case_officer)
        for name in ("documents:issue", "documents:dossier"):
            self.assertEqual(self.client.get(reverse(name, args=[self.case.pk])).status_code, 405)

    def test_the_page_speaks_english_when_asked(self):
        self.client.force_login(self.case_officer)
        response = self.client.get(self.page, HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(response, "Issued documents")
        self.assertContains(response, "Documents of the procedure")

    def test_anonymous_users_are_sent_to_log_in(self):
        response = self.client.get(self.page)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])


class TemplatePagesTests(DocumentsTestCase):
    def test_the_templates_page_and_downloads(self):
        self.client.force_login(self.case_officer)
        response = self.client.get(reverse("documents:templates"))
        self.assertEqual(response.status_code, 200)
        for kind in DocumentKind:
            self.assertContains(response, kind.label)
        self.assertContains(response, "校验并启用")
        download = self.client.get(reverse("documents:template_download", args=["decision"]))
        self.assertEqual(download.content, render.shipped_template("decision"))
        sample = self.client.get(reverse("documents:template_sample", args=["decision", "docx"]))
        self.assertIn("张三", docx_text(sample.content))

    def test_uploading_a_template_from_the_page(self):
        """The upload goes to its job's page, which shows the check's result when done."""
        self.client.force_login(self.office_head)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("documents:template_upload", args=["decision"]),
                {
                    "file": SimpleUploadedFile(
                        "本单位决定书.docx", render.shipped_template("decision")
                    )
                },
            )
        upload = TemplateUpload.objects.get()
        job_page = reverse("jobs:job", args=[upload.job_id])
        self.assertRedirects(response, job_page, fetch_redirect_response=False)
        waiting = self.client.get(job_page)
        self.assertContains(
            waiting, "已收到“本单位决定书.docx”，正在后台校验，完成后本页显示结果。"
        )
        self.assertContains(waiting, "排队中")
        self.assertContains(waiting, '<meta http-equiv="refresh"')
        run_jobs()
        done = self.client.get(job_page)
        self.assertContains(done, "已启用新的“责任追究决定书”模板（本单位决定书.docx）。")
        self.assertContains(done, f'href="{reverse("documents:templates")}#decision"')
        self.assertTrue(DocumentTemplate.objects.get().active)
        response = self.client.post(
            reverse("documents:template_upload", args=["decision"]),
            {"file": SimpleUploadedFile("x.doc", b"not a docx")},
            follow=True,
        )
        self.assertContains(response, f"责任追究决定书：{package.MSG_NOT_DOCX}")
        response = self.client.post(
            reverse("documents:template_reset", args=["decision"]), follow=True
        )
        self.assertContains(response, "“责任追究决定书”已恢复使用系统默认模板。")
        self.assertFalse(DocumentTemplate.objects.filter(active=True).exists())

    def test_the_sample_of_an_office_template_is_made_by_the_worker(self):
        self.upload_template("decision", "本单位.docx", render.shipped_template("decision"))
        self.client.force_login(self.case_officer)
        url = reverse("documents:template_sample", args=["decision", "docx"])
        page = self.client.get(url)
        self.assertContains(page, "生成草稿")
        self.assertContains(page, 'method="post"')
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(url)
        job = Job.objects.get(kind__endswith="draft_render")
        self.assertRedirects(
            response, reverse("jobs:job", args=[job.pk]), fetch_redirect_response=False
        )
        run_jobs()
        job.refresh_from_db()
        self.assertEqual(job.state, Job.State.SUCCEEDED, job.error)
        draft = self.client.get(job.result_url)
        self.assertEqual(filename(draft), "责任追究决定书-示例.docx")
        self.assertIn("张三", docx_text(draft.content))
        self.client.force_login(self.office_head)  # someone else's draft
        self.assertEqual(self.client.get(job.result_url).status_code, 404)

    def test_readers_see_templates_but_cannot_change_them_and_administrators_see_nothing(self):
        self.client.force_login(self.team_member)
        response = self.client.get(reverse("documents:templates"))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "校验并启用")
        response = self.client.post(
            reverse("documents:template_upload", args=["decision"]),
            {"file": SimpleUploadedFile("a.docx", render.shipped_template("decision"))},
        )
        self.assertEqual(response.status_code, 403)
        self.client.force_login(self.system_admin)
        self.assertEqual(self.client.get(reverse("documents:templates")).status_code, 403)

    def test_an_unknown_kind_is_not_found(self):
        self.client.force_login(self.case_officer)
        response = self.client.get(reverse("documents:template_download", args=["memo"]))
        self.assertEqual(response.status_code, 404)
