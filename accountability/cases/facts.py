"""The bridge between case rows and the rulebook: rows in, rulebook input dicts out.

Only this module translates ORM rows into rulebook facts (STYLE.md 1). Every assessment
stored on a report finding or a decision version keeps its inputs, the rulebook version id and
the explanation, so that it can be re-run and compared on appeal (``reassess``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import rulebook
from accountability.assessment.current import current_rulebook, version_in_force
from accountability.cases.models import CaseParty, Decision, DecisionVersion, Outcome
from accountability.common.errors import DomainError
from accountability.common.i18n import label_separator

RECTIFICATION_MEASURE = "责令限期整改"


def earlier_decision_dates(party: CaseParty, *, before: date) -> list[str]:
    """This person's accountability decisions in other cases, on or before ``before``.

    A decision counts while its current version holds the person accountable (追究); one
    revoked on appeal no longer counts (Art 15(1)).
    """
    rows = (
        Decision.objects.filter(
            party__person_id=party.person_id,
            current_version__outcome=Outcome.PURSUE,
            decided_on__lte=before,
        )
        .exclude(party_id=party.pk)
        .values_list("decided_on", flat=True)
    )
    return sorted({d.isoformat() for d in rows})


def party_inputs(
    party: CaseParty,
    *,
    decided_on: date,
    imposed: Iterable[str] | None = None,
    received_on: date | None = None,
) -> dict[str, Any]:
    """The rulebook input dict for ``party``'s recorded facts."""
    data: dict[str, Any] = {
        "role": party.role,
        "circumstance": party.circumstance,
        "conditions": list(party.conditions or []),
        "severity": party.severity,
        "violates_discipline": bool(party.violates_discipline),
        "lighter": list(party.lighter or []),
        "heavier": list(party.heavier or []),
        "earlier_decisions": earlier_decision_dates(party, before=decided_on),
        "decided_on": decided_on.isoformat(),
    }
    if party.occurred_on:
        data["occurred_on"] = party.occurred_on.isoformat()
    if imposed is not None:
        data["imposed"] = list(imposed)
    if received_on is not None:
        data["received_on"] = received_on.isoformat()
    return data


def assess(inputs: Mapping[str, Any], *, name: str = "") -> dict[str, Any]:
    """The rulebook's assessment of ``inputs``; a RulebookError becomes a DomainError.

    Assessed with the application's rulebook (the holiday years entered in the database
    count, as on the 测算 page).

    ``name`` (the person's name) is put before the message so that a refusal in a
    several-person case says whose facts are at fault.
    """
    try:
        return rulebook.assess_dict(dict(inputs), rulebook=current_rulebook())
    except rulebook.RulebookError as err:
        message = f"{name}{label_separator()}{err.message}" if name else err.message
        raise DomainError(message, field=err.field, code="rulebook") from err


def measure_names(on: date) -> tuple[str, ...]:
    try:
        return tuple(version_in_force(on).measure_names)
    except rulebook.RulebookError as err:
        raise DomainError(err.message, field=err.field, code="rulebook") from err


def open_measures(assessment: Mapping[str, Any]) -> list[str]:
    """The measures the assessment opens: its tier's, plus the tier below's with 减轻."""
    opened = list(assessment.get("measures", []))
    for name in assessment.get("reduced_measures", []) or []:
        if name not in opened:
            opened.append(name)
    return opened


def departs(assessment: Mapping[str, Any], *, pursue: bool, measures: Iterable[str]) -> bool:
    """Whether a recommendation or decision departs from the rulebook's assessment.

    Not pursuing departs (the rulebook always opens measures once a circumstance is found);
    pursuing departs when a chosen measure is outside the opened measures.
    """
    if not pursue:
        return True
    return not set(measures) <= set(open_measures(assessment))


def reassess(version: DecisionVersion) -> dict[str, Any]:
    """Re-run a stored assessment with the rulebook as it is now (for comparison on appeal)."""
    return assess(version.inputs)
