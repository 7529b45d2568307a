"""The rulebook the application uses: the shipped tables plus the database's holiday years.

`current_rulebook()` serves the cases, their forms, the documents and the 测算 page alike, so
that an appeal deadline counted for a case is the one the 测算 page shows (第十六条).

It is built once per process and kept with the revision of the holiday schedules it was built
from (HolidayScheduleStamp). Saving or deleting a year bumps the revision in the same
transaction; this process drops its rulebook when that transaction commits (`invalidate`), and
every other worker process sees the new revision the next time it reads the stamp. A process
reads the stamp (one row, one query) at most once per request, and on every call outside a
request (commands, jobs). Rebuilding reuses the shipped versions, so their compiled tables
(rulebook.compiled) are never built again: only the calendar is.

The database adds holiday years, never versions: what needs only a version's tables (the
choices of a form, a document's appeal period) asks `version_in_force()` or
`rulebook_versions()`, which read no database (forms build their choices at import time).
"""

from __future__ import annotations

import threading
from datetime import date

from django.core.signals import request_finished, request_started

import rulebook
from accountability.assessment.holidays import extra_schedules
from accountability.assessment.models import HolidayScheduleStamp

_lock = threading.Lock()
_built: tuple[int, rulebook.Rulebook] | None = None
# Per thread: whether it is serving a request, and whether it read the stamp in this one.
_request = threading.local()


def schedule_revision() -> int:
    """The revision of the holiday schedules in the database (0 before any change)."""
    row = HolidayScheduleStamp.objects.filter(pk=1).values_list("revision", flat=True).first()
    return row or 0


def current_rulebook() -> rulebook.Rulebook:
    """The shipped rulebook with the holiday years entered in the database."""
    global _built
    built = _built
    if built is not None and getattr(_request, "checked", False):
        return built[1]
    revision = schedule_revision()
    if getattr(_request, "active", False):
        _request.checked = True
    if built is None or built[0] != revision:
        with _lock:
            built = _built
            if built is None or built[0] != revision:
                # The schedules are read after the revision: at least as new as it says.
                built = _built = (revision, rulebook.load(extra_schedules=extra_schedules()))
    return built[1]


def rulebook_versions() -> tuple[rulebook.RulebookVersion, ...]:
    """The versions current_rulebook() holds (the shipped ones), without a query."""
    return rulebook.load().versions


def version_in_force(on: date) -> rulebook.RulebookVersion:
    """The version in force on `on`, as current_rulebook() would choose it, without a query."""
    return rulebook.load().version_at(on)


def invalidate() -> None:
    """Drop this process's rulebook (a schedule changed and the change committed)."""
    global _built
    with _lock:
        _built = None
    _request.checked = False


def _request_started(**kwargs: object) -> None:
    _request.active, _request.checked = True, False


def _request_finished(**kwargs: object) -> None:
    _request.active, _request.checked = False, False


def connect_signals() -> None:
    request_started.connect(_request_started, dispatch_uid="assessment.current.started")
    request_finished.connect(_request_finished, dispatch_uid="assessment.current.finished")
