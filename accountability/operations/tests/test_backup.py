"""`accountability backup` and `restore` round-trip the database and the stored files: the
restored system verifies its audit chain (timestamps to the microsecond), every issued
document's and attachment's hash, and decrypts the informant; restore checks the archive
first and refuses to overwrite data unless told to."""

from __future__ import annotations

import io
import json
import shutil
import tarfile
import tempfile
from io import StringIO
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TransactionTestCase, override_settings

from accountability.audit.models import AuditEntry
from accountability.audit.selectors import audit_chain_verify
from accountability.cases import services as case_services
from accountability.cases.crypto import decrypt_text
from accountability.cases.models import Attachment, Case
from accountability.cases.tests.factories import Flow
from accountability.demo.testing import make_personas
from accountability.documents import services as document_services
from accountability.documents.kinds import DocumentKind
from accountability.documents.models import IssuedDocument
from accountability.operations import backup


class BackupRestoreTests(TransactionTestCase):
    def setUp(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="backup-test-"))
        self.media = self.folder / "media"
        self.override = override_settings(MEDIA_ROOT=str(self.media))
        self.override.enable()
        self.addCleanup(self.override.disable)
        self.addCleanup(shutil.rmtree, self.folder, True)
        personas = make_personas()
        flow = Flow.register(personas, informant_name="群众甲", informant_contact="13800000000")
        flow.accept()
        self.case = flow.case
        case_services.attachment_add(
            case=self.case,
            actor=personas.case_officer,
            file=SimpleUploadedFile("线索材料.txt", "举报材料原文".encode(), "text/plain"),
            title="举报材料",
        )
        document_services.document_issue(
            case=self.case,
            kind=DocumentKind.INTAKE_APPROVAL,
            actor=personas.case_officer,
            with_pdf=False,
        )

    def snapshot(self) -> dict[str, object]:
        return {
            "audit": list(AuditEntry.objects.order_by("seq").values_list("seq", "at", "hash")),
            "documents": list(IssuedDocument.objects.values_list("docx", "docx_sha256")),
            "attachments": list(Attachment.objects.values_list("file", "sha256")),
            "informant": [
                (decrypt_text(n), decrypt_text(c))
                for n, c in Case.objects.values_list("informant_name_enc", "informant_contact_enc")
            ],
        }

    def wipe(self) -> None:
        """An empty system: the tables without rows (as after migrate), no stored files."""
        call_command("flush", interactive=False, verbosity=0)
        shutil.rmtree(self.media)

    def test_the_round_trip_restores_a_system_that_verifies(self):
        archive = self.folder / "backup.tar.gz"
        out = StringIO()
        call_command("backup", "--output", str(archive), stdout=out)
        self.assertIn("备份完成", out.getvalue())
        before = self.snapshot()
        self.assertEqual(len(before["documents"]), 1)
        self.assertEqual(len(before["attachments"]), 1)
        # Microseconds are there to lose (dumpdata/loaddata would round them).
        self.assertTrue(any(at.microsecond % 1000 for _seq, at, _hash in before["audit"]))

        self.wipe()
        out = StringIO()
        call_command("restore", str(archive), stdout=out)
        self.assertEqual(self.snapshot()["audit"][: len(before["audit"])], before["audit"])
        after = self.snapshot()
        for key in ("documents", "attachments", "informant"):
            self.assertEqual(after[key], before[key])
        self.assertEqual(after["informant"], [("群众甲", "13800000000")])
        report = audit_chain_verify()
        self.assertTrue(report.ok, report.message)
        # The restore itself is the newest entry of the chain.
        self.assertEqual(report.count, len(before["audit"]) + 1)
        self.assertEqual(AuditEntry.objects.order_by("-seq")[0].action, "import")
        verify = backup.restored_system_verify()
        self.assertTrue(verify.ok)
        self.assertEqual((verify.documents, verify.attachments, verify.informants), (1, 1, 1))
        text = out.getvalue()
        self.assertIn("已恢复", text)
        self.assertIn("案件 1 件", text)
        self.assertIn("已印发文书：1 份，哈希全部一致。", text)
        self.assertIn("附件：1 个，哈希全部一致。", text)
        self.assertIn("举报人信息：1 件案件的加密字段均可解密。", text)

    def test_restore_refuses_a_database_with_data_unless_forced(self):
        archive = self.folder / "backup.tar.gz"
        call_command("backup", "--output", str(archive), stdout=StringIO())
        with self.assertRaises(CommandError) as caught:
            call_command("restore", str(archive), stdout=StringIO())
        self.assertIn("当前数据库已有数据（用户 12 条、案件 1 条", str(caught.exception))
        self.assertIn("--force", str(caught.exception))
        call_command("restore", str(archive), "--force", stdout=StringIO())
        self.assertTrue(audit_chain_verify().ok)

    def test_the_manifest_lists_every_file_with_its_hashes(self):
        archive = self.folder / "backup.tar.gz"
        call_command("backup", "--output", str(archive), stdout=StringIO())
        stored = {
            f"media/{name}"
            for name in [
                *IssuedDocument.objects.values_list("docx", flat=True),
                *Attachment.objects.values_list("file", flat=True),
            ]
        }
        with tarfile.open(archive) as source:
            manifest = json.loads(source.extractfile("manifest.json").read())
            names = {m.name for m in source.getmembers()}
        self.assertEqual(set(manifest["members"]), {manifest["database"], *stored})
        self.assertEqual(names, {"manifest.json", *manifest["members"]})
        self.assertEqual(manifest["counts"]["cases"], 1)
        self.assertEqual(manifest["field_key_ids"], ["dev"])
        attachment = Attachment.objects.get()
        self.assertEqual(
            manifest["members"][f"media/{attachment.file}"]["sha256"], attachment.sha256
        )

    def test_an_altered_archive_is_refused_before_anything_changes(self):
        archive = self.folder / "backup.tar.gz"
        call_command("backup", "--output", str(archive), stdout=StringIO())
        altered = self.folder / "altered.tar.gz"
        with tarfile.open(archive) as source, tarfile.open(altered, "w:gz") as target:
            for member in source.getmembers():
                data = source.extractfile(member).read()
                if member.name.startswith("media/cases/"):
                    data = data.replace("原文".encode(), "改过".encode())
                member.size = len(data)
                target.addfile(member, io.BytesIO(data))
        self.wipe()
        with self.assertRaises(CommandError) as caught:
            call_command("restore", str(altered), stdout=StringIO())
        self.assertIn("哈希与清单不符", str(caught.exception))
        self.assertEqual(Case.objects.count(), 0)
        self.assertFalse(self.media.exists())

    def test_something_else_than_a_backup_is_refused(self):
        other = self.folder / "other.tar.gz"
        with tarfile.open(other, "w:gz") as target:
            info = tarfile.TarInfo("notes.txt")
            target.addfile(info, io.BytesIO(b""))
        for path in (other, self.folder / "missing.tar.gz"):
            with self.assertRaises(CommandError) as caught:
                call_command("restore", str(path), stdout=StringIO())
            self.assertIn("不是本系统的备份文件", str(caught.exception))
