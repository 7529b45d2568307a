"""第十条 责令限期整改 (its completion) and 办结 (closing the case once Art 13 and 16 are done)."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accountability.accounts.models import User
from accountability.cases import workflow as wf
from accountability.cases.models import (
    Appeal,
    ArchiveRecord,
    Case,
    CityFiling,
    Decision,
    Outcome,
    Rectification,
)
from accountability.cases.rules import decision_is_final
from accountability.cases.services._common import _day, _text, _today
from accountability.cases.services._step import guard, lock_decision, service, step
from accountability.cases.workflow import Action, Guard
from accountability.common.errors import DomainError

MSG_RECTIFICATION_CLOSED = _("该整改事项已{status}，不能再次记录。")
MSG_RECTIFICATION_DONE = _("完成")
MSG_RECTIFICATION_CANCELLED = _("撤销")
MSG_CLOSE_APPEAL_PENDING = _("{name}的申诉尚待复查，不能办结。")
MSG_CLOSE_NOT_FINAL = _("{name}的决定尚未生效（申诉期限至{deadline}届满），不能办结。")
MSG_CLOSE_NOT_DELIVERED = _("{name}的决定尚未送达本人，不能办结。")
MSG_CLOSE_RECTIFICATION = _("{name}的责令限期整改尚未完成（整改期限{deadline}），不能办结。")


@service(Action.RECTIFICATION_COMPLETE)
def rectification_complete(
    *,
    rectification: Rectification,
    actor: User,
    completed_on: date,
    evidence: str,
    request: HttpRequest | None = None,
) -> Rectification:
    """Record that a rectification was completed, with the evidence of it."""
    with step(
        rectification.decision.party.case, actor, Action.RECTIFICATION_COMPLETE, request=request
    ) as s:
        decision = lock_decision(rectification.decision)
        row = Rectification.objects.select_for_update().get(pk=rectification.pk)
        if not row.is_open:
            status = MSG_RECTIFICATION_DONE if row.completed_on else MSG_RECTIFICATION_CANCELLED
            raise DomainError(
                MSG_RECTIFICATION_CLOSED.format(status=status),
                field="rectification",
                code="closed",
            )
        evidence = _text(evidence, field="evidence", label=gettext("整改情况及佐证"))
        completed_on = _day(
            completed_on,
            field="completed_on",
            label=gettext("完成日期"),
            not_before=decision.decided_on,
            not_before_label=gettext("决定日期"),
        )
        row.completed_on = completed_on
        row.evidence = evidence
        row.completed_by = actor
        row.save(update_fields=["completed_on", "evidence", "completed_by"])
        s.record(
            party=decision.party,
            target=row,
            audit_action="update",
            reason=evidence,
            changes={
                "completed_on": completed_on,
                "deadline": row.deadline,
                "overdue": completed_on > row.deadline,
            },
        )
    rectification.refresh_from_db()
    return row


@guard(Guard.DECISIONS_FINAL)
def _decisions_final(case: Case, transition: wf.Transition) -> None:
    """Every decision final (生效) or revoked: no appeal pending, the appeal period over."""
    today = _today()
    for decision in _decisions(case):
        name = decision.party.person.name
        if decision.outcome == Outcome.REVOKED:
            continue
        if decision.appeals.filter(status=Appeal.Status.PENDING).exists():
            raise DomainError(
                MSG_CLOSE_APPEAL_PENDING.format(name=name), field="state", code="appeal_pending"
            )
        if not decision_is_final(decision=decision, today=today):
            if decision.appeal_deadline is None:
                raise DomainError(
                    MSG_CLOSE_NOT_DELIVERED.format(name=name), field="state", code="not_final"
                )
            raise DomainError(
                MSG_CLOSE_NOT_FINAL.format(
                    name=name, deadline=decision.appeal_deadline.isoformat()
                ),
                field="state",
                code="not_final",
            )


@guard(Guard.RECTIFICATIONS_DONE)
def _rectifications_done(case: Case, transition: wf.Transition) -> None:
    """Every rectification ordered (责令限期整改) completed, unless cancelled on review."""
    for decision in _decisions(case):
        if decision.outcome == Outcome.REVOKED:
            continue
        open_row = decision.rectifications.filter(
            completed_on__isnull=True, cancelled_on__isnull=True
        ).first()
        if open_row is not None:
            raise DomainError(
                MSG_CLOSE_RECTIFICATION.format(
                    name=decision.party.person.name, deadline=open_row.deadline.isoformat()
                ),
                field="state",
                code="rectification_open",
            )


def _decisions(case: Case) -> QuerySet[Decision]:
    return Decision.objects.filter(party__case=case).select_related(
        "party__person", "current_version"
    )


@service(Action.CASE_CLOSE)
def case_close(
    *,
    case: Case,
    actor: User,
    reason: str = "",
    closed_on: date | None = None,
    request: HttpRequest | None = None,
) -> Case:
    """办结 on ``closed_on`` (today when not given, not before the archiving and the filing):
    every decision final (生效) or revoked, archived and filed, rectifications done."""
    with step(case, actor, Action.CASE_CLOSE, request=request) as s:
        after, after_label = s.case.received_on, gettext("收到线索日期")
        archived = ArchiveRecord.objects.filter(case=s.case).order_by("-archived_on").first()
        if archived is not None and archived.archived_on > after:
            after, after_label = archived.archived_on, gettext("归档日期")
        filed = CityFiling.objects.filter(case=s.case).order_by("-filed_on").first()
        if filed is not None and filed.filed_on > after:
            after, after_label = filed.filed_on, gettext("报备日期")
        day = _day(
            closed_on or _today(),
            field="closed_on",
            label=gettext("办结日期"),
            not_before=after,
            not_before_label=after_label,
        )
        s.case.closed_on = day
        s.record(
            reason=(reason or "").strip(),
            case_fields=["closed_on"],
            changes={"closed_on": day},
            on=day,
        )
    return s.case
