"""Reads of the register and of vetting, with the permission check inside the fetch.

    kinds_barring(bar) -> tuple[str, ...]                      (rulebook kinds + legacy words)
    running_restrictions(*, person_ids, on) -> QuerySet[Restriction]
    barred_on(*, on, bar="promotion") -> QuerySet[Restriction]  (everyone barred on a day)
    barred_list_for_user(*, user, on, bar="promotion") -> QuerySet[Restriction]  (the page)
    person_record_for_user(*, person, user, today=None) -> PersonRecord | None
    vetting_list_for_user(*, user) -> QuerySet[VettingRequest]
    vetting_get_for_user(*, request_id, user) -> VettingRequest (NotFound)

Sets of people go to the database as one parameter each (``in_set``). Every query of the
register reads live rows (``superseded_by IS NULL``) through the partial
indexes named in models.Restriction.Meta; none runs once per person.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import Exists, Lookup, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

import rulebook
from accountability.cases import access
from accountability.cases import selectors as case_selectors
from accountability.cases import workflow as wf
from accountability.cases.models import CaseParty, Decision, Outcome
from accountability.common.errors import NotFound, PermissionDenied
from accountability.people.models import Person
from accountability.vetting.models import LIVE, Restriction, VettingRequest
from accountability.vetting.permissions import VETTING_ROLES
from accountability.vetting.register import LEGACY_BARS


class AnyOf(Lookup):
    """``field = ANY(%s)``: a PostgreSQL array as ONE parameter (registered on the fields the
    vetting queries filter by a set, below)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*lhs_params, list(self.rhs)]


for _field in (
    Person._meta.get_field("id_number"),
    Person._meta.get_field("name"),
    Restriction._meta.get_field("person"),
    CaseParty._meta.get_field("person"),
):
    _field.register_lookup(AnyOf)


def in_set(field: str, values: Iterable[Any]) -> Q:
    """``field`` in ``values``, the set sent as ONE parameter: ``= ANY(array)`` on PostgreSQL
    (the planner still uses the field's index), ``IN (SELECT value FROM json_each(...))`` on
    SQLite. A list of 5,000 names is then one short statement per set, not 5,000 parameters
    for Django to build and the database to parse (SQLite allows 32,766 in a statement).
    """
    values = list(values)
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__any_of": values})
    if connection.vendor == "sqlite":
        rhs = RawSQL("SELECT value FROM json_each(%s)", (json.dumps(values, ensure_ascii=False),))
        return Q(**{f"{field}__in": rhs})
    return Q(**{f"{field}__in": values})


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


#: What a vetting answer shows of a running restriction (values, not model instances: a list of
#: 5,000 names reads no stored assessment and builds no Case).
RUNNING_FIELDS = (
    "person_id",
    "kind",
    "label",
    "measure",
    "start",
    "until",
    "bars_promotion",
    "bars_award",
    "decision_id",
    "decision__decided_on",
    "decision__document_number",
    "decision__party__case__number",
)


def running_restrictions(*, person_ids: Iterable[int], on: date) -> list[dict[str, Any]]:
    """The live restrictions of these people running on ``on`` (vetting_live_person_until)."""
    return list(
        Restriction.objects.filter(
            LIVE, in_set("person", set(person_ids)), until__gte=on, start__lte=on
        )
        .order_by("person_id", "until", "id")
        .values(*RUNNING_FIELDS)
    )


def barred_on(*, on: date, bar: str = "promotion") -> QuerySet[Restriction]:
    """Everyone barred from a promotion (or an award) on ``on``: one query over the register
    (index vetting_live_kind_period)."""
    # The kinds select through the index; the row's own flag (copied from the stored
    # assessment's ``bars``) is checked again, so this agrees with running_restrictions.
    flag = "bars_promotion" if bar == "promotion" else "bars_award"
    return Restriction.objects.filter(
        LIVE, kind__in=kinds_barring(bar), until__gte=on, start__lte=on, **{flag: True}
    ).order_by()


def barred_list_for_user(*, user: Any, on: date, bar: str = "promotion") -> QuerySet[Restriction]:
    """Everyone barred on ``on`` in the cases ``user`` may see (cases.selectors), for the
    vetting roles; a person barred by several restrictions appears once per restriction."""
    _organ(user)
    visible = case_selectors.case_list_for_user(user=user)
    return (
        barred_on(on=on, bar=bar)
        .filter(decision__party__case__in=visible.values("pk"))
        .select_related("person__unit", "decision__party__case")
        .order_by("person__name", "person_id", "until", "id")
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


def open_case_parties(person_ids: Iterable[int]) -> list[dict[str, Any]]:
    """Cases still open about these people: a clue or case without a decision for them, not
    rejected or closed (one query; values: person_id, case number, state,
    received_on)."""
    return list(
        # NOT EXISTS (an anti-join on the decision's unique party_id), not a LEFT JOIN that
        # reads every decision.
        CaseParty.objects.filter(
            in_set("person", set(person_ids)),
            ~Exists(Decision.objects.filter(party_id=OuterRef("pk"))),
        )
        .exclude(case__state__in=wf.TERMINAL_STATES)
        .order_by("person_id", "case__received_on", "id")
        .values("person_id", "case__number", "case__state", "case__received_on")
    )


def accountability_decisions(person_ids: Iterable[int]) -> list[dict[str, Any]]:
    """The decisions holding these people accountable (current version 追究), oldest first."""
    return list(
        Decision.objects.filter(
            in_set("party__person", set(person_ids)), current_version__outcome=Outcome.PURSUE
        )
        .order_by("decided_on", "id")
        .values(
            "party__person_id",
            "party__case__number",
            "decided_on",
            "document_number",
            "current_version__measures",
        )
    )
