"""Evidence from the public: checked by content, size-limited, cleaned of metadata before it
is stored (the cleaning itself, in a child process with its own limits, is sanitize.py).

The types a reporter may send are those whose metadata can be removed: PDF, Word, Excel and
PowerPoint (OOXML), JPEG, PNG and TIFF pictures, plain text. Recordings and videos, old Office
formats and anything else are refused with the list (their metadata cannot be removed here;
the page says to hand them over in person).
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accountability.cases import files
from accountability.common.errors import DomainError
from accountability.common.i18n import join_list

MSG_FILE_TYPE = _("不能上传此类文件：文件内容为{detected}。网上举报可上传的文件类型为：{allowed}。")
MSG_FILE_TOO_LARGE = _("文件“{name}”超过{mb}MB，不能上传。")
MSG_FILE_EMPTY = _("文件“{name}”是空文件。")
MSG_TOO_MANY_FILES = _("每次最多上传{n}个文件。")
MSG_FILE_CORRUPT = _("文件“{name}”已损坏或格式不正确，无法处理。")
MSG_FILE_ENCRYPTED = _("文件“{name}”设有密码，无法去除其中的个人信息，请去除密码后再上传。")
MSG_FILE_LIMIT = _("文件“{name}”过大或过于复杂，无法在限定的时间和内存内去除其中的个人信息。")

#: (MIME type, suffix stored, name shown in the list of allowed types).
PUBLIC_TYPES: tuple[tuple[str, str, Any], ...] = (
    ("application/pdf", "pdf", _("PDF")),
    (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
        _("Word 文档(.docx)"),
    ),
    (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
        _("Excel 工作簿(.xlsx)"),
    ),
    (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pptx",
        _("PowerPoint 演示文稿(.pptx)"),
    ),
    ("image/jpeg", "jpg", _("JPEG 图片")),
    ("image/png", "png", _("PNG 图片")),
    ("image/tiff", "tif", _("TIFF 图片")),
    ("text/plain", "txt", _("纯文本")),
)
SUFFIXES = {mime: suffix for mime, suffix, _name in PUBLIC_TYPES}
#: The name of each stored file: 证据材料1.jpg, 证据材料2.pdf …
STORED_NAME = "证据材料{n}.{suffix}"


def allowed_summary() -> str:
    return join_list([str(name) for _mime, _suffix, name in PUBLIC_TYPES])


def max_bytes() -> int:
    return int(settings.PUBLIC_EVIDENCE_MAX_MB) << 20


@dataclass(frozen=True)
class CleanFile:
    content: bytes
    mime: str
    suffix: str
    sha256: str
    sm3: str

    @property
    def size(self) -> int:
        return len(self.content)


def _read(upload: Any, name: str) -> bytes:
    limit = max_bytes()
    too_large = DomainError(
        MSG_FILE_TOO_LARGE.format(name=name, mb=limit >> 20), field="files", code="file_too_large"
    )
    if getattr(upload, "over_limit", False) or int(getattr(upload, "size", 0) or 0) > limit:
        raise too_large
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = b"".join(upload.chunks()) if hasattr(upload, "chunks") else upload.read()
    if len(data) > limit:
        raise too_large
    if not data:
        raise DomainError(MSG_FILE_EMPTY.format(name=name), field="files", code="empty_file")
    return bytes(data)


def _run_cleaner(data: bytes, mime: str, name: str) -> bytes:
    seconds = int(settings.PUBLIC_CLEAN_SECONDS)
    command = [
        sys.executable,
        "-m",
        "accountability.public.sanitize",
        mime,
        str(int(settings.PUBLIC_CLEAN_MEMORY_MB)),
        str(seconds),
    ]
    limit = DomainError(MSG_FILE_LIMIT.format(name=name), field="files", code="file_limit")
    try:
        result = subprocess.run(
            command, input=data, capture_output=True, timeout=seconds + 5, check=False
        )
    except subprocess.TimeoutExpired:
        raise limit from None
    if result.returncode == 0 and result.stdout:
        return result.stdout
    reason = result.stderr.decode("ascii", "replace").strip()[-20:]
    if result.returncode == 3 and reason == "encrypted":
        raise DomainError(MSG_FILE_ENCRYPTED.format(name=name), field="files", code="encrypted")
    if result.returncode == 3 and reason == "corrupt":
        raise DomainError(MSG_FILE_CORRUPT.format(name=name), field="files", code="corrupt")
    # too_large, or the child killed by its CPU or memory limit.
    raise limit


def clean_upload(upload: Any) -> CleanFile:
    """The upload checked (size, type by content) and without its metadata; DomainError
    naming the file and the rule otherwise. Runs outside any transaction (a child process)."""
    name = files.clean_filename(getattr(upload, "name", "") or files.FALLBACK_NAME)
    data = _read(upload, name)
    detected = files.detect_type(data[: files.MAGIC_BYTES])
    if detected.mime not in SUFFIXES:
        raise DomainError(
            MSG_FILE_TYPE.format(
                detected=files.type_name(detected.mime, detected.description),
                allowed=allowed_summary(),
            ),
            field="files",
            code="file_type",
        )
    cleaned = _run_cleaner(data, detected.mime, name)
    sm3 = hashlib.new("sm3", cleaned).hexdigest()
    return CleanFile(
        content=cleaned,
        mime=detected.mime,
        suffix=SUFFIXES[detected.mime],
        sha256=hashlib.sha256(cleaned).hexdigest(),
        sm3=sm3,
    )


def clean_uploads(uploads: list[Any]) -> list[CleanFile]:
    if len(uploads) > int(settings.PUBLIC_EVIDENCE_MAX_FILES):
        raise DomainError(
            MSG_TOO_MANY_FILES.format(n=settings.PUBLIC_EVIDENCE_MAX_FILES),
            field="files",
            code="too_many_files",
        )
    return [clean_upload(upload) for upload in uploads]
