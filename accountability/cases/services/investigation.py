"""第十三条第(二)项 调查核实: the team, evidence, hearings and the report.

(二)调查核实。……成立调查组……听取被追究责任者陈述和申辩,及时形成调查报告,提出处理意见,
并向县纪委常委会报告。
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.files.base import File
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accountability.accounts.models import User
from accountability.cases import facts as case_facts
from accountability.cases import files
from accountability.cases import workflow as wf
from accountability.cases.models import (
    Case,
    CaseParty,
    Evidence,
    Hearing,
    InvestigationReport,
    Recommendation,
    RecordCorrection,
    ReportFinding,
    TeamMembership,
)
from accountability.cases.services import _records
from accountability.cases.services._common import (
    NON_TEAM_ROLES,
    _check_departure,
    _day,
    _party_of,
    _recusal_error,
    _store_file,
    _text,
    _today,
    _validate_measures,
)
from accountability.cases.services._step import Step, guard, service, step
from accountability.cases.workflow import Action, Guard
from accountability.common.errors import DomainError

MSG_TEAM_EMPTY = _("调查组至少应有一名成员。")
MSG_TEAM_LEADER = _("调查组组长应当是调查组成员。")
MSG_TEAM_INELIGIBLE = _("{user}的角色为“{role}”，不能参加调查组。")
MSG_TEAM_ALREADY = _("{user}已是调查组成员。")
WHAT_TEAM = _("参加调查组")
MSG_FACTS_INCOMPLETE = _("{name}的责任事实尚未认定（责任主体类别、情形、情节），不能提交调查报告。")
MSG_FINDING_MISSING = _("调查报告缺少对{name}的认定和建议。")
MSG_FINDING_DUPLICATE = _("调查报告对{name}的认定重复。")
MSG_RECOMMENDATION = _("建议应为“追究”或“不予追究”。")
MSG_HEARING_LAST = _(
    "已对{name}作出责任追究决定，不能撤回其唯一的陈述申辩记录"
    "（第十三条第(二)项：听取陈述和申辩后方可决定）。"
)


@dataclass(frozen=True)
class FindingInput:
    """One person's part of an investigation report, as the form gives it."""

    party: CaseParty
    recommendation: str
    measures: Sequence[str] = ()
    departure_reason: str = ""


@guard(Guard.PARTY_FACTS_COMPLETE)
def _party_facts_complete(case: Case, transition: wf.Transition) -> None:
    for party in case.parties.select_related("person"):
        if not party.facts_complete:
            raise DomainError(
                MSG_FACTS_INCOMPLETE.format(name=party.person.name),
                field="facts",
                code="facts_incomplete",
            )


def _check_team_recusal(case: Case, user: User) -> None:
    name = str(user)
    error = _recusal_error(case, user, what=WHAT_TEAM, field="members")
    if error is not None:
        raise error
    if getattr(user, "role", None) in NON_TEAM_ROLES or not getattr(user, "is_active", True):
        raise DomainError(
            MSG_TEAM_INELIGIBLE.format(user=name, role=user.get_role_display()),
            field="members",
            code="ineligible",
        )


def _investigation_day(case: Case, value: date | None, *, field: str, label: str) -> date:
    """A day of the investigation: not in the future, not before the clue was received nor
    before the team was formed (when the formation date is known)."""
    after, after_label = case.received_on, gettext("收到线索日期")
    if case.team_formed_on is not None and case.team_formed_on > after:
        after, after_label = case.team_formed_on, gettext("成立调查组日期")
    return _day(value, field=field, label=label, not_before=after, not_before_label=after_label)


def _join_team(
    case: Case, actor: User, user: User, *, leader: bool, on: date | None = None
) -> TeamMembership:
    _check_team_recusal(case, user)
    existing = TeamMembership.objects.filter(case=case, user=user).first()
    if existing is not None:
        if existing.left_on is None:
            raise DomainError(
                MSG_TEAM_ALREADY.format(user=str(user)), field="members", code="duplicate"
            )
        existing.left_on = None
        existing.leave_reason = ""
        existing.is_leader = leader
        existing.save(update_fields=["left_on", "leave_reason", "is_leader"])
        return existing
    return TeamMembership.objects.create(
        case=case,
        user=user,
        office=getattr(user, "organisation", None),
        is_leader=leader,
        joined_on=on or _today(),
        added_by=actor,
    )


@service(Action.TEAM_FORM)
def team_form(
    *,
    case: Case,
    actor: User,
    members: Sequence[User],
    leader: User | None,
    formed_on: date | None = None,
    request: HttpRequest | None = None,
) -> list[TeamMembership]:
    """Form the investigation team on ``formed_on`` (today when not given, not before the
    approval); anyone concerned or with a recorded conflict is refused."""
    with step(case, actor, Action.TEAM_FORM, request=request) as s:
        after = s.case.approved_on or s.case.received_on
        formed_on = _day(
            formed_on or _today(),
            field="formed_on",
            label=gettext("成立调查组日期"),
            not_before=after,
            not_before_label=gettext("审批日期") if s.case.approved_on else gettext("收到线索日期"),
        )
        unique = list({m.pk: m for m in members}.values())
        if not unique:
            raise DomainError(MSG_TEAM_EMPTY, field="members", code="required")
        if leader is None or leader.pk not in {m.pk for m in unique}:
            raise DomainError(MSG_TEAM_LEADER, field="leader", code="leader")
        rows = [
            _join_team(s.case, actor, m, leader=m.pk == leader.pk, on=formed_on) for m in unique
        ]
        s.case.team_formed_on = formed_on
        s.record(
            reason="调查组：" + "、".join(str(m) for m in unique),
            changes={
                "members": [str(m) for m in unique],
                "leader": str(leader),
                "formed_on": formed_on,
            },
            case_fields=["team_formed_on"],
            on=formed_on,
        )
    return rows


@service(Action.TEAM_MEMBER_ADD)
def team_member_add(
    *, case: Case, actor: User, user: User, request: HttpRequest | None = None
) -> TeamMembership:
    """Add a member to a formed team (same recusal rules)."""
    with step(case, actor, Action.TEAM_MEMBER_ADD, request=request) as s:
        row = _join_team(s.case, actor, user, leader=False)
        s.record(target=row, audit_action="create", changes={"member": str(user)})
    return row


@files.removed_on_failure
@service(Action.EVIDENCE_ADD)
def evidence_add(
    *,
    case: Case,
    actor: User,
    title: str,
    collected_on: date,
    description: str = "",
    party: CaseParty | None = None,
    file: File[bytes] | None = None,
    request: HttpRequest | None = None,
) -> Evidence:
    """Record a piece of evidence, optionally with its file and the person it concerns."""
    with step(case, actor, Action.EVIDENCE_ADD, request=request) as s:
        title = _text(title, field="title", label=gettext("证据名称"))
        collected_on = _investigation_day(
            s.case, collected_on, field="collected_on", label=gettext("取得日期")
        )
        if party is not None:
            _party_of(s.case, party)
        attachment = _store_file(s.case, actor, file, title) if file is not None else None
        evidence = Evidence.objects.create(
            case=s.case,
            party=party,
            title=title,
            description=(description or "").strip(),
            collected_on=collected_on,
            attachment=attachment,
            added_by=actor,
        )
        s.record(
            party=party,
            target=evidence,
            audit_action="create",
            changes={"title": title, "sha256": attachment.sha256 if attachment else None},
            on=collected_on,
        )
    return evidence


@service(Action.HEARING_RECORD)
def hearing_record(
    *,
    party: CaseParty,
    actor: User,
    held_on: date,
    statement: str,
    defence: str = "",
    request: HttpRequest | None = None,
) -> Hearing:
    """听取陈述和申辩 (13(2)): the person's statement and defence."""
    with step(party.case, actor, Action.HEARING_RECORD, request=request) as s:
        statement = _text(statement, field="statement", label=gettext("本人陈述"))
        held_on = _investigation_day(s.case, held_on, field="held_on", label=gettext("谈话日期"))
        hearing = Hearing.objects.create(
            party=party,
            held_on=held_on,
            statement=statement,
            defence=(defence or "").strip(),
            recorded_by=actor,
        )
        s.record(
            party=party,
            target=hearing,
            audit_action="create",
            changes={"held_on": held_on},
            on=held_on,
        )
    return hearing


@service(Action.HEARING_REFUSAL_RECORD)
def hearing_refusal_record(
    *,
    party: CaseParty,
    actor: User,
    held_on: date,
    refusal_record: str,
    request: HttpRequest | None = None,
) -> Hearing:
    """The record that the person refused to make a statement or defence."""
    with step(party.case, actor, Action.HEARING_REFUSAL_RECORD, request=request) as s:
        refusal_record = _text(
            refusal_record, field="refusal_record", label=gettext("拒绝陈述申辩的记录")
        )
        held_on = _investigation_day(s.case, held_on, field="held_on", label=gettext("谈话日期"))
        hearing = Hearing.objects.create(
            party=party,
            held_on=held_on,
            refused=True,
            refusal_record=refusal_record,
            recorded_by=actor,
        )
        s.record(
            party=party,
            target=hearing,
            audit_action="create",
            reason=refusal_record,
            changes={"held_on": held_on, "refused": True},
            on=held_on,
        )
    return hearing


def _finding_input(raw: FindingInput | Mapping[str, Any]) -> FindingInput:
    if isinstance(raw, FindingInput):
        return raw
    return FindingInput(
        party=raw["party"],
        recommendation=raw.get("recommendation", ""),
        measures=tuple(raw.get("measures") or ()),
        departure_reason=raw.get("departure_reason", "") or "",
    )


@service(Action.REPORT_SUBMIT)
def report_submit(
    *,
    case: Case,
    actor: User,
    summary: str,
    findings: Sequence[FindingInput | Mapping[str, Any]],
    submitted_on: date | None = None,
    request: HttpRequest | None = None,
) -> InvestigationReport:
    """The investigation report to the standing committee: one finding per person.

    Each finding stores the rulebook's assessment of the person's facts (inputs, version,
    explanation); a recommendation outside the measures it opens needs a written reason.
    """
    with step(case, actor, Action.REPORT_SUBMIT, request=request) as s:
        summary = _text(summary, field="summary", label=gettext("调查情况"))
        parties = list(s.case.parties.select_related("person"))
        given: dict[int, FindingInput] = {}
        for raw in findings:
            item = _finding_input(raw)
            _party_of(s.case, item.party)
            if item.party.pk in given:
                raise DomainError(
                    MSG_FINDING_DUPLICATE.format(name=item.party.person.name),
                    field="findings",
                    code="duplicate",
                )
            given[item.party.pk] = item
        today = _investigation_day(
            s.case, submitted_on or _today(), field="submitted_on", label=gettext("报告日期")
        )
        report = InvestigationReport.objects.create(
            case=s.case,
            number=s.case.reports.count() + 1,
            summary=summary,
            submitted_on=today,
            submitted_by=actor,
        )
        for party in parties:
            _report_finding(report, party, given.get(party.pk), on=today)
        s.record(
            reason=summary,
            target=report,
            changes={
                "report": report.number,
                "findings": {p.person.name: given[p.pk].recommendation for p in parties},
            },
            on=today,
        )
    return report


def _report_finding(
    report: InvestigationReport, party: CaseParty, item: FindingInput | None, *, on: date
) -> ReportFinding:
    """The report's finding on ``party``, with the rulebook's assessment as of ``on``."""
    name = party.person.name
    if item is None:
        raise DomainError(MSG_FINDING_MISSING.format(name=name), field="findings", code="missing")
    if item.recommendation not in Recommendation.values:
        raise DomainError(MSG_RECOMMENDATION, field="recommendation", code="choice")
    pursue = item.recommendation == Recommendation.PURSUE
    measures = _validate_measures(name, item.measures, on=on, pursue=pursue)
    inputs = case_facts.party_inputs(party, decided_on=on)
    assessment = case_facts.assess(inputs, name=name)
    departs = _check_departure(
        name,
        assessment,
        pursue=pursue,
        measures=measures,
        reason=item.departure_reason,
        field="departure_reason",
    )
    return ReportFinding.objects.create(
        report=report,
        party=party,
        inputs=inputs,
        assessment=assessment,
        rulebook_version=str(assessment.get("rulebook", "")),
        recommendation=item.recommendation,
        measures=measures,
        departs=departs,
        departure_reason=item.departure_reason.strip(),
    )


@service(Action.REPORT_RETURN)
def report_return(
    *,
    case: Case,
    actor: User,
    reason: str,
    returned_on: date | None = None,
    request: HttpRequest | None = None,
) -> Case:
    """退回补充调查 on ``returned_on`` (today when not given, not before the report): the
    report goes back to the team, which reports again."""
    with step(case, actor, Action.REPORT_RETURN, request=request) as s:
        reason = _text(reason, field="reason", label=gettext("退回理由"))
        report = s.case.reports.order_by("-number").first()
        day = _day(
            returned_on or _today(),
            field="returned_on",
            label=gettext("退回日期"),
            not_before=report.submitted_on if report is not None else s.case.received_on,
            not_before_label=gettext("报告日期") if report is not None else gettext("收到线索日期"),
        )
        if report is not None:
            report.returned_at = timezone.now()
            report.returned_on = day
            report.return_reason = reason
            report.save(update_fields=["returned_at", "returned_on", "return_reason"])
        s.record(reason=reason, changes={"returned_on": day}, on=day)
    return s.case


def _record_changed(
    s: Step,
    actor: User,
    row: Hearing | Evidence,
    record_type: str,
    reason: str,
    values: dict[str, Any] | None = None,
) -> None:
    """Correct ``row`` with ``values`` (or, without them, withdraw it), keep its history and
    record the step: the audit entry names the fields, their values sealed by policy."""
    if values is None:
        correction = _records.withdraw(s.case, actor, row, record_type, reason=reason)
    else:
        correction = _records.correct(s.case, actor, row, record_type, values=values, reason=reason)
    s.record(
        party=row.party,
        reason=reason,
        target=row,
        audit_action="update",
        changes=_audit_values(correction),
    )


def _audit_values(correction: RecordCorrection) -> dict[str, Any]:
    """The audit entry's changes: the fields named in clear, their values sealed by policy."""
    return {
        "fields": sorted(correction.after) or ["withdrawn"],
        "before": correction.before,
        "after": correction.after,
        "record": f"{correction.record_type} {correction.record_id}",
    }


@service(Action.INVESTIGATION_RECORD_CORRECT)
def hearing_correct(
    *,
    hearing: Hearing,
    actor: User,
    reason: str,
    held_on: date | None = None,
    statement: str | None = None,
    defence: str | None = None,
    refusal_record: str | None = None,
    request: HttpRequest | None = None,
) -> Hearing:
    """更正 a hearing (or the record of a refusal) entered by mistake; the original is kept."""
    with step(hearing.party.case, actor, Action.INVESTIGATION_RECORD_CORRECT, request=request) as s:
        row = Hearing.objects.select_related("party__person", "recorded_by").get(pk=hearing.pk)
        _records.check_may_change(
            s.case, actor, row, author=row.recorded_by, action=str(_records.ACT_CORRECT)
        )
        reason = _records.reason_of(reason)
        values: dict[str, Any] = {}
        if held_on is not None:
            values["held_on"] = _day(held_on, field="held_on", label=gettext("谈话日期"))
        if row.refused:
            if refusal_record is not None:
                values["refusal_record"] = _text(
                    refusal_record, field="refusal_record", label=gettext("拒绝陈述申辩的记录")
                )
        else:
            if statement is not None:
                values["statement"] = _text(statement, field="statement", label=gettext("本人陈述"))
            if defence is not None:
                values["defence"] = defence.strip()
        _record_changed(s, actor, row, RecordCorrection.Record.HEARING, reason, values)
    hearing.refresh_from_db()
    return row


@service(Action.INVESTIGATION_RECORD_WITHDRAW)
def hearing_withdraw(
    *, hearing: Hearing, actor: User, reason: str, request: HttpRequest | None = None
) -> Hearing:
    """撤回 a hearing entered by mistake: it stays, struck through, and no longer counts as the
    person's hearing (13(2)); refused when the person's decision rests on it alone."""
    with step(
        hearing.party.case, actor, Action.INVESTIGATION_RECORD_WITHDRAW, request=request
    ) as s:
        row = Hearing.objects.select_related("party__person", "recorded_by").get(pk=hearing.pk)
        _records.check_may_change(
            s.case, actor, row, author=row.recorded_by, action=str(_records.ACT_WITHDRAW)
        )
        reason = _records.reason_of(reason)
        others = Hearing.objects.filter(party=row.party, withdrawn_at__isnull=True).exclude(
            pk=row.pk
        )
        if hasattr(row.party, "decision") and not others.exists():
            raise DomainError(
                MSG_HEARING_LAST.format(name=row.party.person.name),
                field="reason",
                code="decided",
            )
        _record_changed(s, actor, row, RecordCorrection.Record.HEARING, reason)
    hearing.refresh_from_db()
    return row


@service(Action.INVESTIGATION_RECORD_CORRECT)
def evidence_correct(
    *,
    evidence: Evidence,
    actor: User,
    reason: str,
    title: str | None = None,
    description: str | None = None,
    collected_on: date | None = None,
    request: HttpRequest | None = None,
) -> Evidence:
    """更正 an evidence item entered by mistake; the original is kept."""
    with step(evidence.case, actor, Action.INVESTIGATION_RECORD_CORRECT, request=request) as s:
        row = Evidence.objects.select_related("party__person", "added_by").get(pk=evidence.pk)
        _records.check_may_change(
            s.case, actor, row, author=row.added_by, action=str(_records.ACT_CORRECT)
        )
        reason = _records.reason_of(reason)
        values: dict[str, Any] = {}
        if title is not None:
            values["title"] = _text(title, field="title", label=gettext("证据名称"))
        if description is not None:
            values["description"] = description.strip()
        if collected_on is not None:
            values["collected_on"] = _day(
                collected_on, field="collected_on", label=gettext("取得日期")
            )
        _record_changed(s, actor, row, RecordCorrection.Record.EVIDENCE, reason, values)
    evidence.refresh_from_db()
    return row


@service(Action.INVESTIGATION_RECORD_WITHDRAW)
def evidence_withdraw(
    *, evidence: Evidence, actor: User, reason: str, request: HttpRequest | None = None
) -> Evidence:
    """撤回 an evidence item entered by mistake: it stays, struck through, with the reason."""
    with step(evidence.case, actor, Action.INVESTIGATION_RECORD_WITHDRAW, request=request) as s:
        row = Evidence.objects.select_related("party__person", "added_by").get(pk=evidence.pk)
        _records.check_may_change(
            s.case, actor, row, author=row.added_by, action=str(_records.ACT_WITHDRAW)
        )
        reason = _records.reason_of(reason)
        _record_changed(s, actor, row, RecordCorrection.Record.EVIDENCE, reason)
    evidence.refresh_from_db()
    return row
