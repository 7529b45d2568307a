"""Job kinds: a handler is a plain function decorated with ``@job(...)``.

    @job(label=_("生成文书"), timeout=120, memory_mb=512)
    def document_render(ctx: JobContext, *, document_id: int) -> JobOutcome | None:
        ...

The kind stored on a Job row is the handler's dotted path, so a worker finds it by importing
the module: nothing has to be registered in advance. ``timeout`` (seconds, enforced by the
worker) and ``memory_mb`` (address space added to the work horse's, enforced by the kernel)
are the limits every job has; the settings JOBS_DEFAULT_TIMEOUT and JOBS_DEFAULT_MEMORY_MB
give them when a kind names none. Either limit may also be a function of no arguments, called
when the job is queued, so that a kind can take its limit from a setting of its own:

    @job(label=_("生成 PDF"), memory_mb=lambda: settings.DOCUMENTS_SOFFICE_MEMORY_MB + 256)
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings

DEFAULT_TIMEOUT = 300
DEFAULT_MEMORY_MB = 1024


#: A limit: a number, a function giving one (read when the job is queued), or None (the default).
Limit = int | Callable[[], int] | None


def _value(limit: Limit) -> int | None:
    return limit() if callable(limit) else limit


class Progress(Protocol):
    def __call__(self, done: int, total: int | None = None, message: str = "") -> None: ...


@dataclass(frozen=True)
class JobContext:
    """What a handler gets besides its parameters: the job's id, its owner and a progress hook."""

    job_id: str
    owner_id: int | None
    progress: Progress


@dataclass(frozen=True)
class JobOutcome:
    """A handler's result: a sentence for the user, where to see the result, and data."""

    message: str = ""
    url: str = ""
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class JobKind:
    path: str
    label: str
    timeout: Limit
    memory_mb: Limit
    handler: Callable[..., JobOutcome | None]

    def effective_timeout(self) -> int:
        return int(
            _value(self.timeout) or getattr(settings, "JOBS_DEFAULT_TIMEOUT", DEFAULT_TIMEOUT)
        )

    def effective_memory_mb(self) -> int:
        return int(
            _value(self.memory_mb) or getattr(settings, "JOBS_DEFAULT_MEMORY_MB", DEFAULT_MEMORY_MB)
        )


class UnknownJobKind(LookupError):
    pass


def job(
    *, label: Any, timeout: Limit = None, memory_mb: Limit = None
) -> Callable[[Callable[..., JobOutcome | None]], Callable[..., JobOutcome | None]]:
    """Mark ``handler`` as a job kind with its label and limits."""

    def decorate(handler: Callable[..., JobOutcome | None]) -> Callable[..., JobOutcome | None]:
        handler.job_kind = JobKind(  # type: ignore[attr-defined]
            path=f"{handler.__module__}.{handler.__qualname__}",
            label=label,
            timeout=timeout,
            memory_mb=memory_mb,
            handler=handler,
        )
        return handler

    return decorate


def kind_of(handler: Callable[..., Any]) -> JobKind:
    kind = getattr(handler, "job_kind", None)
    if not isinstance(kind, JobKind):
        raise UnknownJobKind(f"{handler!r} is not decorated with @job")
    return kind


def resolve(path: str) -> JobKind:
    """The kind whose handler lives at the dotted ``path``."""
    module_name, _, name = path.rpartition(".")
    try:
        handler = getattr(importlib.import_module(module_name), name)
    except (ImportError, AttributeError, ValueError) as exc:
        raise UnknownJobKind(path) from exc
    return kind_of(handler)
