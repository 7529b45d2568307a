"""Reading the audit trail: the log page's keyset pages, and (re-exported) verification."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from accountability.audit.models import ANONYMOUS_ACTOR_NAME, AuditEntry
from accountability.audit.verify import (  # noqa: F401 (the verification's public names)
    CHAIN_EDITED,
    CHAIN_HEAD_MISMATCH,
    CHAIN_LINK_BROKEN,
    CHAIN_MISSING,
    CHAIN_OK,
    CHAIN_TAIL_MISSING,
    ChainReport,
    audit_chain_verify,
)

PAGE_SIZE = 50
# At most this many accounts match an operator filter (by username or part of a name).
ACTOR_MATCH_LIMIT = 200


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _actor_filter(actor: str) -> Q:
    """Entries of the accounts whose username is ``actor`` or whose name contains it.

    The accounts are looked up first (a small table), so the log itself is filtered by
    actor_id on the audit_actor_seq index instead of a LIKE over millions of rows."""
    users = get_user_model().objects.filter(
        Q(username__iexact=actor) | Q(full_name__icontains=actor)
    )
    ids = list(users.values_list("pk", flat=True)[:ACTOR_MATCH_LIMIT])
    condition = Q(actor_id__in=ids)
    if actor == ANONYMOUS_ACTOR_NAME:
        condition |= Q(actor__isnull=True)
    return condition


def _seq_bounds(date_from: date | None, date_to: date | None) -> tuple[int | None, int | None]:
    """The date range as a seq range (on audit_at), since seq and time grow together."""
    low = high = None
    if date_from:
        first = (
            AuditEntry.objects.filter(at__gte=_day_start(date_from))
            .order_by("at")
            .values_list("seq", flat=True)
            .first()
        )
        low = first if first is not None else -1
    if date_to:
        last = (
            AuditEntry.objects.filter(at__lt=_day_start(date_to + timedelta(days=1)))
            .order_by("-at")
            .values_list("seq", flat=True)
            .first()
        )
        high = last if last is not None else -1
    return low, high


def audit_entry_list(
    *,
    actor: str = "",
    action: str = "",
    case_number: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEntry]:
    """Entries newest first, filtered by operator (username or name), event type, case
    number and date range; every filter is served by an index of AuditEntry.Meta."""
    entries = AuditEntry.objects.select_related("actor").order_by("-seq")
    if actor:
        entries = entries.filter(_actor_filter(actor))
    if action:
        entries = entries.filter(action=action)
    if case_number:
        entries = entries.filter(case_number=case_number)
    low, high = _seq_bounds(date_from, date_to)
    if low == -1 or high == -1:
        return entries.none()
    if low is not None:
        entries = entries.filter(seq__gte=low, at__gte=_day_start(date_from))  # type: ignore[arg-type]
    if high is not None:
        entries = entries.filter(
            seq__lte=high,
            at__lt=_day_start(date_to + timedelta(days=1)),  # type: ignore[operator]
        )
    return entries


@dataclass(frozen=True)
class EntryPage:
    entries: list[AuditEntry]
    # The keyset links: older entries have seq < older_than, newer ones seq > newer_than.
    older_than: int | None
    newer_than: int | None


def audit_entry_page(
    entries: QuerySet[AuditEntry],
    *,
    before: int | None = None,
    after: int | None = None,
    size: int = PAGE_SIZE,
) -> EntryPage:
    """One page by keyset on seq, without counting the rows: ``before`` gives the page of
    older entries, ``after`` the page of newer ones, neither the newest page."""
    if after is not None:
        rows = list(entries.filter(seq__gt=after).order_by("seq")[: size + 1])
        more_newer = len(rows) > size
        rows = rows[:size][::-1]
        more_older = bool(rows) and entries.filter(seq__lt=rows[-1].seq).exists()
    else:
        if before is not None:
            entries = entries.filter(seq__lt=before)
        rows = list(entries[: size + 1])
        more_older = len(rows) > size
        rows = rows[:size]
        more_newer = before is not None
    return EntryPage(
        entries=rows,
        older_than=rows[-1].seq if rows and more_older else None,
        newer_than=rows[0].seq if rows and more_newer else None,
    )


def audit_entry_iter(entries: QuerySet[AuditEntry], *, chunk: int = 2000) -> Iterator[AuditEntry]:
    """Every entry of ``entries``, newest first, fetched by keyset (for exports)."""
    before: int | None = None
    while True:
        page = entries.filter(seq__lt=before) if before is not None else entries
        rows = list(page[:chunk])
        if not rows:
            return
        yield from rows
        before = rows[-1].seq
