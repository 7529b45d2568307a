"""Reading generated documents back: text through python-docx, PDFs through poppler."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

from docx import Document

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# Words of the software, not of an organ: never in a decision document.
SOFTWARE_WORDS = ("规则版本", "规则解释", "解释", "问答", "测算", "影响期", "interpretation")


def docx_text(data: bytes) -> str:
    """Every paragraph's text, tables included, one paragraph a line."""
    document = Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines.extend(p.text for p in cell.paragraphs)
    return "\n".join(lines)


def docx_part(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name).decode("utf-8")


def poppler_available() -> bool:
    return all(shutil.which(tool) for tool in ("pdftotext", "pdftoppm", "pdfinfo", "pdffonts"))


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def pdf_pages(path: Path) -> int:
    match = re.search(r"^Pages:\s+(\d+)", _run("pdfinfo", str(path)), re.M)
    assert match, "pdfinfo printed no page count"
    return int(match.group(1))


def pdf_text(path: Path, *, first: int | None = None, last: int | None = None) -> str:
    args = ["pdftotext", "-enc", "UTF-8"]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    return _run(*args, str(path), "-")


def pdf_fonts(path: Path) -> str:
    return _run("pdffonts", str(path))


def pdf_to_png(path: Path, out_dir: Path, *, dpi: int = 40) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    _run("pdftoppm", "-r", str(dpi), "-png", str(path), str(out_dir / path.stem))
    return sorted(out_dir.glob(f"{path.stem}*.png"))


def pdf_lines(path: Path, page: int) -> list[tuple[float, str]]:
    """(top in mm, text) of each text line on `page`, from pdftotext's bounding boxes."""
    html = _run("pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page), str(path), "-")
    lines = []
    for match in re.finditer(r'<line xMin="[\d.]+" yMin="([\d.]+)"[^>]*>(.*?)</line>', html, re.S):
        words = "".join(re.findall(r">([^<]+)</word>", match.group(2)))
        lines.append((float(match.group(1)) / 72 * 25.4, words))
    return lines


_FULL_WIDTH = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）"})


def normalise(text: str) -> str:
    """Text to compare quotes by: full-width punctuation, no whitespace or line breaks (the
    regulation's file uses ASCII commas and parentheses; documents quote it full-width)."""
    return re.sub(r"\s+", "", text).translate(_FULL_WIDTH)


_NUMERAL = "一二三四五六七八九十"
_QUOTED = re.compile(rf"(第[{_NUMERAL}]+条(?:第（[{_NUMERAL}]+）项)?)(?:规定：?)?“([^”]*)”")
_APPENDIX_REF = re.compile(rf"(第[{_NUMERAL}]+条(?:第（[{_NUMERAL}]+）项)?)：")


def flat_text(pdf_text_output: str) -> str:
    """A PDF's text as one line: page numbers (— 2 —) and all whitespace removed."""
    text = re.sub(r"—\s*\d+\s*—", "", pdf_text_output)
    return re.sub(r"\s+", "", text)


def _expected_quote(ref: str) -> str:
    """The regulation's words for `ref`, read from rulebook/tables through rulebook.regulation
    (an article with items is quoted by its lead sentence)."""
    from rulebook import regulation

    target = regulation.lookup(ref.replace("（", "(").replace("）", ")"))
    if isinstance(target, regulation.Article) and target.items:
        return normalise(target.text.splitlines()[0])
    return normalise(target.text)


def quoted_articles(text: str) -> list[tuple[str, str, str]]:
    """(reference, words quoted, the regulation's words) of every article quoted in `text`
    (flat_text): “…” after a reference, and the 附：引用条文 list of a report."""
    found = [(ref, words, _expected_quote(ref)) for ref, words in _QUOTED.findall(text)]
    if "附：引用条文" in text:
        appendix = text.split("附：引用条文", 1)[1]
        parts = _APPENDIX_REF.split(appendix)
        # parts: [before, ref1, text1, ref2, text2, …]; the last text runs to the signature.
        for ref, words in zip(parts[1::2], parts[2::2], strict=True):
            expected = _expected_quote(ref)
            found.append((ref, words[: len(expected)], expected))
    return found


def assert_quotes_exact(text: str) -> int:
    """Every article quoted in `text` reads exactly as the regulation: the whole text (its
    closing 。 or ； may be left out where the quote runs on into a sentence), or one clause
    of it word for word; the count."""
    quotes = quoted_articles(text)
    for ref, words, expected in quotes:
        words = normalise(words)
        whole = words in (expected, expected.rstrip("。；"))
        clause = len(words) >= 6 and re.search(
            rf"(^|[，；：]){re.escape(words)}([，；。]|$)", expected
        )
        assert whole or clause, (ref, words, expected)
    return len(quotes)
