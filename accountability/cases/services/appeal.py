"""第十六条 申诉: registering an appeal and recording its review.

被追究责任者对责任追究决定不服的,可以自接到处理决定之日起15日内,以书面形式向作出决定的机关或者
上级机关提出申诉。
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accountability.accounts.models import User
from accountability.cases import access
from accountability.cases import facts as case_facts
from accountability.cases.models import (
    Appeal,
    Case,
    Decision,
    DecisionVersion,
    Delivery,
    Outcome,
    Rectification,
)
from accountability.cases.services._common import (
    _current_version,
    _day,
    _rectification_deadline,
    _text,
    _validate_measures,
)
from accountability.cases.services._step import lock_decision, service, step
from accountability.cases.workflow import Action, Role
from accountability.common.errors import DomainError, PermissionDenied
from accountability.common.i18n import source_language
from accountability.people.models import Organisation

MSG_APPEAL_NOT_PURSUED = _(
    "{name}的决定为“{outcome}”，不是责任追究决定，没有可申诉的事项（第十六条）。"
)
MSG_APPEAL_NOT_DELIVERED = _(
    "{name}的决定尚未记录向本人送达，无法计算申诉期限（第十六条：自接到处理决定之日起15日内）。"
)
MSG_APPEAL_NOT_WRITTEN = _("申诉应当以书面形式提出（第十六条）。")
MSG_APPEAL_PENDING_EXISTS = _("{name}已有一件申诉待复查（{date}收到）。")
MSG_APPEAL_REVIEWED_EXISTS = _("{name}的申诉已于{date}复查完毕，不能再次登记。")
MSG_APPEAL_MANNER = _("申诉提交方式应为：当面递交、邮寄。")
MSG_APPEAL_POSTMARK = _("邮寄申诉应当填写邮戳日期（以邮戳日期计算是否逾期）。")
MSG_APPEAL_POSTMARK_ORDER = _("邮戳日期不能晚于收到申诉日期。")
MSG_APPEAL_BEFORE_DELIVERY = _("申诉日期不能早于本人接到决定的日期（{date}）。")
MSG_REVIEWING_ORGAN = _("复查机关应为作出决定的机关（{organ}）或其上级机关（第十六条）。")
MSG_REVIEWER_ORGAN = _("本申诉由{organ}复查，您不能记录复查结果（第十六条）。")
MSG_APPEAL_NOT_PENDING = _("该申诉当前状态为“{status}”，不能记录复查结果。")
MSG_REVIEW_OUTCOME = _("复查结果应为：维持原决定、变更原决定、撤销原决定。")
MSG_REVIEW_MEASURES = _("变更原决定的，应当填写变更后的措施；改为不予追究的，请选择撤销原决定。")
MSG_REVIEW_SAME = _("变更后的措施与原决定相同；不改变的，请选择维持原决定。")


LATE_REJECTION_NOTE = "逾期申诉，未说明正当理由，不予受理（第十六条）。"
RECTIFICATION_CANCEL_REASON = "申诉复查{outcome}，不再责令限期整改。"


@service(Action.APPEAL_REGISTER)
def appeal_register(
    *,
    decision: Decision,
    actor: User,
    received_on: date,
    content: str,
    manner: str = Appeal.Manner.IN_PERSON,
    postmark_on: date | None = None,
    written: bool = True,
    reviewing_organ: Organisation | None = None,
    late_acceptance_reason: str = "",
    request: HttpRequest | None = None,
) -> Appeal:
    """Register a written appeal (Art 16).

    The deadline is the one counted from the recorded delivery to the person; a mailed appeal
    counts by its postmark. A late appeal is never silently accepted: with
    ``late_acceptance_reason`` (a justified delay, e.g. force majeure) it is registered as
    late and goes to review; without one it is recorded as 逾期不予受理 and the decision
    stays on its way to becoming final.
    """
    with step(decision.party.case, actor, Action.APPEAL_REGISTER, request=request) as s:
        locked = lock_decision(decision)
        name = locked.party.person.name
        if locked.outcome != Outcome.PURSUE:
            raise DomainError(
                MSG_APPEAL_NOT_PURSUED.format(name=name, outcome=Outcome(locked.outcome).label),
                field="decision",
                code="not_pursued",
            )
        person_delivery = locked.deliveries.filter(
            recipient=Delivery.Recipient.PERSON, withdrawn_at__isnull=True
        ).first()
        if person_delivery is None or locked.appeal_deadline is None:
            raise DomainError(
                MSG_APPEAL_NOT_DELIVERED.format(name=name), field="decision", code="not_delivered"
            )
        if not written:
            raise DomainError(MSG_APPEAL_NOT_WRITTEN, field="written", code="not_written")
        pending = locked.appeals.filter(status=Appeal.Status.PENDING).first()
        if pending is not None:
            raise DomainError(
                MSG_APPEAL_PENDING_EXISTS.format(name=name, date=pending.received_on.isoformat()),
                field="decision",
                code="pending",
            )
        reviewed = locked.appeals.filter(status=Appeal.Status.REVIEWED).first()
        if reviewed is not None:
            raise DomainError(
                MSG_APPEAL_REVIEWED_EXISTS.format(name=name, date=str(reviewed.reviewed_on)),
                field="decision",
                code="reviewed",
            )
        content = _text(content, field="content", label=gettext("申诉理由"))
        if manner not in Appeal.Manner.values:
            raise DomainError(MSG_APPEAL_MANNER, field="manner", code="choice")
        received_on = _day(received_on, field="received_on", label=gettext("收到申诉日期"))
        delivered_on = person_delivery.delivered_on
        if manner == Appeal.Manner.POST:
            if postmark_on is None:
                raise DomainError(MSG_APPEAL_POSTMARK, field="postmark_on", code="required")
            if postmark_on > received_on:
                raise DomainError(
                    str(MSG_APPEAL_POSTMARK_ORDER), field="postmark_on", code="date_order"
                )
        else:
            postmark_on = None
        filed_on = postmark_on or received_on
        if filed_on < delivered_on:
            raise DomainError(
                MSG_APPEAL_BEFORE_DELIVERY.format(date=delivered_on.isoformat()),
                field="postmark_on" if postmark_on else "received_on",
                code="date_order",
            )
        organ = reviewing_organ or s.case.handling_organ
        if organ.pk not in {s.case.handling_organ_id, s.case.handling_organ.parent_id}:
            raise DomainError(
                MSG_REVIEWING_ORGAN.format(organ=s.case.handling_organ.name),
                field="reviewing_organ",
                code="organ",
            )
        late = filed_on > locked.appeal_deadline
        late_reason = (late_acceptance_reason or "").strip() if late else ""
        status = Appeal.Status.REJECTED_LATE if late and not late_reason else Appeal.Status.PENDING
        appeal = Appeal.objects.create(
            decision=locked,
            received_on=received_on,
            manner=manner,
            postmark_on=postmark_on,
            written=True,
            content=content,
            deadline=locked.appeal_deadline,
            late=late,
            late_acceptance_reason=late_reason,
            status=status,
            reviewing_organ=organ,
            registered_by=actor,
        )
        if status == Appeal.Status.REJECTED_LATE:
            log_reason = LATE_REJECTION_NOTE
        elif late:
            log_reason = f"逾期申诉，予以受理：{late_reason}"
        else:
            log_reason = ""
        s.record(
            party=locked.party,
            target=appeal,
            audit_action="create",
            reason=log_reason,
            changes={
                "received_on": received_on,
                "postmark_on": postmark_on,
                "deadline": locked.appeal_deadline,
                "late": late,
                "status": status,
                "reviewing_organ": organ.name,
            },
        )
    return appeal


@service(Action.APPEAL_REVIEW_RECORD)
def appeal_review_record(
    *,
    appeal: Appeal,
    actor: User,
    reviewed_on: date,
    outcome: str,
    reason: str,
    measures: Sequence[str] = (),
    rectification_deadline: date | None = None,
    request: HttpRequest | None = None,
) -> DecisionVersion:
    """The review of an appeal: upheld, changed or revoked, each as a new decision version.

    The earlier versions are kept unchanged. A changed decision is assessed with the same
    facts and decision date (restriction periods keep counting from the original decision),
    with the new measures imposed; changing to 不予追究 is recorded as revoking.
    """
    commission = access.user_commission(actor)
    # The reviewing organ is fixed when the appeal is registered (the city office may be it).
    at_reviewing_organ = commission is not None and commission.pk == appeal.reviewing_organ_id
    city_office = at_reviewing_organ and getattr(actor, "role", None) == Role.CITY_OFFICER

    def reviewing_city_office(locked: Case) -> set[str]:
        return {Role.CITY_OFFICER} if city_office else set()

    with step(
        appeal.decision.party.case,
        actor,
        Action.APPEAL_REVIEW_RECORD,
        request=request,
        extra_roles=reviewing_city_office,
    ) as s:
        decision = lock_decision(appeal.decision)
        appeal = (
            Appeal.objects.select_for_update(of=("self",))
            .select_related("reviewing_organ")
            .get(pk=appeal.pk)
        )
        if not at_reviewing_organ:
            raise PermissionDenied(
                MSG_REVIEWER_ORGAN.format(organ=appeal.reviewing_organ.name), code="organ"
            )
        if appeal.status != Appeal.Status.PENDING:
            raise DomainError(
                MSG_APPEAL_NOT_PENDING.format(status=appeal.get_status_display()),
                field="appeal",
                code="not_pending",
            )
        if outcome not in Appeal.ReviewOutcome.values:
            raise DomainError(MSG_REVIEW_OUTCOME, field="outcome", code="choice")
        reason = _text(reason, field="reason", label=gettext("复查理由"))
        reviewed_on = _day(
            reviewed_on,
            field="reviewed_on",
            label=gettext("复查日期"),
            not_before=appeal.received_on,
            not_before_label=gettext("收到申诉日期"),
        )
        name = decision.party.person.name
        current = _current_version(decision)
        new: dict[str, Any] = {
            "outcome": current.outcome,
            "measures": list(current.measures),
            "inputs": current.inputs,
            "assessment": current.assessment,
            "rulebook_version": current.rulebook_version,
            "departs": current.departs,
        }
        if outcome == Appeal.ReviewOutcome.REVOKED:
            new.update(
                outcome=Outcome.REVOKED,
                measures=[],
                assessment={},
                rulebook_version="",
                departs=False,
            )
        elif outcome == Appeal.ReviewOutcome.CHANGED:
            if not [m for m in measures if m and m.strip()]:
                raise DomainError(MSG_REVIEW_MEASURES, field="measures", code="measures")
            chosen = _validate_measures(name, measures, on=decision.decided_on, pursue=True)
            if sorted(chosen) == sorted(current.measures):
                raise DomainError(MSG_REVIEW_SAME, field="measures", code="same")
            inputs = dict(current.inputs)
            inputs["imposed"] = chosen
            inputs.pop("received_on", None)
            assessment = case_facts.assess(inputs, name=name)
            new.update(
                outcome=Outcome.PURSUE,
                measures=chosen,
                inputs=inputs,
                assessment=assessment,
                rulebook_version=str(assessment.get("rulebook", "")),
                departs=case_facts.departs(assessment, pursue=True, measures=chosen),
            )
        keeps_rectification = case_facts.RECTIFICATION_MEASURE in new["measures"]
        live = decision.rectifications.filter(cancelled_on__isnull=True)
        deadline = None
        if keeps_rectification and not live.exists():
            deadline = _rectification_deadline(
                name, new["measures"], rectification_deadline, after=reviewed_on
            )
        version = DecisionVersion.objects.create(
            decision=decision,
            number=current.number + 1,
            source=DecisionVersion.Source.APPEAL_REVIEW,
            appeal=appeal,
            reason=reason,
            effective_on=reviewed_on,
            created_by=actor,
            **new,
        )
        decision.current_version = version
        decision.save(update_fields=["current_version"])
        if not keeps_rectification:
            with source_language():
                cancel_reason = RECTIFICATION_CANCEL_REASON.format(
                    outcome=Appeal.ReviewOutcome(outcome).label
                )
            live.filter(completed_on__isnull=True).update(
                cancelled_on=reviewed_on, cancel_reason=cancel_reason
            )
        elif deadline is not None:
            Rectification.objects.create(decision=decision, deadline=deadline)
        appeal.status = Appeal.Status.REVIEWED
        appeal.outcome = outcome
        appeal.reviewed_on = reviewed_on
        appeal.review_reason = reason
        appeal.reviewed_by = actor
        appeal.save(
            update_fields=["status", "outcome", "reviewed_on", "review_reason", "reviewed_by"]
        )
        s.record(
            party=decision.party,
            target=appeal,
            audit_action="update",
            reason=reason,
            changes={
                "outcome": outcome,
                "version": [current.number, version.number],
                "measures": [list(current.measures), list(version.measures)],
                "decision_outcome": [current.outcome, version.outcome],
            },
        )
    return version
