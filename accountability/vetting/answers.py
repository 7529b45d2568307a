"""Matching a list of names to the registry, and the answer for each (batch by sets).

``match_rows(rows)`` finds each row's person: by 工号 when the row gives one, else by name and
unit. A row is matched only when the registry leaves no doubt; otherwise it is AMBIGUOUS with
its candidates shown for a person to choose (never guessed):

* a 工号 found, with the same name (or no name): that person (ID_NUMBER);
* a 工号 found under another name, or a 工号 not found while people of that name exist:
  ambiguous, with those people as candidates;
* no 工号, a name and a unit (its code or exact name) naming one person: that person
  (NAME_UNIT); several, or the name only in other units, or no unit given: ambiguous;
* nobody of that number or name: NOT_FOUND (the system holds nothing about them).

``answer_people(person_ids, on, purpose)`` answers for every matched person at once from what
the system holds on the date of the intended promotion or award:

* 不同意 (DISAGREE): a restriction of the register running on that date whose kind bars it
  (which, until when, by what decision);
* 建议暂缓 (POSTPONE): otherwise, a clue or case about them still open (named);
* 无不良反映 (CLEAR): otherwise. Earlier decisions are listed with the answer either way.

Both run a fixed number of queries, each set of people sent as one parameter
(selectors.in_set): three for matching, three for answering, however long the list.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext

from accountability.common.i18n import join_list
from accountability.people.models import Organisation, Person
from accountability.vetting.models import VettingEntry
from accountability.vetting.selectors import (
    accountability_decisions,
    in_set,
    open_case_parties,
    running_restrictions,
)

Match = VettingEntry.Match
Answer = VettingEntry.Answer


@dataclass(frozen=True)
class ListRow:
    row: int
    name: str
    id_number: str = ""
    unit: str = ""


@dataclass
class Matched:
    row: ListRow
    match: str
    person_id: int | None = None
    candidates: list[dict[str, Any]] = field(default_factory=list)


#: What matching reads of a person (values, not model instances: a list of 5,000 names).
PERSON_FIELDS = ("pk", "name", "id_number", "unit_id", "unit__name")


def candidate(person: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": person["pk"],
        "name": person["name"],
        "id_number": person["id_number"],
        "unit": person["unit__name"] or "",
    }


def _units(value: str, orgs: Sequence[tuple[int, str, str]]) -> set[int] | None:
    """The organisations a unit cell names (by code, else by exact name); None if not given."""
    value = value.strip()
    if not value:
        return None
    by_code = {pk for pk, code, _name in orgs if code == value}
    return by_code or {pk for pk, _code, name in orgs if name == value}


def match_rows(rows: Sequence[ListRow]) -> list[Matched]:
    """Each row's person, or its candidates (see the module's rules)."""
    numbers = {r.id_number for r in rows if r.id_number}
    by_number: dict[str, dict[str, Any]] = {}
    if numbers:
        for person in Person.objects.filter(in_set("id_number", numbers)).values(*PERSON_FIELDS):
            by_number[person["id_number"]] = person
    names = {r.name for r in rows if r.name and r.id_number not in by_number}
    by_name: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if names:
        for person in (
            Person.objects.filter(in_set("name", names))
            .order_by("id_number")
            .values(*PERSON_FIELDS)
        ):
            by_name[person["name"]].append(person)
    orgs: list[tuple[int, str, str]] = []
    if any(r.unit and not r.id_number for r in rows):
        orgs = list(Organisation.objects.values_list("pk", "code", "name"))
    result = []
    for row in rows:
        found = by_number.get(row.id_number) if row.id_number else None
        if found is not None:
            if not row.name or row.name == found["name"]:
                result.append(Matched(row, Match.ID_NUMBER, person_id=found["pk"]))
            else:
                result.append(Matched(row, Match.AMBIGUOUS, candidates=[candidate(found)]))
            continue
        named = by_name.get(row.name, [])
        units = None if row.id_number else _units(row.unit, orgs)
        if units is not None:
            here = [p for p in named if p["unit_id"] in units]
            if len(here) == 1:
                result.append(Matched(row, Match.NAME_UNIT, person_id=here[0]["pk"]))
                continue
            named = here or named
        if named:
            result.append(Matched(row, Match.AMBIGUOUS, candidates=[candidate(p) for p in named]))
        else:
            result.append(Matched(row, Match.NOT_FOUND))
    return result


def answer_people(
    person_ids: Iterable[int], *, on: date, purpose: str
) -> dict[int, tuple[str, list[dict[str, Any]]]]:
    """{person id: (answer, findings)} for every person, from the register and the cases."""
    ids = sorted(set(person_ids))
    findings: dict[int, list[dict[str, Any]]] = {pk: [] for pk in ids}
    barred: set[int] = set()
    bar = "bars_promotion" if purpose == "promotion" else "bars_award"
    for r in running_restrictions(person_ids=ids, on=on):
        if not r[bar]:
            continue
        barred.add(r["person_id"])
        findings[r["person_id"]].append(
            {
                "type": "restriction",
                "kind": r["kind"],
                "label": r["label"],
                "measure": r["measure"],
                "start": r["start"].isoformat(),
                "until": r["until"].isoformat(),
                "decision": r["decision_id"],
                "decided_on": r["decision__decided_on"].isoformat(),
                "document_number": r["decision__document_number"],
                "case": r["decision__party__case__number"],
            }
        )
    pending: set[int] = set()
    for party in open_case_parties(ids):
        pending.add(party["person_id"])
        findings[party["person_id"]].append(
            {
                "type": "open_case",
                "case": party["case__number"],
                "state": party["case__state"],
                "received_on": party["case__received_on"].isoformat(),
            }
        )
    for decision in accountability_decisions(ids):
        findings[decision["party__person_id"]].append(
            {
                "type": "decision",
                "case": decision["party__case__number"],
                "decided_on": decision["decided_on"].isoformat(),
                "measures": list(decision["current_version__measures"] or []),
                "document_number": decision["document_number"],
            }
        )
    answers = {}
    for pk in ids:
        if pk in barred:
            answer = Answer.DISAGREE
        elif pk in pending:
            answer = Answer.POSTPONE
        else:
            answer = Answer.CLEAR
        answers[pk] = (str(answer), findings[pk])
    return answers


def finding_text(finding: dict[str, Any]) -> str:
    """One finding as a sentence of the reply (in the interface language)."""
    kind = finding.get("type")
    if kind == "restriction":
        return gettext("{label}，至 {until}（案件 {case}，{decided_on} 决定：{measure}）").format(
            label=finding.get("label", ""),
            until=finding.get("until", ""),
            case=finding.get("case", ""),
            decided_on=finding.get("decided_on", ""),
            measure=finding.get("measure", ""),
        )
    if kind == "open_case":
        return gettext("问题线索或案件 {case} 尚未办结（{received_on} 收到）").format(
            case=finding.get("case", ""), received_on=finding.get("received_on", "")
        )
    if kind == "decision":
        return gettext("{decided_on} 受到责任追究（案件 {case}：{measures}）").format(
            decided_on=finding.get("decided_on", ""),
            case=finding.get("case", ""),
            measures=join_list(finding.get("measures") or []),
        )
    return ""
