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
from accountability.documents.formatting import typeset
from accountability.documents.kinds import DocumentKind
from accountability.documents.tests.helpers import (
    SOFTWARE_WORDS,
    assert_quotes_exact,
    flat_text,
    normalise,
    pdf_fonts,
    pdf_lines,
    pdf_pages,
    pdf_text,
    pdf_to_png,
    poppler_available,
)
from rulebook import regulation

pytestmark = pytest.mark.skipif(
    not (pdf.pdf_available() and poppler_available()),
    reason="LibreOffice (soffice) or poppler-utils is not installed; see scripts/system-deps.sh",
)

# Pages of each sample in the shipped templates.
PAGES = {
    "intake_approval": 1,
    "investigation_report": 3,
    "decision": 3,
    "delivery_receipt": 1,
    "filing_report": 2,
    "dossier_index": 1,
    "appeal_review": 2,
    "transfer_letter": 2,
    "assessment_sheet": 2,
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
    "assessment_sheet": "责任追究测算表",
}
TYPE_AREA_BOTTOM_MM = 297 - 35
SEAL_LABEL = "印章位置"
LINE_PITCH_MM = 579 / 20 / 72 * 25.4
CJK_LINE = re.compile(r"^[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”、]+$")


# Extra documents converted in the same LibreOffice run as the samples.
RARE_NAME = "王喆"  # 喆 is outside GB 2312, so outside the Fandol fonts
ENUMERATION = "第五条"  # seven items joined by 、


def _rare_name_decision() -> dict:
    context = samples.sample_context("decision")
    context["person"]["particulars"] = f"{RARE_NAME}，男，1990年生，中共党员，现任某室干部。"
    return context


def _enumeration_decision() -> dict:
    """第五条 quoted after 0 … 27 characters, so that every 、 of it ends a line once."""
    context = samples.sample_context("decision")
    text = regulation.lookup(ENUMERATION).text
    context["facts"] = [
        f"{'一' * shift}{ENUMERATION}规定：“{typeset(text)}”" for shift in range(28)
    ]
    return context


EXTRA = {"rare_name": _rare_name_decision, "enumeration": _enumeration_decision}


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    """Every sample and the extra documents, rendered and converted in one LibreOffice run."""
    kinds = [k.value for k in DocumentKind]
    documents = [
        render.render_docx(render.shipped_template(k), samples.sample_context(k)) for k in kinds
    ]
    for make in EXTRA.values():
        documents.append(render.render_docx(render.shipped_template("decision"), make()))
    folder = tmp_path_factory.mktemp("pdf")
    paths = {}
    names = [*kinds, *EXTRA]
    for name, data in zip(names, pdf.docx_to_pdf_many(documents), strict=True):
        path = folder / f"{name}.pdf"
        path.write_bytes(data)
        paths[name] = path
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
def test_every_quoted_article_reads_as_the_regulation(kind, pdfs):
    """Quotes are compared, as pdftotext reads them, with rulebook/tables' text."""
    count = assert_quotes_exact(flat_text(pdf_text(pdfs[kind])))
    if kind in ("decision", "investigation_report", "appeal_review"):
        assert count >= 1, kind


def test_a_decision_has_no_software_words_and_starts_with_the_particulars(pdfs):
    text = flat_text(pdf_text(pdfs["decision"]))
    for word in SOFTWARE_WORDS:
        assert word not in text, word
    particulars = samples.sample_context("decision")["person"]["particulars"]
    assert f"责任追究决定书{particulars}经查，" in text


@pytest.mark.parametrize("kind", list(PAGES))
def test_every_page_renders_to_png(kind, pdfs, tmp_path):
    images = pdf_to_png(pdfs[kind], tmp_path)
    assert len(images) == PAGES[kind]
    for image in images:
        assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert image.stat().st_size > 1000


def font_rows(path: Path) -> list[list[str]]:
    return [line.split() for line in pdf_fonts(path).splitlines()[2:] if line.strip()]


def face(row: list[str]) -> str:
    """BAAAAA+FandolFang-Regular → FandolFang-Regular (the subset tag dropped)."""
    return row[0].split("+", 1)[-1]


@pytest.mark.parametrize("kind", list(PAGES))
def test_only_simplified_chinese_faces_are_embedded(kind, pdfs):
    """仿宋_GB2312 → FandolFang, 小标宋/宋体 → FandolSong, 黑体 → FandolHei, 楷体 →
    FandolKai: no Japanese face (Noto CJK's collections embed as NotoSerifCJKjp), no silent
    Latin fallback, every font embedded."""
    rows = font_rows(pdfs[kind])
    faces = {face(row) for row in rows}
    assert faces, kind
    assert all(f.startswith("Fandol") for f in faces), faces
    assert "FandolFang-Regular" in faces  # the body
    assert all(row[-5] == "yes" for row in rows)  # the "emb" column


def test_every_official_font_has_its_fandol_face(pdfs):
    faces = {face(row) for row in font_rows(pdfs["investigation_report"])}
    assert {"FandolFang-Regular", "FandolSong-Regular", "FandolHei-Regular"} <= faces
    assert "FandolKai-Regular" in faces  # （一）-level headings in 楷体


def test_a_character_outside_gb2312_falls_back_to_a_simplified_chinese_face(pdfs):
    """喆 is not in Fandol: it comes from AR PL UMing CN (the CN face), not from a JP face."""
    path = pdfs["rare_name"]
    assert RARE_NAME in pdf_text(path)
    faces = {face(row) for row in font_rows(path)}
    assert "UMingCN" in faces, faces
    assert not any("jp" in f.lower() or "JP" in f for f in faces), faces


def test_a_mark_after_a_full_line_is_not_dropped(pdfs):
    """A 、 that falls after the 28th character of a line stays in the PDF (LibreOffice
    dropped such a hanging mark: 直接负责人具体承办人)."""
    text = re.sub(r"—\s*\d+\s*—", "", pdf_text(pdfs["enumeration"]))
    text = re.sub(r"\s+", "", text)
    quoted = re.findall(r"第五条规定：“([^”]*)”", text)
    assert len(quoted) == 28
    expected = normalise(regulation.lookup(ENUMERATION).text)
    for number, words in enumerate(quoted):
        assert normalise(words) == expected, number


def test_body_lines_are_28_characters_and_pages_22_lines(pdfs):
    """A full line of Chinese text holds 28 characters; a page holds 22 lines of the grid."""
    path = pdfs["investigation_report"]
    full_lines = []
    for page in range(1, PAGES["investigation_report"] + 1):
        lines = [
            (top, text)
            for top, text in pdf_lines(path, page)
            if top < TYPE_AREA_BOTTOM_MM and text != SEAL_LABEL  # the seal's, off the grid
        ]
        tops = sorted({round(top, 1) for top, _ in lines})
        assert len(tops) <= 22
        if page > 1:  # past the title, every line sits on the 28.95 pt grid
            for upper, lower in itertools.pairwise(tops):
                steps = (lower - upper) / LINE_PITCH_MM
                assert steps == pytest.approx(round(steps), abs=0.05)
        full_lines += [text for _, text in lines if CJK_LINE.match(text)]
    assert max(len(t) for t in full_lines) == 28
    assert sum(1 for t in full_lines if len(t) == 28) >= 10
    second = {
        round(top, 1)
        for top, text in pdf_lines(path, 2)
        if top < TYPE_AREA_BOTTOM_MM and text != SEAL_LABEL
    }
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


TYPE_AREA_TOP_MM = 37
NUMBERED_WITH_HEADER = ["decision", "appeal_review", "filing_report", "transfer_letter"]


@pytest.mark.parametrize("kind", NUMBERED_WITH_HEADER)
def test_the_red_header_then_the_body_under_the_red_line(kind, pdfs):
    """版头 (GB/T 9704 7.2): the organ's mark 35 mm below the top of the type area, the
    发文字号 two lines under it, the red rule 4 mm under the number, the title two lines
    under the rule, the body after it; page 1 is then filled to the foot of the type area."""
    context = samples.sample_context(kind)
    lines = [(top, text.replace(" ", "")) for top, text in pdf_lines(pdfs[kind], 1)]
    tops = {text: top for top, text in lines}
    mark = tops[context["organ"]["mark"]]
    assert mark - TYPE_AREA_TOP_MM == pytest.approx(35, abs=3)
    number = tops[context["number"].replace(" ", "")]
    title = next(top for top, text in lines if TITLES[kind] in text)
    assert mark < number < title
    assert title - number == pytest.approx(3 * LINE_PITCH_MM, abs=LINE_PITCH_MM)
    body = [top for top, _ in lines if title < top < TYPE_AREA_BOTTOM_MM]
    assert body, "no body on page 1"
    # No empty foot of page 1: at most the line or two that keeping a paragraph's last
    # lines together (widow control) leaves.
    assert TYPE_AREA_BOTTOM_MM - max(body) < 3 * LINE_PITCH_MM


@pytest.mark.parametrize("kind", list(PAGES))
def test_no_page_but_the_last_is_left_half_empty(kind, pdfs):
    for page in range(1, PAGES[kind]):
        lines = [top for top, _ in pdf_lines(pdfs[kind], page) if top < TYPE_AREA_BOTTOM_MM]
        assert TYPE_AREA_BOTTOM_MM - max(lines) < 4 * LINE_PITCH_MM, (kind, page)


@pytest.mark.parametrize("kind", list(PAGES))
def test_every_kind_has_the_seal_area_by_its_date(kind, pdfs):
    """印章位置 (GB/T 9704 7.3.5.1): the seal's place sits over the date, whose line is
    within the seal (42 mm across), on the page of the date."""
    context = samples.sample_context(kind)
    path = pdfs[kind]
    for page in range(1, PAGES[kind] + 1):
        html = _run_bbox(path, page)
        label = _word_box(html, SEAL_LABEL)
        if label is None:
            continue
        dates = [
            box for box in _word_boxes(html, context["date"].replace(" ", "")) if box[1] > label[1]
        ]
        assert dates, (kind, page)
        date = min(dates, key=lambda box: box[1])
        # The label sits inside the top of the circle: the date's line is below it, within
        # the circle's 42 mm, and the circle's centre (under the label) near the date.
        assert 0 < date[1] - label[1] < 40, (kind, label, date)
        assert abs((label[0] + label[2]) / 2 - (date[0] + date[2]) / 2) < 45, (kind, label, date)
        return
    raise AssertionError(f"{kind}: no seal area")


def _run_bbox(path: Path, page: int) -> str:
    import subprocess

    args = ["pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page), str(path), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def _word_boxes(html: str, words: str) -> list[tuple[float, float, float]]:
    """(left, top, right) in mm of each line whose text contains `words`."""
    boxes = []
    for match in re.finditer(
        r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"[^>]*>(.*?)</line>', html, re.S
    ):
        text = "".join(re.findall(r">([^<]+)</word>", match.group(4)))
        if words in text:
            left, top, right = (float(match.group(i)) / 72 * 25.4 for i in (1, 2, 3))
            boxes.append((left, top, right))
    return boxes


def _word_box(html: str, words: str) -> tuple[float, float, float] | None:
    boxes = _word_boxes(html, words)
    return boxes[0] if boxes else None
