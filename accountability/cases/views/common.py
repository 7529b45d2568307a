"""What the case views share: fetching through the selectors, and display.

A refusal from the domain becomes an HTTP answer in one place, the DomainErrorMiddleware
(common/middleware.py): NotFound → 404, PermissionDenied → 403 (audited, with its Chinese
message). The views only put the other DomainErrors back on their form (the field it names,
or above the form). Nothing here writes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

import rulebook
from accountability.cases import selectors
from accountability.cases import workflow as wf
from accountability.cases.models import Case

STATE_TONES: dict[str, str] = {
    wf.State.CLUE_REGISTERED: "info",
    wf.State.ACCEPTED: "primary",
    wf.State.REJECTED: "neutral",
    wf.State.INVESTIGATING: "warning",
    wf.State.REPORTED: "primary",
    wf.State.DECIDED: "danger",
    wf.State.ISSUED: "danger",
    wf.State.DELIVERED: "warning",
    wf.State.FILED: "success",
    wf.State.CLOSED: "neutral",
}

DECISION_TONES: dict[str, str] = {
    "awaiting_issue": "info",
    "awaiting_delivery": "info",
    "appeal_period": "warning",
    "appealing": "danger",
    "final": "success",
    "revoked": "neutral",
}


def state_tone(state: str) -> str:
    return STATE_TONES.get(str(state), "neutral")


def get_case(request: HttpRequest, pk: int) -> Case:
    """The case through ``case_get_for_user``: NotFound (404) when hidden, PermissionDenied
    (403) for administrators; the middleware answers both (common.middleware)."""
    return selectors.case_get_for_user(case_id=pk, user=request.user)


def url_or_empty(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


# ---------------------------------------------------------------------------------------------
# The rulebook's assessment, ready for a template


@dataclass(frozen=True)
class Citation:
    ref: str
    text: str
    url: str


def citations(refs: Iterable[str]) -> list[Citation]:
    """Each cited article or item with its text (rulebook.regulation) and a link to it."""
    regulation_url = url_or_empty("assessment:regulation")
    found: list[Citation] = []
    for ref in dict.fromkeys(refs):
        if not rulebook.regulation.exists(ref):
            continue
        anchor = rulebook.regulation.anchor(ref)
        found.append(
            Citation(
                ref=ref,
                text=rulebook.regulation.quote(ref),
                url=f"{regulation_url}#{anchor}" if regulation_url else "",
            )
        )
    with contextlib.suppress(KeyError):
        found.sort(key=lambda c: rulebook.regulation.sort_key(c.ref))
    return found


@dataclass(frozen=True)
class AssessmentView:
    source: str  # where it comes from: the decision, the report, or today's facts
    result: Mapping[str, Any]
    citations: list[Citation]

    @property
    def tier(self) -> str:
        return str(self.result.get("tier", ""))

    @property
    def measures(self) -> list[str]:
        return list(self.result.get("measures") or [])

    @property
    def reduced_measures(self) -> list[str]:
        return list(self.result.get("reduced_measures") or [])

    @property
    def explanation(self) -> list[str]:
        return list(self.result.get("explanation") or [])

    @property
    def interpretations(self) -> list[Mapping[str, Any]]:
        return list(self.result.get("interpretations") or [])

    @property
    def warnings(self) -> list[str]:
        return list(self.result.get("warnings") or [])

    @property
    def restrictions(self) -> list[Mapping[str, Any]]:
        return list(self.result.get("restrictions") or [])

    @property
    def version(self) -> str:
        return str(self.result.get("rulebook", ""))


def assessment_view(result: Mapping[str, Any] | None, source: str) -> AssessmentView | None:
    if not result:
        return None
    return AssessmentView(
        source=source, result=result, citations=citations(result.get("citations") or [])
    )
