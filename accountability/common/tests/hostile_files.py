# ruff: noqa: E501  (the parts of a workbook are quoted as Excel writes them, one per line)
"""Hostile files for the tests: malformed archives, XML bombs, disguised types.

Each function returns the bytes of one file as an attacker (or a broken tool) would send it.
The workbooks are written part by part into a zip, as a spreadsheet program would, so each
one is small on disk whatever it declares or contains once decompressed.
"""

from __future__ import annotations

import io
import zipfile

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "{shared}</Types>"
)
SHARED_STRINGS_TYPE = '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="干部名册" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_NO_SHEETS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "{shared}</Relationships>"
)
SHARED_STRINGS_REL = '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

#: The classic billion laughs: ten levels of ten references, 10⁹ "lol"s once expanded.
BILLION_LAUGHS_DTD = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>"
)
#: An external entity that would read a local file into a cell (XXE).
XXE_DTD = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def _zip(parts: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def sheet_xml(rows: str, *, dtd: str = "", dimension: str = "") -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{dtd}'
        f'<worksheet xmlns="{SHEET_NS}">{dim}<sheetData>{rows}</sheetData></worksheet>'
    )


def inline_row(number: int, values: list[str]) -> str:
    cells = "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in values)
    return f'<row r="{number}">{cells}</row>'


def workbook_from_parts(
    sheet: str, *, shared_strings: str | None = None, workbook: str = WORKBOOK
) -> bytes:
    shared = shared_strings is not None
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": CONTENT_TYPES.format(shared=SHARED_STRINGS_TYPE if shared else ""),
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": workbook,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS.format(
            shared=SHARED_STRINGS_REL if shared else ""
        ),
        "xl/worksheets/sheet1.xml": sheet,
    }
    if shared_strings is not None:
        parts["xl/sharedStrings.xml"] = shared_strings
    return _zip(parts)


def header_row() -> str:
    from accountability.people.roster import HEADERS

    return inline_row(1, list(HEADERS))


def not_a_zip() -> bytes:
    return b"Name,Number\nZhang,1\n"


def truncated(content: bytes) -> bytes:
    """The first half of a real file, as an interrupted upload leaves it."""
    return content[: len(content) // 2]


def no_sheets() -> bytes:
    return workbook_from_parts(sheet_xml(""), workbook=WORKBOOK_NO_SHEETS)


def billion_laughs_sheet() -> bytes:
    rows = header_row() + '<row r="2"><c t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    return workbook_from_parts(sheet_xml(rows, dtd=BILLION_LAUGHS_DTD))


def billion_laughs_shared_strings() -> bytes:
    strings = (
        f'<?xml version="1.0" encoding="UTF-8"?>{BILLION_LAUGHS_DTD}'
        f'<sst xmlns="{SHEET_NS}" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>'
    )
    rows = header_row() + '<row r="2"><c t="s"><v>0</v></c></row>'
    return workbook_from_parts(sheet_xml(rows), shared_strings=strings)


def xxe_sheet() -> bytes:
    rows = header_row() + '<row r="2"><c t="inlineStr"><is><t>&xxe;</t></is></c></row>'
    return workbook_from_parts(sheet_xml(rows, dtd=XXE_DTD))


def xxe_shared_strings() -> bytes:
    strings = (
        f'<?xml version="1.0" encoding="UTF-8"?>{XXE_DTD}'
        f'<sst xmlns="{SHEET_NS}" count="1" uniqueCount="1"><si><t>&xxe;</t></si></sst>'
    )
    rows = header_row() + '<row r="2"><c t="s"><v>0</v></c></row>'
    return workbook_from_parts(sheet_xml(rows), shared_strings=strings)


def declares_millions_of_rows(rows: int = 4_000_000) -> bytes:
    """A sheet whose dimension claims ``rows`` rows (and whose last row is that far down)."""
    body = header_row() + f'<row r="{rows}"><c t="inlineStr"><is><t>x</t></is></c></row>'
    return workbook_from_parts(sheet_xml(body, dimension=f"A1:K{rows}"))


def contains_millions_of_rows(rows: int = 4_000_000) -> bytes:
    """A sheet that really holds ``rows`` rows (empty ones: 24 MB of XML, 40 KB on disk)
    while its dimension claims two, so that only counting the rows read can stop it."""
    return workbook_from_parts(sheet_xml(header_row() + "<row/>" * (rows - 1), dimension="A1:K2"))


def zip_bomb(uncompressed_mb: int = 8) -> bytes:
    """A workbook whose sheet inflates to ``uncompressed_mb`` MB (of spaces) from a few KB."""
    padding = " " * (uncompressed_mb << 20)
    return workbook_from_parts(sheet_xml(header_row() + padding))


def plain_zip() -> bytes:
    """A zip archive that is no office document (an archive can hide any file)."""
    return _zip({"readme.txt": "hello", "run.bat": "del /q *"})


def windows_executable() -> bytes:
    """The start of a PE file (what an .exe renamed .pdf holds)."""
    header = bytearray(512)
    header[0:2] = b"MZ"
    header[0x3C:0x40] = (0x80).to_bytes(4, "little")
    header[0x80:0x86] = b"PE\x00\x00\x4c\x01"
    header[0x94:0x96] = (0xE0).to_bytes(2, "little")
    header[0x98:0x9A] = (0x10B).to_bytes(2, "little")
    return bytes(header) + b"\x00" * 1024


def html_page() -> bytes:
    return b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def pdf_document() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
        b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )


def png_image() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"\x00\xff\x00\x00"  # one red pixel
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
