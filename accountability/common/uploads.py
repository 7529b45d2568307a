"""Uploads stop being kept at their limit while they stream in (FILE_UPLOAD_HANDLERS).

``LimitedUploadHandler`` comes first among the upload handlers. It counts each file's bytes as
they arrive; past the limit it passes nothing more to the handlers that store the file (memory
or a temporary file), drops what they had, and hands the form a ``RefusedUpload``: no content,
but the size the file really had, so the form or service says "too large" with its own message
and nothing over the limit ever reaches the disk.

The limit is the view's ``upload_max_bytes()`` (a function attribute, or a method of a class-based
view) when it has one, otherwise the setting UPLOAD_MAX_MB (default 50, the attachment limit).
"""

from __future__ import annotations

import contextlib
import io
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

DEFAULT_UPLOAD_MAX_MB = 50


class RefusedUpload(UploadedFile):
    """A file that went over its limit: its true size, its name, and no content."""

    over_limit = True

    def __init__(self, name: str, content_type: str, size: int, charset: str | None) -> None:
        super().__init__(io.BytesIO(), name, content_type, size, charset)


def upload_limit(request: Any) -> int:
    """The byte limit of a file uploaded to ``request``'s view."""
    match = getattr(request, "resolver_match", None)
    view = getattr(match, "func", None)
    for holder in (view, getattr(view, "view_class", None)):
        limit = getattr(holder, "upload_max_bytes", None)
        if callable(limit):
            return int(limit())
    return int(getattr(settings, "UPLOAD_MAX_MB", DEFAULT_UPLOAD_MAX_MB)) << 20


class LimitedUploadHandler(FileUploadHandler):
    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.limit = upload_limit(request)
        self.received = 0
        self.over = False

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0
        self.over = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.over:
            return None
        if self.received > self.limit:
            self.over = True
            self._drop_kept()
            return None
        return raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if not self.over:
            return None  # the next handler returns the file it kept
        return RefusedUpload(self.file_name or "", self.content_type or "", self.received, None)

    def _drop_kept(self) -> None:
        """Close (and so delete) what the storing handlers kept of this file so far."""
        for handler in getattr(self.request, "upload_handlers", ()):
            if handler is self:
                continue
            kept = getattr(handler, "file", None)
            if kept is not None:
                with contextlib.suppress(Exception):
                    kept.close()
