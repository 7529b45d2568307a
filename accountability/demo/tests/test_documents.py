"""The demo's paperwork: issued for every decided demo case, idempotently, in the official
layout; their PDFs are asked for in one job, which makes them (and PNGs from them render).

Only the PDF test converts: the others read the .docx."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pytest
from django.test import override_settings
from docx import Document

from accountability.cases.models import Decision
from accountability.demo.cases import seed_cases
from accountability.demo.documents import seed_documents
from accountability.demo.registry import seed_registry
from accountability.documents import pdf
from accountability.documents.formatting import cn_date
from accountability.documents.kinds import DocumentKind
from accountability.documents.models import DocumentPdf, IssuedDocument
from accountability.documents.tests.base import DocumentsTestCase
from accountability.documents.tests.helpers import (
    SOFTWARE_WORDS,
    assert_quotes_exact,
    docx_part,
    docx_text,
    flat_text,
    pdf_fonts,
    pdf_pages,
    pdf_text,
    pdf_to_png,
    poppler_available,
)
from accountability.jobs import runner
from accountability.jobs.models import Job

# Fandol for GB 2312; the CN faces of the TrueType collections for characters beyond it.
SIMPLIFIED_FACES = ("Fandol", "UMingCN", "UKaiCN", "WenQuanYi")
NO_PDF = "LibreOffice (soffice) or poppler-utils is not installed; see scripts/system-deps.sh"


class DemoDocumentsTests(DocumentsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        seed_registry()
        seed_cases()
        cls.line = seed_documents()

    def test_every_issued_demo_decision_gets_its_documents_once(self):
        check_issued_once(self.line)

    def test_every_demo_document_opens_with_the_official_page_setup(self):
        check_page_setup()

    def test_the_demo_asks_for_every_pdf_in_one_job(self):
        documents = IssuedDocument.objects.all()
        copies = DocumentPdf.objects.filter(document__in=documents)
        self.assertEqual(copies.count(), documents.count())
        self.assertEqual(copies.values("job").distinct().count(), 1)
        job = copies.first().job
        self.assertEqual(job.params["document_ids"], sorted(d.pk for d in documents))
        self.assertEqual(job.label, f"生成 PDF：{documents.count()}份文书")

    @pytest.mark.skipif(not (pdf.pdf_available() and poppler_available()), reason=NO_PDF)
    @override_settings(DOCUMENTS_PDF_BATCH_SIZE=100)  # all in one LibreOffice run
    def test_every_demo_document_converts_to_pdf_and_png(self):
        """The demo's job, run as the worker runs it, makes every PDF."""
        job = DocumentPdf.objects.first().job
        runner.perform(str(job.pk))
        job.refresh_from_db()
        self.assertEqual((job.state, job.error), (Job.State.SUCCEEDED, ""))
        with tempfile.TemporaryDirectory() as folder:
            check_pdf_and_png(Path(folder))


def check_issued_once(demo: str) -> None:
    issued = Decision.objects.exclude(document_number="")
    assert issued.exists()
    for decision in issued:
        document = IssuedDocument.objects.get(kind=DocumentKind.DECISION, decision=decision)
        assert document.number == decision.document_number
        receipts = IssuedDocument.objects.filter(
            kind=DocumentKind.DELIVERY_RECEIPT, party=decision.party
        )
        assert sorted(receipts.values_list("recipient", flat=True)) == ["person", "unit"]
    # Decisions the demo leaves waiting for their document stay waiting.
    waiting = Decision.objects.filter(document_number="")
    assert not IssuedDocument.objects.filter(decision__in=waiting).exists()
    count = IssuedDocument.objects.count()
    assert demo == f"演示文书：新增{count}份，已有0份。"
    assert seed_documents() == f"演示文书：新增0份，已有{count}份。"
    assert IssuedDocument.objects.count() == count
    assert IssuedDocument.objects.filter(kind=DocumentKind.APPEAL_REVIEW).exists()
    assert IssuedDocument.objects.filter(kind=DocumentKind.FILING_REPORT).exists()
    assert IssuedDocument.objects.filter(kind=DocumentKind.DOSSIER_INDEX).exists()


def check_page_setup() -> None:
    for document in IssuedDocument.objects.all():
        data = document.docx.open("rb").read()
        section = Document(io.BytesIO(data)).sections[0]
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)
        xml = docx_part(data, "word/document.xml")
        assert "{{" not in xml and "{%" not in xml, document.title
        text = docx_text(data)
        if document.number:
            assert document.number in text
        if document.party_id:
            assert document.party.person.name in text


def check_pdf_and_png(tmp_path: Path) -> None:
    documents = list(IssuedDocument.objects.select_related("pdf").order_by("id"))
    for document in documents:
        assert document.pdf_ready, document.title
        data = document.pdf.file.open("rb").read()
        path = Path(tmp_path) / f"{document.pk}.pdf"
        path.write_bytes(data)
        pages = pdf_pages(path)
        assert 1 <= pages <= 8, document.title
        text = pdf_text(path).replace(" ", "")
        assert document.title.split("（")[0][:4] in text.replace(" ", "") or "送达回证" in text
        if document.number:
            assert document.number in text
    check_demo_paperwork(documents, Path(tmp_path))
    decision = next(d for d in documents if d.kind == DocumentKind.DECISION)
    images = pdf_to_png(Path(tmp_path) / f"{decision.pk}.pdf", Path(tmp_path) / "png")
    assert len(images) == pdf_pages(Path(tmp_path) / f"{decision.pk}.pdf")
    assert all(image.read_bytes().startswith(b"\x89PNG") for image in images)


def check_demo_paperwork(documents: list[IssuedDocument], folder: Path) -> None:
    """By text and fonts, every demo PDF: simplified-Chinese faces only, every quoted article
    as the regulation reads, decisions in the organ's words with the particulars first, and
    the dates of a person's papers agreeing with the case's records."""
    texts = {}
    for document in documents:
        path = folder / f"{document.pk}.pdf"
        faces = {
            line.split()[0].split("+", 1)[-1]
            for line in pdf_fonts(path).splitlines()[2:]
            if line.strip()
        }
        assert faces and all(f.startswith(SIMPLIFIED_FACES) for f in faces), (document, faces)
        texts[document.pk] = text = flat_text(pdf_text(path))
        assert_quotes_exact(text)
    for document in documents:
        if document.kind != DocumentKind.DECISION:
            continue
        text = texts[document.pk]
        decision = document.decision
        person = decision.party.person
        for word in SOFTWARE_WORDS:
            assert word not in text, (document.title, word)
        assert f"责任追究决定书{person.name}，" in text
        assert f"{person.name}，{person.gender}，{person.birth_year}年生，" in text
        assert "经查" in text
        assert f"经{cn_date(decision.meeting.held_on)}" in text
        assert f"{cn_date(decision.issued_on)}印发" in text  # 成文日期 and 印发日期 agree
        sheet = next(
            d
            for d in documents
            if d.kind == DocumentKind.ASSESSMENT_SHEET and d.party_id == document.party_id
        )
        # pdftotext may read a table's label column before its values: no adjacency.
        assert "作出决定之日" in texts[sheet.pk]
        assert cn_date(decision.decided_on) in texts[sheet.pk]
        receipt = next(
            d
            for d in documents
            if d.kind == DocumentKind.DELIVERY_RECEIPT
            and d.party_id == document.party_id
            and d.recipient == "person"
        )
        if decision.appeal_deadline and decision.outcome == "追究":
            deadline = cn_date(decision.appeal_deadline)
            assert f"申诉期限至{deadline}届满" in texts[receipt.pk], receipt.title
            assert "申诉期满" in texts[sheet.pk] and f"{deadline}届满" in texts[sheet.pk], (
                sheet.title
            )
