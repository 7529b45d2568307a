"""The one skeleton every workflow action shares: lock the case, authorise, record."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from accountability.audit.services import audit_log
from accountability.cases import access
from accountability.cases import workflow as wf
from accountability.cases.models import (
    Case,
    CaseParty,
    Decision,
    TransitionLog,
)
from accountability.cases.services._common import _recusal_error
from accountability.cases.workflow import Action
from accountability.common.errors import PermissionDenied

WHAT_ACT = _("执行“{action}”")


def _lock(case: Case) -> Case:
    """The case row, locked until the transaction ends (serialises concurrent actions)."""
    return Case.objects.select_for_update().get(pk=case.pk)


def _authorise(
    case: Case, actor: Any, action: Action, *, extra_roles: Iterable[str] = ()
) -> wf.Transition:
    """The transition, if ``actor`` may take ``action`` on ``case`` now.

    Someone concerned by the case or with a recorded conflict stands aside (回避) from every
    step of it, whatever their role.
    """
    error = _recusal_error(
        case, actor, what=WHAT_ACT.format(action=Action(action).label), field=None
    )
    if error is not None:
        raise PermissionDenied(error.message, code="recusal")
    roles = access.case_roles(case=case, user=actor) | frozenset(str(r) for r in extra_roles)
    return wf.check(case.state, action, roles)


def _finish(
    case: Case,
    transition: wf.Transition,
    actor: Any,
    *,
    party: CaseParty | None = None,
    reason: str = "",
    complete: bool = True,
    target: Any = None,
    audit_action: str = "transition",
    changes: Mapping[str, Any] | None = None,
    case_fields: Sequence[str] = (),
    request: Any = None,
) -> TransitionLog:
    """Apply the transition's state change (when complete), log it and audit it."""
    from_state = case.state
    to_state = wf.target_of(from_state, transition.action, complete=complete)
    fields = list(case_fields)
    if to_state != from_state:
        case.state = to_state
        fields.append("state")
    if fields:
        case.save(update_fields=[*dict.fromkeys(fields), "updated_at"])
    entry = TransitionLog.objects.create(
        case=case,
        party=party,
        action=transition.action,
        from_state=from_state,
        to_state=to_state,
        actor=actor,
        reason=reason,
    )
    audit_changes: dict[str, Any] = {"case": case.number, "action": str(transition.action)}
    if party is not None:
        audit_changes["party"] = party.person.name
    if to_state != from_state:
        audit_changes["state"] = [str(from_state), str(to_state)]
    audit_changes.update(changes or {})
    audit_log(
        actor=actor,
        action=audit_action if to_state == from_state else "transition",
        target=target if target is not None else case,
        changes=audit_changes,
        request=request,
        detail=reason,
    )
    return entry


def _sync(original: Case, locked: Case) -> None:
    """Bring the caller's instance up to date with the locked copy that was changed."""
    if original is not locked:
        original.refresh_from_db()


def _lock_decision(decision: Decision) -> tuple[Case, Decision]:
    case = _lock(decision.party.case)
    locked = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("party__person", "current_version")
        .get(pk=decision.pk)
    )
    return case, locked
