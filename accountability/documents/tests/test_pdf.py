"""PDFs through LibreOffice headless with the CJK font aliases, checked with poppler.

Skipped, with the reason, where LibreOffice or poppler-utils is not installed
(scripts/system-deps.sh installs both).
"""

from __future__ import annotations

import itertools
import re
import threading
from pathlib import Path

import pytest

from accountability.documents import pdf, render, samples
from accountability.documents.kinds import DocumentKind
from accountability.documents.tests.helpers import (
    pdf_fonts,
    pdf_lines,
    pdf_pages,
    pdf_text,
    pdf_to_png,
    poppler_available,
)

pytestmark = pytest.mark.skipif(
    not (pdf.pdf_available() and poppler_available()),
    reason="LibreOffice (soffice) or poppler-utils is not installed; see scripts/system-deps.sh",
)

# Pages of each sample in the shipped templates.
PAGES = {
    "intake_approval": 1,
    "investigation_report": 3,
    "decision": 4,
    "delivery_receipt": 1,
    "filing_report": 2,
    "dossier_index": 1,
    "appeal_review": 2,
    "transfer_letter": 2,
}
TITLES = {
    "intake_approval": "责任追究线索受理审批表",
    "investigation_report": "问题的调查报告",
    "decision": "责任追究决定书",
    "delivery_receipt": "送达回证",
    "filing_report": "责任追究情况的备案报告",
    "dossier_index": "责任追究材料归档目录",
    "appeal_review": "申诉复查决定书",
    "transfer_letter": "涉嫌犯罪问题的函",
}
TYPE_AREA_BOTTOM_MM = 297 - 35
LINE_PITCH_MM = 579 / 20 / 72 * 25.4
CJK_LINE = re.compile(r"^[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”、]+$")


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    """Every sample, rendered and converted in one LibreOffice run."""
    kinds = [k.value for k in DocumentKind]
    documents = [
        render.render_docx(render.shipped_template(k), samples.sample_context(k)) for k in kinds
    ]
    folder = tmp_path_factory.mktemp("pdf")
    paths = {}
    for kind, data in zip(kinds, pdf.docx_to_pdf_many(documents), strict=True):
        path = folder / f"{kind}.pdf"
        path.write_bytes(data)
        paths[kind] = path
    return paths


@pytest.mark.parametrize("kind", list(PAGES))
def test_every_sample_converts_with_its_page_count_and_chinese_text(kind, pdfs):
    path = pdfs[kind]
    assert path.read_bytes().startswith(b"%PDF-")
    assert pdf_pages(path) == PAGES[kind]
    # pdftotext puts spaces between Chinese and Latin text and in 送 达 回 证.
    text = pdf_text(path).replace(" ", "")
    assert TITLES[kind] in text
    context = samples.sample_context(kind)
    if context["number"]:
        assert context["number"] in text


@pytest.mark.parametrize("kind", list(PAGES))
def test_every_page_renders_to_png(kind, pdfs, tmp_path):
    images = pdf_to_png(pdfs[kind], tmp_path)
    assert len(images) == PAGES[kind]
    for image in images:
        assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert image.stat().st_size > 1000


def test_the_pdf_uses_cjk_serif_for_the_body_and_embeds_its_fonts(pdfs):
    """仿宋/宋体/小标宋 become Noto Serif CJK, 黑体 Noto Sans CJK, 楷体 AR PL UKai; no
    silent fallback to a Latin font; every font embedded."""
    fonts = pdf_fonts(pdfs["investigation_report"])
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    names = [row[0] for row in rows]
    assert any("NotoSerifCJK" in n for n in names)
    assert any("NotoSansCJK" in n for n in names)
    assert any("UKai" in n for n in names)
    assert not any("DejaVu" in n or "Liberation" in n for n in names)
    assert all("yes" in row[-5:-2][0] for row in rows)  # the "emb" column


def test_body_lines_are_28_characters_and_pages_22_lines(pdfs):
    """A full line of Chinese text holds 28 characters; a page holds 22 lines of the grid."""
    path = pdfs["investigation_report"]
    full_lines = []
    for page in range(1, PAGES["investigation_report"] + 1):
        lines = [(top, text) for top, text in pdf_lines(path, page) if top < TYPE_AREA_BOTTOM_MM]
        tops = sorted({round(top, 1) for top, _ in lines})
        assert len(tops) <= 22
        if page > 1:  # past the title, every line sits on the 28.95 pt grid
            for upper, lower in itertools.pairwise(tops):
                steps = (lower - upper) / LINE_PITCH_MM
                assert steps == pytest.approx(round(steps), abs=0.05)
        full_lines += [text for _, text in lines if CJK_LINE.match(text)]
    assert max(len(t) for t in full_lines) == 28
    assert sum(1 for t in full_lines if len(t) == 28) >= 10
    second = {round(top, 1) for top, _ in pdf_lines(path, 2) if top < TYPE_AREA_BOTTOM_MM}
    assert len(second) == 22


def test_the_page_number_sits_7_mm_below_the_type_area(pdfs):
    lines = pdf_lines(pdfs["decision"], 2)
    number = [top for top, text in lines if text.replace(" ", "") == "—2—"]
    assert number and number[0] - TYPE_AREA_BOTTOM_MM == pytest.approx(7, abs=1.5)


def test_a_missing_soffice_is_a_clear_error(settings):
    settings.SOFFICE_BINARY = "/nonexistent/soffice"
    assert not pdf.pdf_available()
    with pytest.raises(pdf.PdfError) as caught:
        pdf.docx_to_pdf(b"")
    assert caught.value.message == pdf.SOFFICE_MISSING
    assert caught.value.code == "pdf_unavailable"


def test_a_hanging_conversion_is_stopped_at_the_timeout(settings, tmp_path):
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nsleep 30\n")
    fake.chmod(0o755)
    settings.SOFFICE_BINARY = str(fake)
    with pytest.raises(pdf.PdfError) as caught:
        pdf.docx_to_pdf(b"x", timeout=1)
    assert caught.value.message == pdf.CONVERSION_TIMEOUT.format(seconds=1)


def test_a_failed_conversion_says_so(settings, tmp_path):
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\necho 'Error: source file could not be loaded' >&2\nexit 1\n")
    fake.chmod(0o755)
    settings.SOFFICE_BINARY = str(fake)
    with pytest.raises(pdf.PdfError) as caught:
        pdf.docx_to_pdf(b"x")
    assert caught.value.message == pdf.CONVERSION_FAILED.format(
        detail="Error: source file could not be loaded"
    )


def test_two_conversions_at_once_both_succeed():
    """Each thread has its own LibreOffice profile, so parallel conversions do not collide."""
    document = render.render_docx(
        render.shipped_template("delivery_receipt"), samples.sample_context("delivery_receipt")
    )
    results: list[bytes] = []
    errors: list[BaseException] = []

    def convert() -> None:
        try:
            results.append(pdf.docx_to_pdf(document))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=convert) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(results) == 2 and all(r.startswith(b"%PDF-") for r in results)
