"""Case attachments on disk: what may be stored, under which name, and reading them back.

* **Types by content.** A file's type is what libmagic (python-magic) finds in its bytes, never
  its name or the type the browser claims. The allowed types are the setting
  CASES_ATTACHMENT_TYPES (MIME types); the default, ``DEFAULT_ATTACHMENT_TYPES``, is what a
  case file holds: PDF, Word and Excel (OOXML and 97-2003), scanned or photographed pages
  (JPEG, PNG, TIFF, BMP, GIF), plain text, and recordings of talks and hearings (MP3, WAV,
  M4A, AMR; MP4, MOV). Executables, scripts, web pages, SVG (which can carry script) and
  archives (which can hide any of those) are refused, naming the type found.
* **No orphan files.** A file is written before the row that refers to it commits, and removed
  again when that transaction fails (``removed_on_failure`` wraps the services that store
  files, outside their transaction, so a failed COMMIT is covered too). The other order would
  leave, after a crash between commit and write, a row whose file never existed: evidence
  recorded but lost. In this order a crash leaves at worst a file no row names, which
  ``orphan_files`` finds and the ``remove_orphan_files`` command deletes.
* **Verified reads.** Every download recomputes SHA-256 and SM3 and compares them with the
  values recorded at upload; an altered or missing file is refused (and the refusal audited by
  the view).
"""

from __future__ import annotations

import contextlib
import hashlib
import unicodedata
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import magic
from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accountability.common.errors import DomainError
from accountability.common.i18n import join_list

MSG_TYPE_REFUSED = _("不能上传此类文件：文件内容为{detected}，允许上传的类型为{allowed}。")
MSG_TAMPERED = _("附件“{name}”的校验值与上传时记录的不一致，文件可能已被改动，不予下载。")
MSG_MISSING = _("附件“{name}”在存储中缺失，不予下载。")

#: Bytes libmagic looks at: enough for the headers of every allowed type (OOXML names its
#: parts in the first zip entries).
MAGIC_BYTES = 256 * 1024
#: Directory under MEDIA_ROOT where attachments live (models.attachment_path).
ATTACHMENT_DIR = "cases"
#: A file younger than this is never taken for an orphan: its row may not have committed yet.
ORPHAN_GRACE = timedelta(hours=1)

#: (MIME type, group shown in messages, name of the type) for the default allow-list.
_ALLOWED: tuple[tuple[str, Any, Any], ...] = (
    ("application/pdf", "PDF", _("PDF 文档")),
    ("application/msword", "Word", _("Word 97-2003 文档")),
    (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word",
        _("Word 文档"),
    ),
    ("application/vnd.ms-excel", "Excel", _("Excel 97-2003 工作簿")),
    (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Excel",
        _("Excel 工作簿"),
    ),
    ("image/jpeg", _("图片"), _("JPEG 图片")),
    ("image/png", _("图片"), _("PNG 图片")),
    ("image/tiff", _("图片"), _("TIFF 图片")),
    ("image/bmp", _("图片"), _("BMP 图片")),
    ("image/gif", _("图片"), _("GIF 图片")),
    ("text/plain", _("纯文本"), _("纯文本")),
    ("audio/mpeg", _("音频"), _("MP3 音频")),
    ("audio/x-wav", _("音频"), _("WAV 音频")),
    ("audio/x-m4a", _("音频"), _("M4A 音频")),
    ("audio/amr", _("音频"), _("AMR 录音")),
    ("video/mp4", _("视频"), _("MP4 视频")),
    ("video/quicktime", _("视频"), _("MOV 视频")),
)
DEFAULT_ATTACHMENT_TYPES: tuple[str, ...] = tuple(mime for mime, _g, _n in _ALLOWED)

#: Names of types that are refused by default, for a message a user understands.
_REFUSED_NAMES: dict[str, Any] = {
    "application/vnd.microsoft.portable-executable": _("Windows 可执行程序(exe/dll)"),
    "application/x-dosexec": _("Windows 可执行程序(exe/dll)"),
    "application/x-msi": _("Windows 安装程序(msi)"),
    "application/x-executable": _("可执行程序"),
    "application/x-pie-executable": _("可执行程序"),
    "application/x-sharedlib": _("可执行程序"),
    "text/html": _("网页(HTML)"),
    "image/svg+xml": _("SVG 图形(可含脚本)"),
    "text/x-shellscript": _("脚本程序"),
    "text/x-script.python": _("脚本程序"),
    "text/x-python": _("脚本程序"),
    "application/javascript": _("脚本程序"),
    "text/javascript": _("脚本程序"),
    "application/zip": _("ZIP 压缩包"),
    "application/x-rar": _("RAR 压缩包"),
    "application/x-7z-compressed": _("7z 压缩包"),
    "application/gzip": _("gzip 压缩包"),
    "application/x-tar": _("tar 归档"),
    "application/octet-stream": _("无法识别的二进制数据"),
    "application/x-empty": _("空文件"),
}
_NAMES: dict[str, Any] = {mime: name for mime, _g, name in _ALLOWED} | _REFUSED_NAMES
_GROUPS: dict[str, Any] = {mime: group for mime, group, _n in _ALLOWED}


def allowed_types() -> tuple[str, ...]:
    """The MIME types an attachment may have (setting CASES_ATTACHMENT_TYPES)."""
    configured = getattr(settings, "CASES_ATTACHMENT_TYPES", None)
    return tuple(configured) if configured else DEFAULT_ATTACHMENT_TYPES


def allowed_summary() -> str:
    """The allowed types as groups for a message: PDF、Word、Excel、图片、纯文本、音频、视频."""
    groups = dict.fromkeys(str(_GROUPS.get(mime, mime)) for mime in allowed_types())
    return join_list(list(groups))


def type_name(mime: str, description: str = "") -> str:
    """A Chinese name for a detected type, with its MIME type: Windows 可执行程序(exe/dll)（…）."""
    name = _NAMES.get(mime)
    if name is not None:
        return f"{name}（{mime}）"
    return f"{description[:80]}（{mime}）" if description else mime


def _looks_like_text(head: bytes) -> bool:
    """Short or unusual text libmagic calls data: UTF-8 or GB 18030 without control bytes."""
    for encoding in ("utf-8", "gb18030"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            continue
        return all(ch in "\t\n\r\f" or unicodedata.category(ch)[0] != "C" for ch in text)
    return False


@dataclass(frozen=True)
class DetectedType:
    mime: str
    description: str


def detect_type(head: bytes) -> DetectedType:
    """The type of a file from its first bytes (libmagic; plain text recognised as such)."""
    if not head:
        return DetectedType("application/x-empty", "empty")
    mime = magic.from_buffer(head, mime=True)
    description = magic.from_buffer(head)
    if mime == "application/octet-stream" and _looks_like_text(head):
        mime = "text/plain"
    return DetectedType(mime, description)


def _head(file: Any) -> bytes:
    if hasattr(file, "seek"):
        file.seek(0)
    head = file.read(MAGIC_BYTES)
    file.seek(0)
    return bytes(head or b"")


def check_type(file: Any) -> DetectedType:
    """The file's type by content; DomainError naming what it is when it is not allowed."""
    detected = detect_type(_head(file))
    if detected.mime not in allowed_types():
        raise DomainError(
            MSG_TYPE_REFUSED.format(
                detected=type_name(detected.mime, detected.description),
                allowed=allowed_summary(),
            ),
            field="file",
            code="file_type",
        )
    return detected


# --- file names ------------------------------------------------------------------------------

FALLBACK_NAME = "附件"


def clean_filename(name: str, *, limit: int = 255) -> str:
    """The last component of a user's file name, without path, control or bidi characters.

    ``../../etc/passwd`` → ``passwd``; ``C:\\x\\a.pdf`` → ``a.pdf``; NUL, line breaks and the
    right-to-left override are dropped; a name that is left empty becomes 附件.
    """
    name = str(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    # Categories C*: controls (NUL, line breaks), format characters (the bidirectional
    # overrides that make "exe.pdf" read "fdp.exe", zero-width marks), unassigned.
    name = "".join(
        ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C"
    )
    name = name.strip().strip(".").strip()
    if not name:
        return FALLBACK_NAME
    if len(name) > limit:
        stem, dot, suffix = name.rpartition(".")
        if dot and len(suffix) <= 10:
            name = stem[: limit - len(suffix) - 1] + "." + suffix
        else:
            name = name[:limit]
    return name


# --- writing without orphans -----------------------------------------------------------------

_written: ContextVar[list[str] | None] = ContextVar("cases_files_written", default=None)

F = TypeVar("F", bound=Callable[..., Any])


def note_written(name: str) -> None:
    """Record a file stored under ``name`` by the service now running (see removed_on_failure)."""
    written = _written.get()
    if written is not None:
        written.append(name)


def removed_on_failure(service: F) -> F:
    """Delete the files ``service`` stored if it raises, its COMMIT included.

    Put it above ``@transaction.atomic``. The services that store files are the outermost
    transaction of every caller (views, commands, the demo); a caller that wraps one in a
    transaction of its own and then rolls back leaves a file that ``orphan_files`` finds.
    """

    @wraps(service)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        written: list[str] = []
        token = _written.set(written)
        try:
            return service(*args, **kwargs)
        except BaseException:
            for name in written:
                with contextlib.suppress(OSError):
                    default_storage.delete(name)
            raise
        finally:
            _written.reset(token)

    return wrapper  # type: ignore[return-value]


def orphan_files(*, older_than: timedelta = ORPHAN_GRACE) -> list[str]:
    """Names of attachment files that no Attachment row refers to (older than the grace)."""
    from accountability.cases.models import Attachment

    root = Path(settings.MEDIA_ROOT) / ATTACHMENT_DIR
    if not root.is_dir():
        return []
    known = set(Attachment.objects.values_list("file", flat=True))
    cutoff = (timezone.now() - older_than).timestamp()
    found = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.stat().st_mtime > cutoff:
            continue
        name = path.relative_to(settings.MEDIA_ROOT).as_posix()
        if name not in known:
            found.append(name)
    return found


# --- reading back ------------------------------------------------------------------------------


def _chunks(handle: Any, size: int = 1 << 20) -> Iterator[bytes]:
    while True:
        chunk = handle.read(size)
        if not chunk:
            return
        yield chunk


def verify(attachment: Any) -> None:
    """Refuse (DomainError) an attachment whose file is missing or differs from its hashes."""
    label = attachment.title or attachment.original_name
    sha256 = hashlib.sha256()
    sm3 = hashlib.new("sm3")
    try:
        with attachment.file.open("rb") as handle:
            for chunk in _chunks(handle):
                sha256.update(chunk)
                sm3.update(chunk)
    except (OSError, ValueError):
        error = DomainError(MSG_MISSING.format(name=label), field="file", code="file_missing")
        error.status = 409
        raise error from None
    if sha256.hexdigest() != attachment.sha256 or sm3.hexdigest() != attachment.sm3:
        error = DomainError(MSG_TAMPERED.format(name=label), field="file", code="tampered")
        error.status = 409
        raise error
