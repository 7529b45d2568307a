"""What the case views share: fetching through the selectors, refusals as HTTP, and display.

A refusal from the domain becomes an HTTP answer in one place: NotFound → 404,
PermissionDenied → 403 (with its Chinese message), any other DomainError → the form field it
names or a message on the page. Nothing here writes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied as HttpPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse

import rulebook
from accountability.cases import selectors
from accountability.cases import workflow as wf
from accountability.cases.models import Case
from accountability.common.errors import DomainError, NotFound, PermissionDenied

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


def as_http(error: DomainError) -> Exception:
    """The HTTP exception for a refusal that has no form to go back to."""
    if isinstance(error, NotFound):
        return Http404(error.message)
    if isinstance(error, PermissionDenied):
        return HttpPermissionDenied(error.message)
    return HttpPermissionDenied(error.message)


def get_case(request: HttpRequest, pk: int) -> Case:
    """The case through ``case_get_for_user``: 404 when hidden, 403 for administrators."""
    try:
        return selectors.case_get_for_user(case_id=pk, user=request.user)
    except DomainError as error:
        raise as_http(error) from error


def domain_http(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Turn a NotFound/PermissionDenied escaping ``view`` into 404/403 (never a 500)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except (NotFound, PermissionDenied) as error:
            raise as_http(error) from error

    return wrapped


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
