"""Writing the restrictions register from decision versions.

``register_version(version)`` runs inside the transaction that creates the version (the
``post_save`` receiver in signals.py): the live rows of the version's decision are closed
(``superseded_by`` = this version, ``ended_on`` = the day it takes effect, ``ended_reason``), and
a version that holds the person accountable (追究) gets one row per restriction of its stored
assessment. A version that revokes the decision (撤销) or does not pursue (不予追究) writes none,
so it ends them. An upheld review writes the same restrictions again under its own version.

The rows copy the rulebook's result stored with the version (kind, label, bars, start, until,
measure, basis, certainty): nothing is recomputed. An assessment stored before December 2026
has only ``kind`` (a Chinese word) and ``until``: its rows start on the day of the decision and
bar what the word names (``LEGACY_BARS``).

``rebuild(decisions)`` replays every version of each decision in order (the backfill command
``accountability rebuild_register`` and the data migration); it accepts the historical models of
a migration.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

PURSUE = "追究"
SUPERSEDED, REVOKED = "superseded", "revoked"
PROMOTION, AWARD = "promotion", "award"

#: What the kinds of an assessment stored before the machine names bar.
LEGACY_BARS: Mapping[str, tuple[str, ...]] = {
    "提拔使用": (PROMOTION,),
    "担任领导职务": (PROMOTION,),
    "评优评先": (AWARD,),
}


def _day(value: Any, default: date) -> date:
    if isinstance(value, date):
        return value
    if value:
        return date.fromisoformat(str(value))
    return default


def restriction_values(version: Any, *, decided_on: date) -> list[dict[str, Any]]:
    """The register's fields for each restriction of ``version``'s stored assessment."""
    if version.outcome != PURSUE:
        return []
    assessment = version.assessment or {}
    values = []
    for item in assessment.get("restrictions") or []:
        if not item.get("until"):
            continue
        kind = str(item.get("kind", ""))[:64]
        bars = tuple(item.get("bars") or LEGACY_BARS.get(kind, ()))
        values.append(
            {
                "kind": kind,
                "label": str(item.get("label") or f"不得{kind}")[:200],
                "bars_promotion": PROMOTION in bars,
                "bars_award": AWARD in bars,
                "measure": str(item.get("measure", ""))[:32],
                "start": _day(item.get("start"), decided_on),
                "until": _day(item.get("until"), decided_on),
                "basis": str(item.get("basis", "")),
                "certainty": str(item.get("certainty", ""))[:1],
                "rulebook_version": str(
                    assessment.get("rulebook") or version.rulebook_version or ""
                )[:32],
            }
        )
    return values


def register_version(version: Any, *, restriction_model: Any = None) -> int:
    """Close the decision's live rows and write ``version``'s; the number of rows written."""
    if restriction_model is None:
        from accountability.vetting.models import Restriction as restriction_model
    decision = version.decision
    reason = SUPERSEDED if version.outcome == PURSUE else REVOKED
    restriction_model.objects.filter(decision_id=decision.pk, superseded_by__isnull=True).update(
        superseded_by=version, ended_on=version.effective_on, ended_reason=reason
    )
    person_id = decision.party.person_id
    rows = [
        restriction_model(person_id=person_id, decision_id=decision.pk, version=version, **values)
        for values in restriction_values(version, decided_on=decision.decided_on)
    ]
    restriction_model.objects.bulk_create(rows)
    return len(rows)


def rebuild(
    decisions: Iterable[Any],
    *,
    version_model: Any = None,
    restriction_model: Any = None,
) -> tuple[int, int]:
    """Replay the versions of ``decisions`` (a queryset) from scratch: (decisions, rows).

    The decisions' existing rows are deleted first, so that running it twice changes nothing.
    """
    if version_model is None:
        from accountability.cases.models import DecisionVersion as version_model
    if restriction_model is None:
        from accountability.vetting.models import Restriction as restriction_model
    count = rows = 0
    for decision in decisions.select_related("party").iterator(chunk_size=500):  # type: ignore[attr-defined]
        restriction_model.objects.filter(decision_id=decision.pk).delete()
        versions = version_model.objects.filter(decision_id=decision.pk).order_by("number")
        for version in versions:
            version.decision = decision
            rows += register_version(version, restriction_model=restriction_model)
        count += 1
    return count, rows
