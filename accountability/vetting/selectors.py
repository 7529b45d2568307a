"""Reads of the register and of vetting, with the permission check inside the fetch.

    kinds_barring(bar) -> tuple[str, ...]                      (rulebook kinds + legacy words)
    running_restrictions(*, person_ids, on) -> QuerySet[Restriction]
    barred_on(*, on, bar="promotion") -> QuerySet[Restriction]  (everyone barred on a day)
    person_record_for_user(*, person, user, today=None) -> PersonRecord | None
    vetting_list_for_user(*, user) -> QuerySet[VettingRequest]
    vetting_get_for_user(*, request_id, user) -> VettingRequest (NotFound)

Every query of the register reads live rows (``superseded_by IS NULL``) through the partial
indexes named in models.Restriction.Meta; none runs once per person.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

import rulebook
from accountability.cases import access
from accountability.cases import selectors as case_selectors
from accountability.cases import workflow as wf
from accountability.cases.models import CaseParty, Decision
from accountability.common.errors import NotFound, PermissionDenied
from accountability.people.models import Person
from accountability.vetting.models import LIVE, Restriction, VettingRequest
from accountability.vetting.permissions import VETTING_ROLES
from accountability.vetting.register import LEGACY_BARS

#: Rows of an ``IN (...)`` list per query: a 5,000-name list is one query per set.
CHUNK = 5000


@cache
def kinds_barring(bar: str) -> tuple[str, ...]:
    """The kinds that bar ``bar`` ("promotion" or "award") in any rulebook version, and the
    Chinese words of assessments stored before the machine names."""
    kinds = {
        name
        for version in rulebook.load().versions
        for name, kind in version.kinds.items()
        if bar in kind.bars
    }
    kinds.update(word for word, bars in LEGACY_BARS.items() if bar in bars)
    return tuple(sorted(kinds))


def chunks(values: Iterable[Any], size: int = CHUNK) -> Iterable[list[Any]]:
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def running_restrictions(*, person_ids: Iterable[int], on: date) -> list[Restriction]:
    """The live restrictions of these people running on ``on`` (vetting_live_person_until)."""
    found: list[Restriction] = []
    for ids in chunks(sorted(set(person_ids))):
        found.extend(
            Restriction.objects.filter(LIVE, person_id__in=ids, until__gte=on, start__lte=on)
            .select_related("decision__party__case", "decision")
            .order_by("person_id", "until", "id")
        )
    return found


def barred_on(*, on: date, bar: str = "promotion") -> QuerySet[Restriction]:
    """Everyone barred from a promotion (or an award) on ``on``: one query over the register
    (index vetting_live_kind_period)."""
    return Restriction.objects.filter(
        LIVE, kind__in=kinds_barring(bar), until__gte=on, start__lte=on
    )


# ---------------------------------------------------------------------------------------------
# The person's record


@dataclass
class PersonRecord:
    """What the system holds about one person, as far as ``user`` may see it."""

    parties: list[CaseParty] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    running: list[Restriction] = field(default_factory=list)
    history: list[Restriction] = field(default_factory=list)
    today: date | None = None


def person_record_for_user(
    *, person: Person, user: Any, today: date | None = None
) -> PersonRecord | None:
    """Every clue, case, decision and restriction about ``person`` in the cases ``user`` may
    see (cases.selectors.case_list_for_user); None for a role that sees no case (the three
    administrators). Five queries, whatever the person's history."""
    today = today or timezone.localdate()
    try:
        visible = case_selectors.case_list_for_user(user=user)
    except PermissionDenied:
        return None
    parties = list(
        CaseParty.objects.filter(person=person, case__in=visible.values("pk"))
        .select_related("case", "case__handling_organ")
        .order_by("-case__received_on", "-id")
    )
    party_ids = [p.pk for p in parties]
    decisions = list(
        Decision.objects.filter(party_id__in=party_ids)
        .select_related("party__case", "current_version")
        .order_by("-decided_on", "-id")
    )
    by_party = {d.party_id: d for d in decisions}
    for party in parties:
        party.vetting_decision = by_party.get(party.pk)  # type: ignore[attr-defined]
    decision_ids = [d.pk for d in decisions]
    rows = list(
        Restriction.objects.filter(person=person, decision_id__in=decision_ids)
        .select_related("decision__party__case", "version", "superseded_by")
        .order_by("-start", "id")
    )
    running = [r for r in rows if r.is_live and r.start <= today <= r.until]
    running.sort(key=lambda r: (r.until, r.pk))
    history = [r for r in rows if r not in running]
    return PersonRecord(
        parties=parties, decisions=decisions, running=running, history=history, today=today
    )


# ---------------------------------------------------------------------------------------------
# Vetting requests


def _organ(user: Any) -> Any:
    if not getattr(user, "is_authenticated", False) or getattr(user, "role", None) not in (
        VETTING_ROLES
    ):
        raise PermissionDenied()
    organ = access.user_commission(user)
    if organ is None:
        raise PermissionDenied()
    return organ


def vetting_list_for_user(*, user: Any) -> QuerySet[VettingRequest]:
    """The requests answered by the user's commission, for the roles that take part."""
    organ = _organ(user)
    return VettingRequest.objects.filter(organ=organ).select_related(
        "requested_by", "confirmed_by", "signed_by", "job"
    )


def vetting_get_for_user(*, request_id: int | str, user: Any) -> VettingRequest:
    try:
        pk = int(request_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    found = vetting_list_for_user(user=user).filter(pk=pk).defer("content").first()
    if found is None:
        raise NotFound()
    return found


def open_case_parties(person_ids: Iterable[int]) -> list[CaseParty]:
    """Parties of cases still open about these people: a clue or case without a decision for
    them, not rejected or closed (one query per CHUNK people)."""
    found: list[CaseParty] = []
    for ids in chunks(sorted(set(person_ids))):
        found.extend(
            CaseParty.objects.filter(person_id__in=ids, decision__isnull=True)
            .exclude(case__state__in=wf.TERMINAL_STATES)
            .select_related("case")
            .order_by("person_id", "case__received_on", "id")
        )
    return found
