"""Attachments: types by content, no orphan file on failure, verified on every download,
and the size limit kept while the upload streams in."""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import time
from pathlib import Path
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import OperationalError
from django.http.multipartparser import MultiPartParser
from django.test import RequestFactory, override_settings
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from accountability.audit.models import AuditEntry
from accountability.audit.selectors import audit_chain_verify
from accountability.audit.services import seal_value
from accountability.cases import files, services
from accountability.cases.models import Attachment, Evidence
from accountability.cases.tests.factories import Flow, ago
from accountability.cases.workflow import State
from accountability.common.errors import DomainError
from accountability.common.tests import hostile_files as hf
from accountability.common.uploads import LimitedUploadHandler, RefusedUpload
from accountability.demo.testing import PersonasTestCase

EXE_AS_PDF = (
    "不能上传此类文件：文件内容为Windows 可执行程序(exe/dll)"
    "（application/vnd.microsoft.portable-executable），"
    "允许上传的类型为PDF、Word、Excel、图片、纯文本、音频、视频。"
)


def media_files(root: str) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in Path(root).rglob("*") if p.is_file())


class AttachmentTestCase(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        p = cls.personas
        cls.flow = Flow.register(p, p.people.handler).to(State.INVESTIGATING)
        cls.case = cls.flow.case

    def setUp(self) -> None:
        self.media = tempfile.mkdtemp(prefix="attachments-")
        self.addCleanup(shutil.rmtree, self.media, ignore_errors=True)
        override = override_settings(MEDIA_ROOT=self.media)
        override.enable()
        self.addCleanup(override.disable)

    def add(self, name: str, content: bytes, **kwargs) -> Attachment:
        return services.attachment_add(
            case=self.case,
            actor=self.personas.team_member,
            file=SimpleUploadedFile(name, content, "application/pdf"),
            **kwargs,
        )


class TypeTests(AttachmentTestCase):
    def test_an_exe_renamed_pdf_is_refused_naming_what_it_is(self):
        with self.assertRaisesMessage(DomainError, EXE_AS_PDF):
            self.add("谈话笔录.pdf", hf.windows_executable())
        self.assertFalse(Attachment.objects.exists())
        self.assertEqual(media_files(self.media), [])

    def test_the_page_shows_the_refusal_and_audits_it(self):
        self.client.force_login(self.personas.team_member)
        upload = SimpleUploadedFile("笔录.pdf", hf.windows_executable(), "application/pdf")
        response = self.client.post(
            reverse("cases:attachment_add", args=[self.case.pk]), {"file": upload}
        )
        self.assertContains(response, EXE_AS_PDF)
        entry = AuditEntry.objects.latest("seq")
        self.assertEqual((entry.outcome, entry.changes["code"]), ("failure", "file_type"))
        self.assertEqual(media_files(self.media), [])

    def test_web_pages_svg_and_archives_are_refused(self):
        svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
        for name, content, kind in (
            ("说明.txt", hf.html_page(), "网页(HTML)（text/html）"),
            ("图.png", svg, "SVG 图形(可含脚本)（image/svg+xml）"),
            ("材料.docx", hf.plain_zip(), "ZIP 压缩包（application/zip）"),
        ):
            with self.subTest(name), self.assertRaisesMessage(DomainError, kind):
                self.add(name, content)

    def test_allowed_types_are_stored_with_the_type_found(self):
        from docx import Document

        document = io.BytesIO()
        Document().save(document)
        for name, content, mime in (
            ("笔录.pdf", hf.pdf_document(), "application/pdf"),
            ("照片.png", hf.png_image(), "image/png"),
            ("说明.doc", document.getvalue(), files.DEFAULT_ATTACHMENT_TYPES[2]),
            ("记录.txt", "谈话记录：本人对事实无异议。".encode(), "text/plain"),
            ("短.txt", b"x", "text/plain"),
            ("gbk.txt", "工作台账".encode("gb18030"), "text/plain"),
        ):
            with self.subTest(name):
                self.assertEqual(self.add(name, content).content_type, mime)

    @override_settings(CASES_ATTACHMENT_TYPES=["application/pdf"])
    def test_the_allow_list_is_a_setting(self):
        self.add("a.pdf", hf.pdf_document())
        with self.assertRaisesMessage(DomainError, "允许上传的类型为PDF。"):
            self.add("a.txt", b"text")

    def test_the_user_s_file_name_cannot_reach_the_storage_path(self):
        for name, kept in (
            ("../../etc/passwd.txt", "passwd.txt"),
            ("/etc/cron.d/x.txt", "x.txt"),
            ("C:\\Windows\\system32\\a.txt", "a.txt"),
            ("a\x00b.txt", "ab.txt"),
            ("记录\u202etxt.exe", "记录txt.exe"),
            (" . ", "附件"),
        ):
            with self.subTest(name):
                attachment = self.add(name, b"plain text")
                self.assertEqual(attachment.original_name, kept)
                self.assertTrue(attachment.file.name.startswith(f"cases/{self.case.pk}/"))
        for stored in media_files(self.media):
            self.assertTrue(stored.startswith(f"cases/{self.case.pk}/"), stored)


class NoOrphanTests(AttachmentTestCase):
    def test_a_failure_after_the_file_is_written_leaves_no_file(self):
        """The database refuses the audit entry (locked): row and file are both gone."""
        locked = OperationalError("database is locked")
        with (
            mock.patch.object(services._step, "audit_log", side_effect=locked),
            self.assertRaises(OperationalError),
        ):
            self.add("笔录.txt", "谈话笔录".encode())
        self.assertFalse(Attachment.objects.exists())
        self.assertEqual(media_files(self.media), [])

    def test_evidence_whose_record_fails_leaves_no_file(self):
        with (
            mock.patch.object(Evidence.objects, "create", side_effect=ValueError("boom")),
            self.assertRaises(ValueError),
        ):
            services.evidence_add(
                case=self.case,
                actor=self.personas.team_member,
                title="台账",
                collected_on=ago(3),
                file=SimpleUploadedFile("台账.txt", "台账".encode()),
            )
        self.assertFalse(Attachment.objects.exists())
        self.assertEqual(media_files(self.media), [])

    def test_a_file_left_by_a_crash_is_found_and_removed(self):
        kept = self.add("保留.txt", b"kept")
        stray = Path(self.media, "cases", str(self.case.pk), "stray.txt")
        stray.write_bytes(b"left by a crash")
        young = Path(self.media, "cases", str(self.case.pk), "young.txt")
        young.write_bytes(b"its row may not have committed yet")
        old = time.time() - 2 * 3600
        os.utime(stray, (old, old))
        os.utime(Path(self.media, kept.file.name), (old, old))
        self.assertEqual(files.orphan_files(), [f"cases/{self.case.pk}/stray.txt"])
        out = io.StringIO()
        call_command("remove_orphan_files", stdout=out)
        self.assertIn("已删除 1 个", out.getvalue())
        self.assertFalse(stray.exists())
        self.assertTrue(young.exists())
        self.assertTrue(Path(self.media, kept.file.name).exists())
        entry = AuditEntry.objects.latest("seq")
        self.assertEqual(entry.action, "delete")
        self.assertEqual(entry.changes["files"], [f"cases/{self.case.pk}/stray.txt"])


class DownloadTests(AttachmentTestCase):
    def download(self, attachment: Attachment):
        self.client.force_login(self.personas.team_member)
        url = reverse("cases:attachment_download", args=[self.case.pk, attachment.pk])
        return self.client.get(url)

    def test_an_intact_file_downloads_and_is_audited(self):
        attachment = self.add("笔录.txt", "谈话笔录".encode())
        response = self.download(attachment)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), "谈话笔录".encode())
        self.assertEqual(response["Content-Type"], "text/plain")
        entry = AuditEntry.objects.latest("seq")
        self.assertEqual((entry.action, entry.outcome), ("download", "success"))

    def test_an_altered_file_is_refused_and_the_refusal_audited(self):
        attachment = self.add("笔录.txt", "谈话笔录".encode())
        Path(self.media, attachment.file.name).write_bytes("谈话笔录（改）".encode())
        response = self.download(attachment)
        message = files.MSG_TAMPERED.format(name="笔录.txt")
        self.assertContains(response, message, status_code=409)
        entry = AuditEntry.objects.latest("seq")
        self.assertEqual((entry.action, entry.outcome), ("download", "failure"))
        # The message names the file (case content): the audit keeps it as a keyed hash.
        self.assertEqual(entry.detail, "")
        self.assertEqual(entry.sealed["detail"], seal_value(message))
        self.assertEqual(entry.changes["code"], "tampered")
        self.assertTrue(audit_chain_verify().ok)

    def test_a_missing_file_is_refused_and_the_refusal_audited(self):
        attachment = self.add("笔录.txt", "谈话笔录".encode())
        Path(self.media, attachment.file.name).unlink()
        response = self.download(attachment)
        self.assertContains(response, files.MSG_MISSING.format(name="笔录.txt"), status_code=409)
        self.assertEqual(AuditEntry.objects.latest("seq").changes["code"], "file_missing")


class StreamingLimitTests(AttachmentTestCase):
    def parse(self, content: bytes, limit: int) -> dict:
        body = encode_multipart(BOUNDARY, {"file": SimpleUploadedFile("big.pdf", content)})
        request = RequestFactory().generic("POST", "/", data=body, content_type=MULTIPART_CONTENT)
        handler = LimitedUploadHandler(request)
        handler.limit = limit
        request.upload_handlers = [handler, *request.upload_handlers[1:]]
        parser = MultiPartParser(request.META, io.BytesIO(body), request.upload_handlers)
        _post, uploaded = parser.parse()
        return uploaded

    @override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=1024)
    def test_past_the_limit_nothing_is_kept_but_the_size_is_known(self):
        temp = tempfile.gettempdir()
        before = set(os.listdir(temp))
        uploaded = self.parse(b"%PDF" + b"0" * (3 << 20), limit=1 << 20)
        file = uploaded["file"]
        self.assertIsInstance(file, RefusedUpload)
        self.assertEqual(file.size, (3 << 20) + 4)
        self.assertEqual(file.read(), b"")
        self.assertEqual(set(os.listdir(temp)) - before, set())

    def test_within_the_limit_the_file_arrives_whole(self):
        uploaded = self.parse(b"%PDF" + b"0" * 1000, limit=1 << 20)
        self.assertEqual(uploaded["file"].read(), b"%PDF" + b"0" * 1000)

    @override_settings(CASES_ATTACHMENT_MAX_MB=1)
    def test_the_page_says_too_large_and_stores_nothing(self):
        self.client.force_login(self.personas.team_member)
        upload = SimpleUploadedFile("big.txt", b"a" * ((1 << 20) + 10))
        response = self.client.post(
            reverse("cases:attachment_add", args=[self.case.pk]), {"file": upload}
        )
        self.assertContains(response, services.MSG_ATTACHMENT_TOO_LARGE.format(mb=1))
        self.assertEqual(media_files(self.media), [])
