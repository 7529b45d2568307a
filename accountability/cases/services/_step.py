"""The one skeleton every workflow action shares (STYLE.md 8).

    with step(case, actor, Action.CLUE_APPROVE, request=request) as s:
        ...validate, change s.case and its rows...
        s.record(reason=opinion, case_fields=["approval_opinion"])
    return s.case

``step`` locks the case row (concurrent actions on a case are serialised), makes sure the actor
does not have to stand aside (回避), asks the workflow table (cases/workflow.py) whether the
actor's roles on the case may take the action in its state, and checks the table's guards for
it (the checks are registered here with ``@guard``, next to the stage that states the rule).
The body validates its input and writes its rows. When it ends without raising, the step moves
the case to the table's target, unless the table names a ``completes_when`` condition that does
not hold yet (the per-person steps), writes the TransitionLog row and the audit entry, and
brings the caller's case instance up to date. A refusal in the body leaves nothing behind: the
service's transaction is rolled back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ParamSpec, TypeVar

from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accountability.accounts.models import User
from accountability.audit.refusals import audited_service
from accountability.audit.services import audit_log
from accountability.cases import access
from accountability.cases import workflow as wf
from accountability.cases.models import (
    ArchiveRecord,
    Case,
    CaseParty,
    CityFiling,
    Decision,
    Delivery,
    Evidence,
    Hearing,
    TransitionLog,
)
from accountability.cases.services._common import _recusal_error, _today
from accountability.cases.workflow import Action
from accountability.common.errors import PermissionDenied

WHAT_ACT = _("执行“{action}”")

P = ParamSpec("P")
R = TypeVar("R")


def case_of(arguments: Mapping[str, Any]) -> Case | None:
    """The case a service's arguments are about (its ``case``, or the case of its party,
    hearing, evidence item, delivery, decision, appeal or rectification)."""
    if arguments.get("case") is not None:
        return arguments["case"]  # type: ignore[no-any-return]
    if arguments.get("party") is not None:
        return arguments["party"].case  # type: ignore[no-any-return]
    if isinstance(arguments.get("hearing"), Hearing):
        return arguments["hearing"].party.case  # type: ignore[no-any-return]
    if isinstance(arguments.get("evidence"), Evidence):  # (a rectification's is a text)
        return arguments["evidence"].case  # type: ignore[no-any-return]
    decision = arguments.get("decision")
    if isinstance(arguments.get("delivery"), Delivery):
        decision = arguments["delivery"].decision
    for name in ("appeal", "rectification"):
        if arguments.get(name) is not None:
            decision = arguments[name].decision
    return None if decision is None else decision.party.case


def service(action: Action) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """A workflow service: one transaction, and its refusals audited on the case after the
    rollback (accountability.audit.refusals), as the pages did before any service ran."""
    return audited_service(str(action), target=case_of)


#: A guard's check: raises the refusal (DomainError) when the case does not meet it.
GuardCheck = Callable[[Case, wf.Transition], None]
_GUARDS: dict[wf.Guard, GuardCheck] = {}


def guard(name: wf.Guard) -> Callable[[GuardCheck], GuardCheck]:
    """Register the check of the table's guard ``name`` (one check per guard)."""

    def register(check: GuardCheck) -> GuardCheck:
        if name in _GUARDS:
            raise RuntimeError(f"guard {name} is checked twice")
        _GUARDS[name] = check
        return check

    return register


def _every_party_decided(case: Case) -> bool:
    return not case.parties.filter(decision__isnull=True).exists()


def _every_decision_issued(case: Case) -> bool:
    return not Decision.objects.filter(party__case=case, issued_on__isnull=True).exists()


def _every_decision_delivered(case: Case) -> bool:
    """Every decision delivered both to the person and to their unit."""
    total = Decision.objects.filter(party__case=case).count()
    active = Delivery.objects.filter(withdrawn_at__isnull=True)
    done = (
        Decision.objects.filter(party__case=case)
        .filter(pk__in=active.filter(recipient=Delivery.Recipient.PERSON).values("decision"))
        .filter(pk__in=active.filter(recipient=Delivery.Recipient.UNIT).values("decision"))
        .count()
    )
    return total == done


def _archived_and_filed(case: Case) -> bool:
    """Art 13(4) 同时: archived and filed with the city, in either order."""
    return (
        ArchiveRecord.objects.filter(case=case).exists()
        and CityFiling.objects.filter(case=case).exists()
    )


#: The table's ``completes_when`` conditions (checked after the step's rows are written).
COMPLETIONS: dict[str, Callable[[Case], bool]] = {
    "every_party_decided": _every_party_decided,
    "every_decision_issued": _every_decision_issued,
    "every_decision_delivered": _every_decision_delivered,
    "archived_and_filed": _archived_and_filed,
}


def check_table() -> None:
    """Every guard and completion the table names has its check (run when the package loads)."""
    for transition in wf.TRANSITIONS:
        missing = [str(g) for g in transition.guards if g not in _GUARDS]
        if transition.completes_when and transition.completes_when not in COMPLETIONS:
            missing.append(transition.completes_when)
        if missing:
            raise RuntimeError(f"{transition.action}: no check for {missing}")


def lock(case: Case) -> Case:
    """The case row, locked until the transaction ends (serialises concurrent actions)."""
    return Case.objects.select_for_update().get(pk=case.pk)


def lock_decision(decision: Decision) -> Decision:
    """The decision row (the case is locked first, by the step), with what the services read."""
    return (
        Decision.objects.select_for_update(of=("self",))
        .select_related("party__person", "current_version")
        .get(pk=decision.pk)
    )


def authorise(
    case: Case, actor: User, action: Action, *, extra_roles: Iterable[str] = ()
) -> wf.Transition:
    """The transition, if ``actor`` may take ``action`` on ``case`` now (roles and guards).

    Someone concerned by the case or with a recorded conflict stands aside (回避) from every
    step of it, whatever their role.
    """
    error = _recusal_error(
        case, actor, what=WHAT_ACT.format(action=Action(action).label), field=None
    )
    if error is not None:
        raise PermissionDenied(error.message, code="recusal")
    roles = access.case_roles(case=case, user=actor) | frozenset(str(r) for r in extra_roles)
    transition = wf.check(case.state, action, roles)
    for name in transition.guards:
        _GUARDS[name](case, transition)
    return transition


@dataclass
class Step:
    """One action in progress on the locked ``case``; ``record`` says what to log."""

    case: Case
    transition: wf.Transition
    actor: User
    request: HttpRequest | None
    party: CaseParty | None = None
    reason: str = ""
    target: models.Model | None = None
    audit_action: str = "transition"
    changes: dict[str, Any] = field(default_factory=dict)
    case_fields: list[str] = field(default_factory=list)
    on: date | None = None

    @property
    def label(self) -> str:
        return self.transition.label

    def record(
        self,
        *,
        party: CaseParty | None = None,
        reason: str = "",
        target: models.Model | None = None,
        audit_action: str = "transition",
        changes: dict[str, Any] | None = None,
        case_fields: Iterable[str] = (),
        on: date | None = None,
    ) -> None:
        """What the log and the audit entry say: the person, the reason, the row, the changes.

        ``case_fields`` are the fields of ``case`` the body changed (saved with the state);
        ``on`` is the day the step happened (today when not given), kept in the log.
        """
        self.on = on
        self.party = party
        self.reason = reason
        self.target = target
        self.audit_action = audit_action
        self.changes = dict(changes or {})
        self.case_fields = list(case_fields)

    def finish(self) -> TransitionLog:
        """Apply the state change (when complete), log it and audit it."""
        case, transition = self.case, self.transition
        complete = (
            COMPLETIONS[transition.completes_when](case) if transition.completes_when else True
        )
        from_state = case.state
        to_state = wf.target_of(from_state, transition.action, complete=complete)
        fields = list(self.case_fields)
        if to_state != from_state:
            case.state = to_state
            fields.append("state")
        if fields:
            case.save(update_fields=[*dict.fromkeys(fields), "updated_at"])
        entry = TransitionLog.objects.create(
            case=case,
            party=self.party,
            action=transition.action,
            from_state=from_state,
            to_state=to_state,
            actor=self.actor,
            reason=self.reason,
            occurred_on=self.on or _today(),
        )
        audit_changes: dict[str, Any] = {"case": case.number, "action": str(transition.action)}
        if self.party is not None:
            audit_changes["party"] = self.party.person.name
        if to_state != from_state:
            audit_changes["state"] = [str(from_state), str(to_state)]
        audit_changes.update(self.changes)
        audit_log(
            actor=self.actor,
            action=self.audit_action if to_state == from_state else "transition",
            target=self.target if self.target is not None else case,
            changes=audit_changes,
            request=self.request,
            detail=self.reason,
        )
        return entry


@contextmanager
def step(
    case: Case,
    actor: User,
    action: Action,
    *,
    request: HttpRequest | None = None,
    extra_roles: Callable[[Case], Iterable[str]] | None = None,
) -> Iterator[Step]:
    """Lock ``case``, authorise ``actor`` for ``action``, run the body, then record it.

    ``extra_roles``, given the locked case, returns roles the actor holds on it beyond their
    roles in the handling commission (the city office taking over or reviewing, Art 11, 16);
    it may refuse by raising. ``case`` is the caller's instance: it is refreshed at the end.
    """
    locked = lock(case)
    extra = extra_roles(locked) if extra_roles is not None else ()
    current = Step(
        case=locked,
        transition=authorise(locked, actor, action, extra_roles=extra),
        actor=actor,
        request=request,
    )
    yield current
    current.finish()
    if case is not locked:
        case.refresh_from_db()
