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
