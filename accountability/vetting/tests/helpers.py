"""Decisions for the vetting tests, walked through the real services (cases.tests.factories)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from accountability.cases import services
from accountability.cases.tests.factories import Flow, ago
from accountability.people.models import Person


def decided(
    personas: Any,
    person: Person,
    measures: Sequence[str] = ("诫勉",),
    *,
    severity: str = "较重",
    outcome: str = "追究",
    meeting_days_ago: int = 90,
) -> Flow:
    """A case about ``person`` decided ``meeting_days_ago`` days ago with ``measures``."""
    flow = Flow.register(personas, person).accept().investigate().facts({person: severity})
    chosen = (outcome, list(measures) if outcome == "追究" else [], "")
    if outcome != "追究":
        chosen = (outcome, [], "经审议，不予追究。")
    flow.hear().report({person: chosen})
    meeting = flow.meet(days_ago=meeting_days_ago)
    flow.decide(meeting, {person: chosen})
    return flow


def delivered(personas: Any, person: Person, measures: Sequence[str] = ("诫勉",)) -> Flow:
    """Decided, issued and delivered five days ago (the appeal period is running)."""
    flow = decided(personas, person, measures)
    flow.issue(days_ago=8)
    flow.deliver(days_ago=5)
    return flow


def review(personas: Any, flow: Flow, outcome: str, measures: Sequence[str] = ()) -> Any:
    decision = flow.decisions[0]
    appeal = services.appeal_register(
        decision=decision,
        actor=personas.case_officer,
        received_on=ago(1),
        content="认为情节认定过重，请求复查。",
    )
    return services.appeal_review_record(
        appeal=appeal,
        actor=personas.committee_secretary,
        reviewed_on=ago(0),
        outcome=outcome,
        measures=list(measures),
        reason="经复查，作出复查决定。",
    )
