"""Stored files and the transactions that record them: no file without its row.

A file is written to storage before the row that names it is saved (the storage picks the
name), inside the row's transaction; ``Written`` remembers what was written and removes it
again when the transaction rolls back, so a failure never leaves an orphan file behind.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile


@dataclass
class Written:
    """Files stored during a transaction, removed again if it rolls back."""

    names: list[tuple[Any, str]] = field(default_factory=list)

    def save(self, file_field: Any, name: str, content: bytes) -> None:
        """Store ``content`` in ``file_field`` (a FieldFile; the row is not saved)."""
        file_field.save(name, ContentFile(content), save=False)
        self.names.append((file_field.storage, file_field.name))

    def remove(self) -> None:
        for storage, name in self.names:
            with contextlib.suppress(OSError):  # best effort: the row was never stored
                storage.delete(name)
        self.names.clear()


@contextlib.contextmanager
def removed_on_failure() -> Iterator[Written]:
    """``with removed_on_failure() as written, transaction.atomic(): ...``: the files
    ``written`` stores are removed when the block (and so its transaction) fails."""
    written = Written()
    try:
        yield written
    except BaseException:
        written.remove()
        raise
