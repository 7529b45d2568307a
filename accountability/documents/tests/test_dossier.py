"""The dossier package: every issued document and attachment, 目录.csv with each file's hash."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from accountability.audit.models import AuditEntry
from accountability.cases import services as case_services
from accountability.common.errors import DomainError, PermissionDenied
from accountability.documents import render, services
from accountability.documents.kinds import DocumentKind
from accountability.documents.models import IssuedDocument
from accountability.documents.tests.base import (
    DocumentsTestCase,
    criminal,
    decided,
    issue_decisions,
)


def read_index(archive: zipfile.ZipFile) -> list[dict[str, str]]:
    text = archive.read(services.INDEX_NAME).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


class DossierTests(DocumentsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        p = cls.personas
        cls.flow = decided(p)
        cls.case = cls.flow.case
        case_services.attachment_add(
            case=cls.case,
            actor=p.case_officer,
            file=SimpleUploadedFile("谈话笔录.pdf", b"%PDF-1.4 transcript", "application/pdf"),
            title="谈话笔录",
        )
        cls.decisions = issue_decisions(cls.flow, p.case_officer)
        cls.report = services.document_issue(
            case=cls.case,
            kind=DocumentKind.INVESTIGATION_REPORT,
            actor=p.case_officer,
            with_pdf=False,
        )

    def export(self, **kwargs):
        kwargs.setdefault("actor", self.case_officer)
        return services.dossier_export(case=self.case, **kwargs)

    def test_the_package_holds_every_document_and_attachment_with_matching_hashes(self):
        package = self.export()
        archive = zipfile.ZipFile(io.BytesIO(package.content))
        rows = read_index(archive)
        names = set(archive.namelist())
        self.assertEqual(names, {row["文件"] for row in rows} | {services.INDEX_NAME})
        self.assertEqual(len(rows), 4)  # two decisions, the report, the attachment
        for row in rows:
            data = archive.read(row["文件"])
            self.assertEqual(row["SHA-256"], render.sha256_hex(data), row["文件"])
            self.assertEqual(row["SM3"], render.sm3_hex(data), row["文件"])
            self.assertEqual(int(row["大小(字节)"]), len(data))
        decision = self.decisions[0]
        row = next(r for r in rows if r["文号"] == decision.number)
        self.assertEqual(row["SHA-256"], decision.docx_sha256)
        self.assertEqual((row["类别"], row["版本"]), ("责任追究决定书", "1"))
        attachment = next(r for r in rows if r["类别"] == "案件附件")
        self.assertEqual(attachment["文件"], "附件/01-谈话笔录.pdf")
        self.assertEqual(archive.read(attachment["文件"]), b"%PDF-1.4 transcript")
        self.assertTrue(package.filename.startswith(f"{self.case.number}-案卷材料-"))
        self.assertEqual(package.sha256, render.sha256_hex(package.content))

    def test_every_version_of_a_document_is_packed(self):
        services.document_reissue(
            document=self.report, actor=self.case_officer, reason="补充引用条文。", with_pdf=False
        )
        rows = read_index(zipfile.ZipFile(io.BytesIO(self.export().content)))
        versions = sorted(r["版本"] for r in rows if r["类别"] == "调查报告")
        self.assertEqual(versions, ["1", "2"])

    def test_the_export_is_audited_with_the_package_hash(self):
        package = self.export()
        entry = AuditEntry.objects.get(action="export", target_id=str(self.case.pk))
        self.assertEqual(entry.changes["sha256"], package.sha256)
        self.assertEqual(entry.changes["files"], 4)

    def test_a_changed_file_stops_the_export(self):
        # A document of this test's own: the class's files are shared by its tests.
        form = services.document_issue(
            case=self.case,
            kind=DocumentKind.INTAKE_APPROVAL,
            actor=self.case_officer,
            with_pdf=False,
        )
        Path(form.docx.path).write_bytes(b"changed after issue")
        with self.assertRaisesMessage(
            DomainError, services.MSG_TAMPERED.format(name=services.download_name(form, "docx"))
        ):
            self.export()

    def test_who_may_export(self):
        with self.assertRaisesMessage(
            PermissionDenied,
            services.MSG_NOT_DOSSIER.format(
                roles="监督室工作人员、监督室负责人、组织部档案管理员、市纪委监督室工作人员"
            ),
        ):
            self.export(actor=self.team_member)
        self.export(actor=self.archivist)


class TransferPackageTests(DocumentsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.flow = criminal(cls.personas)

    def test_a_criminal_case_package_carries_a_transfer_letter_issued_once(self):
        case = self.flow.case
        package = services.dossier_export(case=case, actor=self.case_officer)
        self.assertIn("移送材料", package.filename)
        letter = IssuedDocument.objects.get(case=case, kind=DocumentKind.TRANSFER_LETTER)
        self.assertEqual(letter.number_serial, 1)
        rows = read_index(zipfile.ZipFile(io.BytesIO(package.content)))
        self.assertEqual([r["文号"] for r in rows if r["类别"] == "移送函"], [letter.number])
        services.dossier_export(case=case, actor=self.case_officer)
        self.assertEqual(
            IssuedDocument.objects.filter(case=case, kind=DocumentKind.TRANSFER_LETTER).count(), 1
        )
