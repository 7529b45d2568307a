"""Checking a .docx package before docxtpl (or python-docx, or lxml's tree builder) sees it.

A .docx is a zip of XML parts, and a small one can be made to cost a great deal: a zip bomb
(a part that unzips to gigabytes), a document.xml of millions of empty paragraphs (docxtpl's
preprocessing grows quadratically with the number of elements: 80 KB held 5,000,000 and kept
a server busy for 11 minutes), an XML entity that expands a billion times, or one that reads a
file of the server (XXE). ``inspect`` refuses all of these cheaply, in this order:

1. the file's own size (DOCUMENTS_TEMPLATE_MAX_MB);
2. the zip's directory, read without extracting anything: a zip at all, not encrypted, the
   number of parts (DOCUMENTS_TEMPLATE_MAX_PARTS), their total size once unzipped
   (DOCUMENTS_TEMPLATE_MAX_UNZIPPED_MB) and each large part's compression ratio
   (DOCUMENTS_TEMPLATE_MAX_RATIO);
3. every XML part, streamed through lxml's pull parser (entities not resolved, no network, no
   DTD loaded) in chunks, never more bytes than the directory declared: a DOCTYPE or ENTITY
   declaration is refused, and the XML elements of all parts are counted up to
   DOCUMENTS_TEMPLATE_MAX_ELEMENTS, where the check stops.

Time and memory are bounded by the job the check runs in (DOCUMENTS_TEMPLATE_CHECK_SECONDS,
DOCUMENTS_TEMPLATE_CHECK_MEMORY_MB); the same check runs again before every later rendering.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from lxml import etree

from accountability.common.errors import DomainError

MSG_EMPTY = _("请选择要上传的模板文件。")
MSG_NOT_DOCX = _("模板必须是 .docx 格式的 Word 文件（不支持 .doc、.wps）。")
MSG_TOO_LARGE = _("模板文件不能超过 {mb} MB。")
MSG_CORRUPT = _("模板文件已损坏或不完整（{detail}），请在 Word 或 WPS 中重新保存后上传。")
MSG_ENCRYPTED = _("模板文件已加密，无法读取；请取消密码保护后上传。")
MSG_TOO_MANY_PARTS = _("模板文件包含{count}个部件，超过{limit}个的上限。")
MSG_UNZIPPED_TOO_LARGE = _("模板文件解压后为{mb} MB，超过{limit} MB 的上限，不予接受。")
MSG_RATIO = _(
    "模板文件中的“{name}”压缩比为{ratio}:1，超过{limit}:1 的上限（可能是压缩炸弹），不予接受。"
)
MSG_DTD = _(
    "模板文件中的“{name}”含有文档类型或实体声明（DOCTYPE/ENTITY），"
    "可能用于实体膨胀或读取服务器文件，不予接受。"
)
MSG_TOO_MANY_ELEMENTS = _(
    "模板文件的 XML 元素超过{limit}个的上限（已数到“{name}”），不予接受；请精简文档后上传。"
)
MSG_BAD_XML = _("模板文件中的“{name}”不是有效的 XML：{detail}")

#: Parts smaller than this unzipped are not held to the ratio (tiny parts compress oddly).
RATIO_FLOOR_BYTES = 1 << 20
CHUNK = 64 * 1024
_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY")
_XML_SUFFIXES = (".xml", ".rels")
_MB = 1 << 20


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_unzipped_bytes: int
    max_ratio: int
    max_parts: int
    max_elements: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            max_bytes=int(getattr(settings, "DOCUMENTS_TEMPLATE_MAX_MB", 5)) * _MB,
            max_unzipped_bytes=int(getattr(settings, "DOCUMENTS_TEMPLATE_MAX_UNZIPPED_MB", 50))
            * _MB,
            max_ratio=int(getattr(settings, "DOCUMENTS_TEMPLATE_MAX_RATIO", 100)),
            max_parts=int(getattr(settings, "DOCUMENTS_TEMPLATE_MAX_PARTS", 300)),
            max_elements=int(getattr(settings, "DOCUMENTS_TEMPLATE_MAX_ELEMENTS", 100_000)),
        )


@dataclass(frozen=True)
class Report:
    parts: int
    unzipped_bytes: int
    elements: int


class PackageRefused(DomainError):
    def __init__(self, message: Any, code: str) -> None:
        super().__init__(message, field="file", code=code)


def _mb(size: int) -> str:
    return f"{size / _MB:.0f}" if size >= 10 * _MB else f"{size / _MB:.1f}"


def _open(content: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as exc:
        if content[:2] == b"PK":  # begins like a zip: cut short or damaged
            raise PackageRefused(MSG_CORRUPT.format(detail=exc), "template_corrupt") from None
        raise PackageRefused(MSG_NOT_DOCX, "template_not_docx") from None
    except (OSError, ValueError, EOFError) as exc:
        raise PackageRefused(MSG_CORRUPT.format(detail=exc), "template_corrupt") from None


def _check_directory(archive: zipfile.ZipFile, limits: Limits) -> list[zipfile.ZipInfo]:
    entries = archive.infolist()
    if len(entries) > limits.max_parts:
        raise PackageRefused(
            MSG_TOO_MANY_PARTS.format(count=len(entries), limit=limits.max_parts),
            "template_too_many_parts",
        )
    names = {entry.filename for entry in entries}
    if "word/document.xml" not in names:
        raise PackageRefused(MSG_NOT_DOCX, "template_not_docx")
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise PackageRefused(MSG_ENCRYPTED, "template_encrypted")
    total = sum(entry.file_size for entry in entries)
    if total > limits.max_unzipped_bytes:
        raise PackageRefused(
            MSG_UNZIPPED_TOO_LARGE.format(mb=_mb(total), limit=_mb(limits.max_unzipped_bytes)),
            "template_unzipped_too_large",
        )
    for entry in entries:
        if entry.file_size < RATIO_FLOOR_BYTES:
            continue
        ratio = entry.file_size // max(entry.compress_size, 1)
        if ratio > limits.max_ratio:
            raise PackageRefused(
                MSG_RATIO.format(name=entry.filename, ratio=ratio, limit=limits.max_ratio),
                "template_zip_bomb",
            )
    return entries


class _Counter:
    """Elements counted across the parts of one package."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.count = 0


def _stream_part(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, counter: _Counter) -> None:
    """Parse one part in chunks, counting its elements; the tree it builds never holds more
    than the limit (plus one chunk's worth) before the count stops it."""
    name = entry.filename
    parser = etree.XMLPullParser(
        events=("start",),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
    )
    tail = b""
    read = 0
    first = True
    with archive.open(entry) as stream:
        while chunk := stream.read(CHUNK):
            read += len(chunk)
            if read > entry.file_size:  # more than the directory declared: a forged zip
                raise PackageRefused(
                    MSG_CORRUPT.format(detail=f"{name} 的长度与目录不符"), "template_corrupt"
                )
            # A declaration is refused before the parser reads it; the document's own
            # doctype, checked below, is the second net.
            window = tail + chunk
            if any(mark in window for mark in _DECLARATIONS):
                raise PackageRefused(MSG_DTD.format(name=name), "template_dtd")
            tail = window[-16:]
            parser.feed(chunk)
            for _event, element in parser.read_events():
                if first:
                    first = False
                    info = element.getroottree().docinfo
                    if info.doctype or info.internalDTD is not None:
                        raise PackageRefused(MSG_DTD.format(name=name), "template_dtd")
                counter.count += 1
            if counter.count > counter.limit:
                raise PackageRefused(
                    MSG_TOO_MANY_ELEMENTS.format(limit=counter.limit, name=name),
                    "template_too_many_elements",
                )
    parser.close()


def inspect(
    content: bytes,
    limits: Limits | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> Report:
    """Refuse (PackageRefused, a DomainError with a Chinese message) a package beyond
    ``limits`` (default: the settings); what was measured, when it passes."""
    limits = limits or Limits.from_settings()
    if not content:
        raise PackageRefused(MSG_EMPTY, "template_empty")
    if len(content) > limits.max_bytes:
        raise PackageRefused(MSG_TOO_LARGE.format(mb=_mb(limits.max_bytes)), "template_too_large")
    with _open(content) as archive:
        entries = _check_directory(archive, limits)
        parts = [e for e in entries if e.filename.lower().endswith(_XML_SUFFIXES)]
        counter = _Counter(limits.max_elements)
        for index, entry in enumerate(parts):
            if progress is not None:
                progress(index, len(parts), entry.filename)
            try:
                _stream_part(archive, entry, counter)
            except etree.XMLSyntaxError as exc:
                raise PackageRefused(
                    MSG_BAD_XML.format(name=entry.filename, detail=exc.msg or exc),
                    "template_bad_xml",
                ) from None
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
                raise PackageRefused(MSG_CORRUPT.format(detail=exc), "template_corrupt") from None
    return Report(
        parts=len(entries),
        unzipped_bytes=sum(e.file_size for e in entries),
        elements=counter.count,
    )
