"""Small language helpers for text that is put together from pieces.

The Chinese interface joins lists with 、 and puts a full-width colon after a label; English
uses ", " and ": ". The separators are messages of their own (with a context), so that a
joined list or a "label：value" line reads right in the active language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.utils import translation
from django.utils.translation import pgettext

T = TypeVar("T")


def list_separator() -> str:
    """The separator between the items of a list in the active language (、 in Chinese)."""
    return pgettext("list separator", "、")


def join_list(items: Iterable[object]) -> str:
    """``items`` as text joined with the list separator of the active language."""
    return list_separator().join(str(item) for item in items)


def label_separator() -> str:
    """What follows a label before its value in the active language (： in Chinese)."""
    return pgettext("label separator", "：")


def source_language() -> translation.override:
    """A context in the source language (zh-hans): for text that is stored, not shown.

    Records (the audit trail, a recusal's reason, a log entry) are written in the language of
    the regulation whatever the language of the person's interface.
    """
    return translation.override(settings.LANGUAGE_CODE)


def in_source_language(func: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """``func(*args, **kwargs)`` called in the source language (see ``source_language``).

    For the official paperwork: a document's fill-in data and title are Chinese whatever the
    language of the interface it is issued from.
    """
    with source_language():
        return func(*args, **kwargs)
