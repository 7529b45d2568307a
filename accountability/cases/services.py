"""Writes for cases: every workflow action, one transaction each (STYLE.md 6, 8).

Signatures (keyword-only; ``request`` is optional and only enriches the audit entry):

    clue_register(*, actor, source, summary, received_on, handling_opinion="",
                  informant_name="", informant_contact="", persons=(), handling_organ=None,
                  request=None) -> Case
    party_add(*, case, actor, person, responsibility_kind="", responsibility_scope="个人责任",
              request=None) -> CaseParty
    party_facts_update(*, party, actor, role, circumstance, severity, conditions=(),
                       violates_discipline=False, lighter=(), heavier=(), occurred_on=None,
                       facts="", responsibility_kind=None, responsibility_scope=None,
                       request=None) -> CaseParty
    conflict_declare(*, case, actor, kind, note="", user=None, person=None,
                     request=None) -> ConflictDeclaration
    attachment_add(*, case, actor, file, title="", request=None) -> Attachment
    clue_approve(*, case, actor, opinion, request=None) -> Case
    clue_reject(*, case, actor, reason, request=None) -> Case
    case_take_over(*, case, actor, reason, request=None) -> Case
    team_form(*, case, actor, members, leader, request=None) -> list[TeamMembership]
    team_member_add(*, case, actor, user, request=None) -> TeamMembership
    evidence_add(*, case, actor, title, collected_on, description="", party=None, file=None,
                 request=None) -> Evidence
    hearing_record(*, party, actor, held_on, statement, defence="", request=None) -> Hearing
    hearing_refusal_record(*, party, actor, held_on, refusal_record, request=None) -> Hearing
    report_submit(*, case, actor, summary, findings: Sequence[FindingInput], submitted_on=None,
                  request=None) -> InvestigationReport
    report_return(*, case, actor, reason, request=None) -> Case
    meeting_record(*, case, actor, held_on, members_present, votes_for, votes_against=0,
                   votes_abstain=0, members_recused=(), minutes="",
                   request=None) -> CommitteeMeeting
    decision_record(*, party, meeting, actor, outcome, measures=(), reason="",
                    rectification_deadline=None, decided_on=None, request=None) -> Decision
    decision_mark_issued(*, decision, actor, document_number, issued_on=None,
                         request=None) -> Decision
    delivery_record(*, decision, actor, recipient, delivered_on, manner, received_by="",
                    note="", request=None) -> Delivery
    archive_record(*, case, actor, archived_on, received_by="", note="",
                   request=None) -> ArchiveRecord
    city_filing_record(*, case, actor, filed_on, reference="", note="",
                       request=None) -> CityFiling
    appeal_register(*, decision, actor, received_on, content, manner="in_person",
                    postmark_on=None, written=True, reviewing_organ=None,
                    late_acceptance_reason="", request=None) -> Appeal
    appeal_review_record(*, appeal, actor, reviewed_on, outcome, reason, measures=(),
                         rectification_deadline=None, request=None) -> DecisionVersion
    rectification_complete(*, rectification, actor, completed_on, evidence,
                           request=None) -> Rectification
    case_close(*, case, actor, reason="", today=None, request=None) -> Case

Helpers for the forms: FindingInput(party, recommendation, measures=(), departure_reason=""),
committee_size(), quorum_rule(), quorum_required(size, rule), votes_required(size),
recusal_reason(case, *, user=None, person=None) -> str.

Every refusal is a DomainError (or PermissionDenied) with a Chinese message naming the field
and the rule; the messages are module constants (MSG_*). Decisions taken here:

* Recusal (回避): a person concerned by the case, or anyone with a recorded conflict
  (ConflictDeclaration: close relative, interest, earlier witness), cannot join the team or
  vote, and stands aside from every other step of the case too (no role on it, no view of it).
* Dates of recorded events (hearing, report, meeting, issue, delivery …) are given by the
  user, since the paper often comes before the record; none may be in the future and each
  follows the step before it.
* A late appeal (Art 16) is never silently accepted: without an explicit reason for accepting
  it late it is recorded as 逾期不予受理 (flagged, and the decision still becomes final); with
  one it is registered as late and goes to review.
* Review outcomes each make a new DecisionVersion (upheld copies the content); changing to
  不予追究 is recorded as revoking. A changed decision keeps the original decision date for the
  rulebook (restriction periods count from it).
* The quorum counts the members who vote (present and not recused), under the setting
  CASES_QUORUM_RULE (default 超过半数 of CASES_COMMITTEE_SIZE, default 9); a decision needs more
  than half of the committee in favour.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accountability.audit.services import audit_log
from accountability.cases import access, files
from accountability.cases import facts as case_facts
from accountability.cases import workflow as wf
from accountability.cases.crypto import encrypt_text, file_hashes
from accountability.cases.models import (
    Appeal,
    ArchiveRecord,
    Attachment,
    Case,
    CaseNumberSequence,
    CaseParty,
    CityFiling,
    CommitteeMeeting,
    ConflictDeclaration,
    Decision,
    DecisionVersion,
    Delivery,
    Evidence,
    Hearing,
    InvestigationReport,
    MeetingRecusal,
    Outcome,
    Recommendation,
    Rectification,
    ReportFinding,
    TeamMembership,
    TransitionLog,
)
from accountability.cases.workflow import Action, Role
from accountability.common.errors import DomainError, PermissionDenied
from accountability.common.i18n import join_list, source_language
from accountability.people.models import Organisation, Person

# ---------------------------------------------------------------------------------------------
# Messages (exact texts asserted by the tests)

MSG_REQUIRED = _("请填写{label}。")
MSG_FUTURE_DATE = _("{label}不能晚于今天。")
MSG_DATE_ORDER = _("{label}不能早于{other_label}（{other}）。")
MSG_NO_COMMISSION = _("您的账号未归属任何纪检监察机关，不能登记问题线索。")
MSG_REGISTER_ROLE = _("只有纪检监察干部监督室工作人员可以登记问题线索（第十三条第(一)项）。")
MSG_ORGAN_NOT_OWN = _("只能以本机关（{organ}）名义登记问题线索。")
MSG_SOURCE = _("线索来源应为：群众信访举报、媒体曝光、工作发现、领导批示（第十三条第(一)项）。")
MSG_PARTY_DUPLICATE = _("{name}已是本案被调查人。")
MSG_PARTY_AUTHORITY = _(
    "{name}的干部管理机关为{organ}，不在{handling}的管理权限内"
    "（第十一条：责任追究按照干部管理权限分级负责）。"
)
MSG_PARTY_OTHER_CASE = _("所选被调查人不属于本案。")
MSG_RESPONSIBILITY_KIND = _("责任类型应为：主要领导责任、重要领导责任、直接责任（第九条）。")
MSG_RESPONSIBILITY_SCOPE = _("应当分清集体责任和个人责任（第九条）。")
MSG_NO_PARTY = _("案件尚未添加被调查人，不能{action}。")
MSG_CONFLICT_WHO = _("请选择需要回避的人员或账号。")
MSG_CONFLICT_KIND = _("回避事由应为：{kinds}。")
MSG_TAKE_OVER_AUTHORITY = _("只有{organ}的上级纪检监察机关可以直接追究本案（第十一条）。")
MSG_TAKE_OVER_LEADING = _(
    "第十一条：上级纪检监察机关只可直接对下级纪检监察机关领导干部进行责任追究；"
    "本案被调查人中没有领导干部。"
)
MSG_TEAM_EMPTY = _("调查组至少应有一名成员。")
MSG_TEAM_LEADER = _("调查组组长应当是调查组成员。")
MSG_TEAM_INELIGIBLE = _("{user}的角色为“{role}”，不能参加调查组。")
MSG_TEAM_ALREADY = _("{user}已是调查组成员。")
MSG_RECUSAL_PARTY = _("{user}是本案被调查人，应当回避，不能{what}。")
MSG_RECUSAL_CONFLICT = _("{user}已登记回避事由“{kind}”{note}，应当回避，不能{what}。")
WHAT_TEAM = _("参加调查组")
WHAT_ACT = _("执行“{action}”")
MSG_FACTS_INCOMPLETE = _("{name}的责任事实尚未认定（责任主体类别、情形、情节），不能提交调查报告。")
MSG_FINDING_MISSING = _("调查报告缺少对{name}的认定和建议。")
MSG_FINDING_DUPLICATE = _("调查报告对{name}的认定重复。")
MSG_RECOMMENDATION = _("建议应为“追究”或“不予追究”。")
MSG_MEASURES_REQUIRED = _("{name}：追究责任的，应当至少选择一项措施。")
MSG_MEASURES_NOT_ALLOWED = _("{name}：不予追究的，不应选择措施。")
MSG_MEASURE_UNKNOWN = _("{name}：“{measure}”不是规定的措施。可选措施：{allowed}。")
MSG_DEPARTURE = _(
    "{name}：所选措施（{measures}）不在测算结果的措施范围（{allowed}）内，应当书面说明偏离理由。"
)
MSG_DEPARTURE_NOT_PURSUE = _(
    "{name}：测算结果为追究责任（可选措施：{allowed}），不予追究的应当书面说明理由。"
)
MSG_MEMBERS_PRESENT = _("请选择到会的常委会成员。")
MSG_TOO_MANY_PRESENT = _("到会成员（{n}人）多于常委会成员数（{size}人）。")
MSG_QUORUM = _(
    "参加表决的常委会成员{n}人，未达到规定人数（{rule}：常委会{size}人，至少{required}人），"
    "不能作出决定。"
)
MSG_VOTES_TOTAL = _("表决票数合计{total}票，应当等于参加表决的成员数{n}人。")
MSG_VOTE_RECUSAL_PARTY = _("常委会成员{name}是本案被调查人，应当回避，不能参加表决。")
MSG_VOTE_RECUSAL_CONFLICT = _(
    "常委会成员{name}已登记回避事由“{kind}”{note}，应当回避，不能参加表决。"
)
MSG_RECUSAL_SELF = "本人申请回避"
MSG_MEETING_OTHER_CASE = _("所选会议不是本案的常委会会议。")
MSG_MOTION_FAILED = _(
    "常委会表决未获通过（同意{votes}票，应当超过常委会成员半数，至少{required}票），"
    "不能据此作出决定。"
)
MSG_NOT_HEARD = _(
    "{name}：尚未听取本人陈述和申辩，也没有拒绝陈述申辩的记录，不能作出决定（第十三条第(二)项）。"
)
MSG_ALREADY_DECIDED = _("{name}的决定已经作出；改变决定应当通过申诉复查。")
MSG_OUTCOME = _("决定应为“追究”或“不予追究”。")
MSG_RECTIFICATION_DEADLINE = _("{name}：决定责令限期整改的，应当确定整改期限。")
MSG_RECTIFICATION_DEADLINE_ORDER = _("整改期限应当晚于决定日期（{decided}）。")
MSG_ALREADY_ISSUED = _("{name}的决定文书已经印发（{number}）。")
MSG_RECIPIENT = _("受送达人应为：被追究责任者本人、所在单位。")
MSG_MANNER = _("送达方式应为：{allowed}。")
MSG_ALREADY_DELIVERED = _("{name}的决定已于{date}送达{recipient}。")
MSG_ALREADY_ARCHIVED = _("本案材料已于{date}归入干部个人档案。")
MSG_ALREADY_FILED = _("本案已于{date}报市纪委备案。")
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
MSG_RECTIFICATION_CLOSED = _("该整改事项已{status}，不能再次记录。")
MSG_RECTIFICATION_DONE = _("完成")
MSG_RECTIFICATION_CANCELLED = _("撤销")
MSG_CLOSE_APPEAL_PENDING = _("{name}的申诉尚待复查，不能办结。")
MSG_CLOSE_NOT_FINAL = _("{name}的决定尚未生效（申诉期限至{deadline}届满），不能办结。")
MSG_CLOSE_NOT_DELIVERED = _("{name}的决定尚未送达本人，不能办结。")
MSG_CLOSE_RECTIFICATION = _("{name}的责令限期整改尚未完成（整改期限{deadline}），不能办结。")
MSG_ATTACHMENT_EMPTY = _("上传的文件为空。")
MSG_ATTACHMENT_TOO_LARGE = _("附件不能超过{mb}MB。")

LATE_REJECTION_NOTE = "逾期申诉，未说明正当理由，不予受理（第十六条）。"
RECTIFICATION_CANCEL_REASON = "申诉复查{outcome}，不再责令限期整改。"

LEADING_ROLES = access.LEADING_ROLES
# Account roles that cannot serve on an investigation team.
NON_TEAM_ROLES = frozenset({Role.SUBJECT, *wf.ADMIN_ROLES})
DEFAULT_COMMITTEE_SIZE = 9
DEFAULT_ATTACHMENT_MAX_MB = 50


@dataclass(frozen=True)
class FindingInput:
    """One person's part of an investigation report, as the form gives it."""

    party: CaseParty
    recommendation: str
    measures: Sequence[str] = ()
    departure_reason: str = ""


# ---------------------------------------------------------------------------------------------
# Settings (read at call time, never at import: STYLE.md 12)


def committee_size() -> int:
    """常委会成员数: setting CASES_COMMITTEE_SIZE (default 9)."""
    return int(getattr(settings, "CASES_COMMITTEE_SIZE", DEFAULT_COMMITTEE_SIZE))


def quorum_rule() -> str:
    """到会人数规则: setting CASES_QUORUM_RULE, default 超过半数 (more_than_half)."""
    rule = getattr(settings, "CASES_QUORUM_RULE", CommitteeMeeting.QuorumRule.MORE_THAN_HALF)
    if rule not in CommitteeMeeting.QuorumRule.values:
        allowed = ", ".join(CommitteeMeeting.QuorumRule.values)
        raise ImproperlyConfigured(f"CASES_QUORUM_RULE must be one of: {allowed}")
    return str(rule)


def quorum_required(size: int, rule: str) -> int:
    """The fewest voting members that make a quorum under ``rule`` for a committee of ``size``."""
    if rule == CommitteeMeeting.QuorumRule.AT_LEAST_HALF:
        return math.ceil(size / 2)
    if rule == CommitteeMeeting.QuorumRule.TWO_THIRDS:
        return math.ceil(size * 2 / 3)
    return size // 2 + 1


def votes_required(size: int) -> int:
    """A decision needs more than half of the committee's members in favour."""
    return size // 2 + 1


def _attachment_max_bytes() -> int:
    return int(getattr(settings, "CASES_ATTACHMENT_MAX_MB", DEFAULT_ATTACHMENT_MAX_MB)) << 20


# ---------------------------------------------------------------------------------------------
# Helpers


def _today() -> date:
    return timezone.localdate()


def _text(value: str | None, *, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(MSG_REQUIRED.format(label=label), field=field, code="required")
    return value


def _day(
    value: date | None,
    *,
    field: str,
    label: str,
    not_before: date | None = None,
    not_before_label: str = "",
) -> date:
    if value is None:
        raise DomainError(MSG_REQUIRED.format(label=label), field=field, code="required")
    if value > _today():
        raise DomainError(MSG_FUTURE_DATE.format(label=label), field=field, code="future_date")
    if not_before is not None and value < not_before:
        raise DomainError(
            MSG_DATE_ORDER.format(
                label=label, other_label=not_before_label, other=not_before.isoformat()
            ),
            field=field,
            code="date_order",
        )
    return value


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


def _party_of(case: Case, party: CaseParty) -> CaseParty:
    if party.case_id != case.pk:
        raise DomainError(MSG_PARTY_OTHER_CASE, field="party", code="other_case")
    return party


# Recusal (回避) is decided in access.py, which the selectors share.
_is_party = access.is_party
_conflict_of = access.conflict_of
recusal_reason = access.recusal_reason


def _conflict_note(conflict: ConflictDeclaration) -> str:
    return gettext("（{note}）").format(note=conflict.note) if conflict.note else ""


def _recusal_error(case: Case, user: Any, *, what: str, field: str | None) -> DomainError | None:
    """The refusal for ``user`` if they must stand aside from ``case`` (None otherwise)."""
    name = str(user)
    if _is_party(case, user=user):
        return DomainError(
            MSG_RECUSAL_PARTY.format(user=name, what=what), field=field, code="recusal"
        )
    conflict = _conflict_of(case, user=user)
    if conflict is not None:
        return DomainError(
            MSG_RECUSAL_CONFLICT.format(
                user=name,
                kind=conflict.get_kind_display(),
                note=_conflict_note(conflict),
                what=what,
            ),
            field=field,
            code="recusal",
        )
    return None


def _check_team_recusal(case: Case, user: Any) -> None:
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


def _next_number(year: int) -> str:
    sequence, _created = CaseNumberSequence.objects.select_for_update().get_or_create(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"镇纪干监〔{year}〕{sequence.last}号"


def _validate_measures(name: str, measures: Sequence[str], *, on: date, pursue: bool) -> list[str]:
    chosen = list(dict.fromkeys(m.strip() for m in measures if m and m.strip()))
    if not pursue:
        if chosen:
            raise DomainError(
                MSG_MEASURES_NOT_ALLOWED.format(name=name), field="measures", code="measures"
            )
        return []
    if not chosen:
        raise DomainError(
            MSG_MEASURES_REQUIRED.format(name=name), field="measures", code="measures"
        )
    known = case_facts.measure_names(on)
    for measure in chosen:
        if measure not in known:
            raise DomainError(
                MSG_MEASURE_UNKNOWN.format(name=name, measure=measure, allowed=join_list(known)),
                field="measures",
                code="measures",
            )
    return chosen


def _check_departure(
    name: str,
    assessment: Mapping[str, Any],
    *,
    pursue: bool,
    measures: Sequence[str],
    reason: str,
    field: str,
) -> bool:
    """Whether the choice departs from the assessment; a departure needs ``reason``."""
    departs = case_facts.departs(assessment, pursue=pursue, measures=measures)
    if departs and not reason.strip():
        allowed = join_list(case_facts.open_measures(assessment))
        message = (
            MSG_DEPARTURE.format(name=name, measures=join_list(measures), allowed=allowed)
            if pursue
            else MSG_DEPARTURE_NOT_PURSUE.format(name=name, allowed=allowed)
        )
        raise DomainError(message, field=field, code="departure_reason")
    return departs


def _store_file(case: Case, actor: Any, file: Any, title: str) -> Attachment:
    """Check the file (size, type by content), store it and its row (see cases/files.py)."""
    limit = _attachment_max_bytes()
    too_large = DomainError(
        MSG_ATTACHMENT_TOO_LARGE.format(mb=limit >> 20), field="file", code="file_too_large"
    )
    # The upload handler stops keeping a file at the limit but reports its full size.
    if int(getattr(file, "size", 0) or 0) > limit:
        raise too_large
    if hasattr(file, "seek"):
        file.seek(0)
    sha256, sm3, size = file_hashes(file.chunks())
    if size == 0:
        raise DomainError(MSG_ATTACHMENT_EMPTY, field="file", code="empty_file")
    if size > limit:
        raise too_large
    detected = files.check_type(file)
    original = files.clean_filename(getattr(file, "name", "") or files.FALLBACK_NAME)
    attachment = Attachment(
        case=case,
        title=(title or "").strip()[:200] or original[:200],
        original_name=original,
        size=size,
        content_type=detected.mime[:100],
        sha256=sha256,
        sm3=sm3,
        uploaded_by=actor,
    )
    attachment.file.save(original, file, save=False)
    files.note_written(attachment.file.name)
    attachment.save()
    return attachment


# ---------------------------------------------------------------------------------------------
# 13(1) 线索受理


@transaction.atomic
def clue_register(
    *,
    actor: Any,
    source: str,
    summary: str,
    received_on: date,
    handling_opinion: str = "",
    informant_name: str = "",
    informant_contact: str = "",
    persons: Iterable[Person] = (),
    handling_organ: Organisation | None = None,
    request: Any = None,
) -> Case:
    """Register a clue (线索登记) for the actor's commission; the informant is stored encrypted."""
    if getattr(actor, "role", None) not in wf.CLUE_REGISTER_ROLES:
        raise PermissionDenied(MSG_REGISTER_ROLE, code="role_not_allowed")
    commission = access.user_commission(actor)
    if commission is None:
        raise PermissionDenied(MSG_NO_COMMISSION, code="no_commission")
    if handling_organ is not None and handling_organ.pk != commission.pk:
        raise DomainError(
            MSG_ORGAN_NOT_OWN.format(organ=commission.name),
            field="handling_organ",
            code="organ",
        )
    if source not in Case.Source.values:
        raise DomainError(MSG_SOURCE, field="source", code="choice")
    summary = _text(summary, field="summary", label=gettext("问题线索摘要"))
    received_on = _day(received_on, field="received_on", label=gettext("收到线索日期"))
    case = Case.objects.create(
        number=_next_number(received_on.year),
        source=source,
        summary=summary,
        received_on=received_on,
        informant_name_enc=encrypt_text((informant_name or "").strip()),
        informant_contact_enc=encrypt_text((informant_contact or "").strip()),
        handling_organ=commission,
        handling_opinion=(handling_opinion or "").strip(),
        registered_by=actor,
    )
    TransitionLog.objects.create(
        case=case,
        action=Action.CLUE_REGISTER,
        from_state="",
        to_state=case.state,
        actor=actor,
        reason=case.handling_opinion,
    )
    audit_log(
        actor=actor,
        action="create",
        target=case,
        changes={
            "case": case.number,
            "action": str(Action.CLUE_REGISTER),
            "source": source,
            "received_on": received_on,
            "state": [None, str(case.state)],
            # The informant is never written to the audit trail, only whether there is one.
            "informant": "已登记（加密保存）" if case.has_informant else "无",
        },
        request=request,
    )
    for person in persons:
        _party_add(
            case, actor, person, responsibility_kind="", responsibility_scope="", request=request
        )
    return case


def _party_add(
    case: Case,
    actor: Any,
    person: Person,
    *,
    responsibility_kind: str,
    responsibility_scope: str,
    request: Any,
) -> CaseParty:
    transition = _authorise(case, actor, Action.PARTY_ADD)
    if case.parties.filter(person=person).exists():
        raise DomainError(
            MSG_PARTY_DUPLICATE.format(name=person.name), field="person", code="duplicate"
        )
    if person.managed_by_id not in access.subtree_ids(case.handling_organ):
        raise DomainError(
            MSG_PARTY_AUTHORITY.format(
                name=person.name, organ=person.managed_by.name, handling=case.handling_organ.name
            ),
            field="person",
            code="authority",
        )
    if responsibility_kind and responsibility_kind not in CaseParty.ResponsibilityKind.values:
        raise DomainError(MSG_RESPONSIBILITY_KIND, field="responsibility_kind", code="choice")
    scope = responsibility_scope or CaseParty.ResponsibilityScope.INDIVIDUAL
    if scope not in CaseParty.ResponsibilityScope.values:
        raise DomainError(MSG_RESPONSIBILITY_SCOPE, field="responsibility_scope", code="choice")
    party = CaseParty.objects.create(
        case=case,
        person=person,
        role=person.role,
        responsibility_kind=responsibility_kind,
        responsibility_scope=scope,
    )
    # A team member who turns out to be concerned by the case leaves the team (回避).
    if person.account_id:
        TeamMembership.objects.filter(case=case, user_id=person.account_id, left_on=None).update(
            left_on=_today(), leave_reason="本案被调查人，回避"
        )
    _finish(
        case,
        transition,
        actor,
        party=party,
        target=party,
        audit_action="create",
        changes={"person": person.name, "role": person.role},
        request=request,
    )
    return party


@transaction.atomic
def party_add(
    *,
    case: Case,
    actor: Any,
    person: Person,
    responsibility_kind: str = "",
    responsibility_scope: str = CaseParty.ResponsibilityScope.INDIVIDUAL,
    request: Any = None,
) -> CaseParty:
    """Add a person concerned (被调查人); they must be within the handling organ's authority."""
    locked = _lock(case)
    party = _party_add(
        locked,
        actor,
        person,
        responsibility_kind=responsibility_kind,
        responsibility_scope=responsibility_scope,
        request=request,
    )
    _sync(case, locked)
    return party


@transaction.atomic
def party_facts_update(
    *,
    party: CaseParty,
    actor: Any,
    role: str,
    circumstance: int | None,
    severity: str,
    conditions: Iterable[str] = (),
    violates_discipline: bool = False,
    lighter: Iterable[int] = (),
    heavier: Iterable[int] = (),
    occurred_on: date | None = None,
    facts: str = "",
    responsibility_kind: str | None = None,
    responsibility_scope: str | None = None,
    request: Any = None,
) -> CaseParty:
    """Record the facts the rulebook assesses; the rulebook itself validates them."""
    case = _lock(party.case)
    transition = _authorise(case, actor, Action.PARTY_FACTS_UPDATE)
    party = CaseParty.objects.select_for_update().get(pk=party.pk)
    if responsibility_kind is not None:
        if responsibility_kind and responsibility_kind not in CaseParty.ResponsibilityKind.values:
            raise DomainError(MSG_RESPONSIBILITY_KIND, field="responsibility_kind", code="choice")
        party.responsibility_kind = responsibility_kind
    if responsibility_scope is not None:
        if responsibility_scope not in CaseParty.ResponsibilityScope.values:
            raise DomainError(MSG_RESPONSIBILITY_SCOPE, field="responsibility_scope", code="choice")
        party.responsibility_scope = responsibility_scope
    if occurred_on is not None:
        _day(occurred_on, field="occurred_on", label=gettext("行为发生日期"))
    before = {
        name: getattr(party, name)
        for name in (
            "role",
            "circumstance",
            "conditions",
            "severity",
            "violates_discipline",
            "lighter",
            "heavier",
            "occurred_on",
            "facts",
        )
    }
    party.role = (role or "").strip()
    party.circumstance = circumstance
    party.conditions = [c for c in conditions if c]
    party.severity = (severity or "").strip()
    party.violates_discipline = bool(violates_discipline)
    party.lighter = sorted({int(i) for i in lighter})
    party.heavier = sorted({int(i) for i in heavier})
    party.occurred_on = occurred_on
    party.facts = (facts or "").strip()
    # The rulebook is the judge of what facts are valid (role, item, conditions, factors).
    inputs = {
        "role": party.role,
        "circumstance": party.circumstance,
        "conditions": party.conditions,
        "severity": party.severity,
        "violates_discipline": party.violates_discipline,
        "lighter": party.lighter,
        "heavier": party.heavier,
    }
    if party.occurred_on:
        inputs["occurred_on"] = party.occurred_on.isoformat()
    case_facts.assess(inputs, name=party.person.name)
    party.save()
    changes = {
        name: [value, getattr(party, name)]
        for name, value in before.items()
        if value != getattr(party, name)
    }
    _finish(
        case,
        transition,
        actor,
        party=party,
        target=party,
        audit_action="update",
        changes=changes,
        request=request,
    )
    return party


@transaction.atomic
def conflict_declare(
    *,
    case: Case,
    actor: Any,
    kind: str,
    note: str = "",
    user: Any = None,
    person: Person | None = None,
    request: Any = None,
) -> ConflictDeclaration:
    """Record a reason for someone to stand aside (回避); a team member concerned leaves."""
    locked = _lock(case)
    transition = _authorise(locked, actor, Action.CONFLICT_DECLARE)
    if user is None and person is None:
        raise DomainError(MSG_CONFLICT_WHO, field="user", code="required")
    if kind not in ConflictDeclaration.Kind.values:
        kinds = join_list(ConflictDeclaration.Kind.labels)
        raise DomainError(MSG_CONFLICT_KIND.format(kinds=kinds), field="kind", code="choice")
    conflict = ConflictDeclaration.objects.create(
        case=locked,
        user=user,
        person=person,
        kind=kind,
        note=(note or "").strip(),
        declared_by=actor,
    )
    accounts = {u.pk for u in (user, getattr(person, "account", None)) if u is not None}
    if accounts:
        with source_language():
            leave_reason = f"回避：{conflict.get_kind_display()}"
        TeamMembership.objects.filter(case=locked, user_id__in=accounts, left_on=None).update(
            left_on=_today(), leave_reason=leave_reason
        )
    _finish(
        locked,
        transition,
        actor,
        target=conflict,
        audit_action="create",
        changes={"who": str(user or person), "kind": kind},
        reason=conflict.note,
        request=request,
    )
    _sync(case, locked)
    return conflict


@files.removed_on_failure
@transaction.atomic
def attachment_add(
    *, case: Case, actor: Any, file: Any, title: str = "", request: Any = None
) -> Attachment:
    """Store a file under MEDIA_ROOT with its SHA-256 and SM3 hashes (type by content)."""
    locked = _lock(case)
    transition = _authorise(locked, actor, Action.ATTACHMENT_ADD)
    attachment = _store_file(locked, actor, file, title)
    _finish(
        locked,
        transition,
        actor,
        target=attachment,
        audit_action="create",
        changes={
            "title": attachment.title,
            "sha256": attachment.sha256,
            "sm3": attachment.sm3,
            "size": attachment.size,
        },
        request=request,
    )
    _sync(case, locked)
    return attachment


@transaction.atomic
def clue_approve(*, case: Case, actor: Any, opinion: str, request: Any = None) -> Case:
    """按程序报批受理: the head of the office or the leader approves the handling opinion."""
    locked = _lock(case)
    transition = _authorise(locked, actor, Action.CLUE_APPROVE)
    opinion = _text(opinion, field="opinion", label=gettext("审批意见"))
    if not locked.parties.exists():
        raise DomainError(
            MSG_NO_PARTY.format(action=transition.label), field="parties", code="no_party"
        )
    locked.approval_opinion = opinion
    locked.approved_by = actor
    locked.approved_on = _today()
    _finish(
        locked,
        transition,
        actor,
        reason=opinion,
        case_fields=["approval_opinion", "approved_by", "approved_on"],
        request=request,
    )
    _sync(case, locked)
    return locked


@transaction.atomic
def clue_reject(*, case: Case, actor: Any, reason: str, request: Any = None) -> Case:
    """不予受理, with the reason; the case ends there."""
    locked = _lock(case)
    transition = _authorise(locked, actor, Action.CLUE_REJECT)
    reason = _text(reason, field="reason", label=gettext("不予受理理由"))
    locked.rejection_reason = reason
    locked.approved_by = actor
    locked.approved_on = _today()
    locked.closed_on = _today()
    _finish(
        locked,
        transition,
        actor,
        reason=reason,
        case_fields=["rejection_reason", "approved_by", "approved_on", "closed_on"],
        request=request,
    )
    _sync(case, locked)
    return locked


@transaction.atomic
def case_take_over(*, case: Case, actor: Any, reason: str, request: Any = None) -> Case:
    """Art 11: the commission above pursues a lower commission's leading cadre directly."""
    locked = _lock(case)
    commission = access.user_commission(actor)
    above = getattr(actor, "role", None) == Role.CITY_OFFICER and access.is_above(
        commission, locked.handling_organ
    )
    if not above:
        raise PermissionDenied(
            MSG_TAKE_OVER_AUTHORITY.format(organ=locked.handling_organ.name),
            code="role_not_allowed",
        )
    transition = _authorise(locked, actor, Action.CASE_TAKE_OVER, extra_roles={Role.CITY_OFFICER})
    reason = _text(reason, field="reason", label=gettext("直接追究理由"))
    roles = {p.role or p.person.role for p in locked.parties.select_related("person")}
    if not roles & LEADING_ROLES:
        raise DomainError(MSG_TAKE_OVER_LEADING, field="parties", code="leading_cadre")
    previous = locked.handling_organ.name
    locked.handling_organ = commission
    locked.taken_over_on = _today()
    locked.take_over_reason = reason
    _finish(
        locked,
        transition,
        actor,
        reason=reason,
        case_fields=["handling_organ", "taken_over_on", "take_over_reason"],
        changes={"handling_organ": [previous, commission.name]},
        request=request,
    )
    _sync(case, locked)
    return locked


# ---------------------------------------------------------------------------------------------
# 13(2) 调查核实


def _join_team(case: Case, actor: Any, user: Any, *, leader: bool) -> TeamMembership:
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
        joined_on=_today(),
        added_by=actor,
    )


@transaction.atomic
def team_form(
    *, case: Case, actor: Any, members: Sequence[Any], leader: Any, request: Any = None
) -> list[TeamMembership]:
    """Form the investigation team; anyone concerned or with a recorded conflict is refused."""
    locked = _lock(case)
    transition = _authorise(locked, actor, Action.TEAM_FORM)
    unique = list({m.pk: m for m in members}.values())
    if not unique:
        raise DomainError(MSG_TEAM_EMPTY, field="members", code="required")
    if leader is None or leader.pk not in {m.pk for m in unique}:
        raise DomainError(MSG_TEAM_LEADER, field="leader", code="leader")
    rows = [_join_team(locked, actor, m, leader=m.pk == leader.pk) for m in unique]
    _finish(
        locked,
        transition,
        actor,
        reason="调查组：" + "、".join(str(m) for m in unique),
        changes={"members": [str(m) for m in unique], "leader": str(leader)},
        request=request,
    )
    _sync(case, locked)
    return rows


@transaction.atomic
def team_member_add(*, case: Case, actor: Any, user: Any, request: Any = None) -> TeamMembership:
    """Add a member to a formed team (same recusal rules)."""
    locked = _lock(case)
    transition = _authorise(locked, actor, Action.TEAM_MEMBER_ADD)
    row = _join_team(locked, actor, user, leader=False)
    _finish(
        locked,
        transition,
        actor,
        target=row,
        audit_action="create",
        changes={"member": str(user)},
        request=request,
    )
    _sync(case, locked)
    return row


@files.removed_on_failure
@transaction.atomic
def evidence_add(
    *,
    case: Case,
    actor: Any,
    title: str,
    collected_on: date,
    description: str = "",
    party: CaseParty | None = None,
    file: Any = None,
    request: Any = None,
) -> Evidence:
    """Record a piece of evidence, optionally with its file and the person it concerns."""
    locked = _lock(case)
    transition = _authorise(locked, actor, Action.EVIDENCE_ADD)
    title = _text(title, field="title", label=gettext("证据名称"))
    collected_on = _day(collected_on, field="collected_on", label=gettext("取得日期"))
    if party is not None:
        _party_of(locked, party)
    attachment = _store_file(locked, actor, file, title) if file is not None else None
    evidence = Evidence.objects.create(
        case=locked,
        party=party,
        title=title,
        description=(description or "").strip(),
        collected_on=collected_on,
        attachment=attachment,
        added_by=actor,
    )
    _finish(
        locked,
        transition,
        actor,
        party=party,
        target=evidence,
        audit_action="create",
        changes={"title": title, "sha256": attachment.sha256 if attachment else None},
        request=request,
    )
    _sync(case, locked)
    return evidence


@transaction.atomic
def hearing_record(
    *,
    party: CaseParty,
    actor: Any,
    held_on: date,
    statement: str,
    defence: str = "",
    request: Any = None,
) -> Hearing:
    """听取陈述和申辩 (13(2)): the person's statement and defence."""
    case = _lock(party.case)
    transition = _authorise(case, actor, Action.HEARING_RECORD)
    statement = _text(statement, field="statement", label=gettext("本人陈述"))
    held_on = _day(held_on, field="held_on", label=gettext("谈话日期"))
    hearing = Hearing.objects.create(
        party=party,
        held_on=held_on,
        statement=statement,
        defence=(defence or "").strip(),
        recorded_by=actor,
    )
    _finish(
        case,
        transition,
        actor,
        party=party,
        target=hearing,
        audit_action="create",
        changes={"held_on": held_on},
        request=request,
    )
    _sync(party.case, case)
    return hearing


@transaction.atomic
def hearing_refusal_record(
    *, party: CaseParty, actor: Any, held_on: date, refusal_record: str, request: Any = None
) -> Hearing:
    """The record that the person refused to make a statement or defence."""
    case = _lock(party.case)
    transition = _authorise(case, actor, Action.HEARING_REFUSAL_RECORD)
    refusal_record = _text(
        refusal_record, field="refusal_record", label=gettext("拒绝陈述申辩的记录")
    )
    held_on = _day(held_on, field="held_on", label=gettext("谈话日期"))
    hearing = Hearing.objects.create(
        party=party,
        held_on=held_on,
        refused=True,
        refusal_record=refusal_record,
        recorded_by=actor,
    )
    _finish(
        case,
        transition,
        actor,
        party=party,
        target=hearing,
        audit_action="create",
        reason=refusal_record,
        changes={"held_on": held_on, "refused": True},
        request=request,
    )
    _sync(party.case, case)
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


@transaction.atomic
def report_submit(
    *,
    case: Case,
    actor: Any,
    summary: str,
    findings: Sequence[FindingInput | Mapping[str, Any]],
    submitted_on: date | None = None,
    request: Any = None,
) -> InvestigationReport:
    """The investigation report to the standing committee: one finding per person.

    Each finding stores the rulebook's assessment of the person's facts (inputs, version,
    explanation); a recommendation outside the measures it opens needs a written reason.
    """
    locked = _lock(case)
    transition = _authorise(locked, actor, Action.REPORT_SUBMIT)
    summary = _text(summary, field="summary", label=gettext("调查情况"))
    parties = list(locked.parties.select_related("person"))
    if not parties:
        raise DomainError(
            MSG_NO_PARTY.format(action=transition.label), field="parties", code="no_party"
        )
    for party in parties:
        if not party.facts_complete:
            raise DomainError(
                MSG_FACTS_INCOMPLETE.format(name=party.person.name),
                field="facts",
                code="facts_incomplete",
            )
    given: dict[int, FindingInput] = {}
    for raw in findings:
        item = _finding_input(raw)
        _party_of(locked, item.party)
        if item.party.pk in given:
            raise DomainError(
                MSG_FINDING_DUPLICATE.format(name=item.party.person.name),
                field="findings",
                code="duplicate",
            )
        given[item.party.pk] = item
    today = _day(submitted_on or _today(), field="submitted_on", label=gettext("报告日期"))
    report = InvestigationReport.objects.create(
        case=locked,
        number=locked.reports.count() + 1,
        summary=summary,
        submitted_on=today,
        submitted_by=actor,
    )
    for party in parties:
        item = given.get(party.pk)
        name = party.person.name
        if item is None:
            raise DomainError(
                MSG_FINDING_MISSING.format(name=name), field="findings", code="missing"
            )
        if item.recommendation not in Recommendation.values:
            raise DomainError(MSG_RECOMMENDATION, field="recommendation", code="choice")
        pursue = item.recommendation == Recommendation.PURSUE
        measures = _validate_measures(name, item.measures, on=today, pursue=pursue)
        inputs = case_facts.party_inputs(party, decided_on=today)
        assessment = case_facts.assess(inputs, name=name)
        departs = _check_departure(
            name,
            assessment,
            pursue=pursue,
            measures=measures,
            reason=item.departure_reason,
            field="departure_reason",
        )
        ReportFinding.objects.create(
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
    _finish(
        locked,
        transition,
        actor,
        reason=summary,
        target=report,
        changes={
            "report": report.number,
            "findings": {p.person.name: given[p.pk].recommendation for p in parties},
        },
        request=request,
    )
    _sync(case, locked)
    return report


@transaction.atomic
def report_return(*, case: Case, actor: Any, reason: str, request: Any = None) -> Case:
    """退回补充调查: the report goes back to the team, which reports again."""
    locked = _lock(case)
    transition = _authorise(locked, actor, Action.REPORT_RETURN)
    reason = _text(reason, field="reason", label=gettext("退回理由"))
    report = locked.reports.order_by("-number").first()
    if report is not None:
        report.returned_at = timezone.now()
        report.return_reason = reason
        report.save(update_fields=["returned_at", "return_reason"])
    _finish(locked, transition, actor, reason=reason, request=request)
    _sync(case, locked)
    return locked


# ---------------------------------------------------------------------------------------------
# 13(3) 研究决定


def _voting_count(meeting: CommitteeMeeting) -> int:
    recused = set(meeting.recusals.values_list("person_id", flat=True))
    return sum(
        1 for pk in meeting.members_present.values_list("pk", flat=True) if pk not in recused
    )


def _quorum_error(n: int, size: int, rule: str) -> DomainError:
    return DomainError(
        MSG_QUORUM.format(
            n=n,
            rule=CommitteeMeeting.QuorumRule(rule).label,
            size=size,
            required=quorum_required(size, rule),
        ),
        field="members_present",
        code="quorum",
    )


@transaction.atomic
def meeting_record(
    *,
    case: Case,
    actor: Any,
    held_on: date,
    members_present: Sequence[Person],
    votes_for: int,
    votes_against: int = 0,
    votes_abstain: int = 0,
    members_recused: Sequence[Person] = (),
    minutes: str = "",
    request: Any = None,
) -> CommitteeMeeting:
    """The standing committee's meeting on the report (13(3)).

    ``members_present`` are the members in the room; ``members_recused`` stand aside (回避)
    and do not vote. A member concerned by the case or with a recorded conflict must be among
    the recused. The quorum (setting CASES_QUORUM_RULE, default more than half of the
    CASES_COMMITTEE_SIZE members) counts the members who vote; a meeting without it is refused.
    """
    locked = _lock(case)
    transition = _authorise(locked, actor, Action.MEETING_RECORD)
    report = locked.reports.order_by("-number").first()
    reported_on = report.submitted_on if report else None
    held_on = _day(
        held_on,
        field="held_on",
        label=gettext("会议日期"),
        not_before=reported_on,
        not_before_label=gettext("调查报告提交日期"),
    )
    present = list({p.pk: p for p in members_present}.values())
    if not present:
        raise DomainError(MSG_MEMBERS_PRESENT, field="members_present", code="required")
    size = committee_size()
    rule = quorum_rule()
    if len(present) > size:
        raise DomainError(
            MSG_TOO_MANY_PRESENT.format(n=len(present), size=size),
            field="members_present",
            code="too_many",
        )
    recused = list({p.pk: p for p in members_recused}.values())
    recused_ids = {p.pk for p in recused}
    for person in present:
        if person.pk in recused_ids:
            continue
        if _is_party(locked, person=person):
            raise DomainError(
                MSG_VOTE_RECUSAL_PARTY.format(name=person.name),
                field="members_recused",
                code="recusal",
            )
        conflict = _conflict_of(locked, person=person)
        if conflict is not None:
            raise DomainError(
                MSG_VOTE_RECUSAL_CONFLICT.format(
                    name=person.name,
                    kind=conflict.get_kind_display(),
                    note=_conflict_note(conflict),
                ),
                field="members_recused",
                code="recusal",
            )
    voting = [p for p in present if p.pk not in recused_ids]
    if len(voting) < quorum_required(size, rule):
        raise _quorum_error(len(voting), size, rule)
    votes = [int(votes_for), int(votes_against), int(votes_abstain)]
    if min(votes) < 0 or sum(votes) != len(voting):
        raise DomainError(
            MSG_VOTES_TOTAL.format(total=sum(votes), n=len(voting)),
            field="votes_for",
            code="votes",
        )
    meeting = CommitteeMeeting.objects.create(
        case=locked,
        held_on=held_on,
        committee_size=size,
        quorum_rule=rule,
        votes_for=votes[0],
        votes_against=votes[1],
        votes_abstain=votes[2],
        minutes=(minutes or "").strip(),
        recorded_by=actor,
    )
    meeting.members_present.set(present)
    for person in recused:
        with source_language():
            recusal = recusal_reason(locked, person=person) or MSG_RECUSAL_SELF
        MeetingRecusal.objects.create(meeting=meeting, person=person, reason=recusal)
    _finish(
        locked,
        transition,
        actor,
        target=meeting,
        audit_action="create",
        changes={
            "held_on": held_on,
            "present": [p.name for p in present],
            "recused": [p.name for p in recused],
            "votes": votes,
            "quorum_rule": rule,
            "committee_size": size,
        },
        request=request,
    )
    _sync(case, locked)
    return meeting


def _rectification_deadline(
    name: str, measures: Sequence[str], deadline: date | None, *, after: date
) -> date | None:
    if case_facts.RECTIFICATION_MEASURE not in measures:
        return None
    if deadline is None:
        raise DomainError(
            MSG_RECTIFICATION_DEADLINE.format(name=name),
            field="rectification_deadline",
            code="required",
        )
    if deadline <= after:
        raise DomainError(
            MSG_RECTIFICATION_DEADLINE_ORDER.format(decided=after.isoformat()),
            field="rectification_deadline",
            code="date_order",
        )
    return deadline


@transaction.atomic
def decision_record(
    *,
    party: CaseParty,
    meeting: CommitteeMeeting,
    actor: Any,
    outcome: str,
    measures: Sequence[str] = (),
    reason: str = "",
    rectification_deadline: date | None = None,
    decided_on: date | None = None,
    request: Any = None,
) -> Decision:
    """The committee's decision for one person (追究 with measures, or 不予追究).

    Refused for a person not heard and without a recorded refusal (13(2)), and on a meeting
    without quorum or whose vote failed. Stores the assessment it was made with (inputs,
    rulebook version, explanation) as version 1 of the decision.
    """
    case = _lock(party.case)
    transition = _authorise(case, actor, Action.DECISION_RECORD)
    _party_of(case, party)
    name = party.person.name
    if meeting.case_id != case.pk:
        raise DomainError(MSG_MEETING_OTHER_CASE, field="meeting", code="other_case")
    voting = _voting_count(meeting)
    if voting < quorum_required(meeting.committee_size, meeting.quorum_rule):
        raise _quorum_error(voting, meeting.committee_size, meeting.quorum_rule)
    if meeting.votes_for < votes_required(meeting.committee_size):
        raise DomainError(
            MSG_MOTION_FAILED.format(
                votes=meeting.votes_for, required=votes_required(meeting.committee_size)
            ),
            field="meeting",
            code="motion_failed",
        )
    if Decision.objects.filter(party=party).exists():
        raise DomainError(MSG_ALREADY_DECIDED.format(name=name), field="party", code="decided")
    if not party.hearings.exists():
        raise DomainError(MSG_NOT_HEARD.format(name=name), field="party", code="not_heard")
    if outcome not in (Outcome.PURSUE, Outcome.NOT_PURSUE):
        raise DomainError(MSG_OUTCOME, field="outcome", code="choice")
    decided_on = _day(
        decided_on or meeting.held_on,
        field="decided_on",
        label=gettext("决定日期"),
        not_before=meeting.held_on,
        not_before_label=gettext("会议日期"),
    )
    pursue = outcome == Outcome.PURSUE
    chosen = _validate_measures(name, measures, on=decided_on, pursue=pursue)
    inputs = case_facts.party_inputs(party, decided_on=decided_on, imposed=chosen)
    assessment = case_facts.assess(inputs, name=name)
    reason = (reason or "").strip()
    departs = _check_departure(
        name, assessment, pursue=pursue, measures=chosen, reason=reason, field="reason"
    )
    deadline = _rectification_deadline(name, chosen, rectification_deadline, after=decided_on)
    decision = Decision.objects.create(
        party=party, meeting=meeting, decided_on=decided_on, recorded_by=actor
    )
    version = DecisionVersion.objects.create(
        decision=decision,
        number=1,
        source=DecisionVersion.Source.COMMITTEE,
        outcome=outcome,
        measures=chosen,
        reason=reason,
        effective_on=decided_on,
        inputs=inputs,
        assessment=assessment,
        rulebook_version=str(assessment.get("rulebook", "")),
        departs=departs,
        created_by=actor,
    )
    decision.current_version = version
    decision.save(update_fields=["current_version"])
    if deadline is not None:
        Rectification.objects.create(decision=decision, deadline=deadline)
    complete = not case.parties.filter(decision__isnull=True).exists()
    _finish(
        case,
        transition,
        actor,
        party=party,
        reason=reason,
        complete=complete,
        target=decision,
        audit_action="create",
        changes={
            "outcome": outcome,
            "measures": chosen,
            "rulebook": version.rulebook_version,
            "departs": departs,
            "rectification_deadline": deadline,
        },
        request=request,
    )
    _sync(party.case, case)
    return decision


# ---------------------------------------------------------------------------------------------
# 13(4) 执行决定


def _lock_decision(decision: Decision) -> tuple[Case, Decision]:
    case = _lock(decision.party.case)
    locked = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("party__person", "current_version")
        .get(pk=decision.pk)
    )
    return case, locked


@transaction.atomic
def decision_mark_issued(
    *,
    decision: Decision,
    actor: Any,
    document_number: str,
    issued_on: date | None = None,
    request: Any = None,
) -> Decision:
    """Record that the decision document (决定文书) was issued; the documents app makes it."""
    case, locked = _lock_decision(decision)
    transition = _authorise(case, actor, Action.DECISION_ISSUE)
    name = locked.party.person.name
    if locked.issued_on is not None:
        raise DomainError(
            MSG_ALREADY_ISSUED.format(name=name, number=locked.document_number),
            field="document_number",
            code="issued",
        )
    number = _text(document_number, field="document_number", label=gettext("决定文书字号"))
    issued_on = _day(
        issued_on or _today(),
        field="issued_on",
        label=gettext("印发日期"),
        not_before=locked.decided_on,
        not_before_label=gettext("决定日期"),
    )
    locked.document_number = number
    locked.issued_on = issued_on
    locked.save(update_fields=["document_number", "issued_on"])
    complete = not Decision.objects.filter(party__case=case, issued_on__isnull=True).exists()
    _finish(
        case,
        transition,
        actor,
        party=locked.party,
        complete=complete,
        target=locked,
        audit_action="update",
        changes={"document_number": number, "issued_on": issued_on},
        request=request,
    )
    _sync(decision.party.case, case)
    decision.refresh_from_db()
    return locked


def _fully_delivered(case: Case) -> bool:
    total = Decision.objects.filter(party__case=case).count()
    done = (
        Decision.objects.filter(party__case=case, deliveries__recipient=Delivery.Recipient.PERSON)
        .filter(deliveries__recipient=Delivery.Recipient.UNIT)
        .distinct()
        .count()
    )
    return total == done


@transaction.atomic
def delivery_record(
    *,
    decision: Decision,
    actor: Any,
    recipient: str,
    delivered_on: date,
    manner: str,
    received_by: str = "",
    note: str = "",
    request: Any = None,
) -> Delivery:
    """送达 to the person or their unit; delivery to the person starts the appeal period.

    The appeal deadline is counted by the rulebook (Art 16, the PRC holiday calendar) from the
    recorded delivery to the person, and stored with any warning it carries.
    """
    case, locked = _lock_decision(decision)
    transition = _authorise(case, actor, Action.DELIVERY_RECORD)
    name = locked.party.person.name
    if recipient not in Delivery.Recipient.values:
        raise DomainError(MSG_RECIPIENT, field="recipient", code="choice")
    if manner not in Delivery.Manner.values:
        allowed = join_list(Delivery.Manner.labels)
        raise DomainError(MSG_MANNER.format(allowed=allowed), field="manner", code="choice")
    existing = locked.deliveries.filter(recipient=recipient).first()
    if existing is not None:
        raise DomainError(
            MSG_ALREADY_DELIVERED.format(
                name=name,
                date=existing.delivered_on.isoformat(),
                recipient=existing.get_recipient_display(),
            ),
            field="recipient",
            code="delivered",
        )
    delivered_on = _day(
        delivered_on,
        field="delivered_on",
        label=gettext("送达日期"),
        not_before=locked.issued_on,
        not_before_label=gettext("印发日期"),
    )
    delivery = Delivery.objects.create(
        decision=locked,
        recipient=recipient,
        delivered_on=delivered_on,
        manner=manner,
        received_by=(received_by or "").strip(),
        note=(note or "").strip(),
        recorded_by=actor,
    )
    changes: dict[str, Any] = {
        "recipient": recipient,
        "delivered_on": delivered_on,
        "manner": manner,
    }
    if recipient == Delivery.Recipient.PERSON and locked.outcome == Outcome.PURSUE:
        inputs = dict(locked.current_version.inputs)
        inputs["received_on"] = delivered_on.isoformat()
        result = case_facts.assess(inputs, name=name)
        locked.appeal_deadline = date.fromisoformat(result["appeal_deadline"])
        locked.appeal_deadline_warnings = list(result.get("warnings") or [])
        locked.save(update_fields=["appeal_deadline", "appeal_deadline_warnings"])
        changes["appeal_deadline"] = locked.appeal_deadline
    _finish(
        case,
        transition,
        actor,
        party=locked.party,
        complete=_fully_delivered(case),
        target=delivery,
        audit_action="create",
        changes=changes,
        request=request,
    )
    _sync(decision.party.case, case)
    decision.refresh_from_db()
    return delivery


def _latest_decision_date(case: Case) -> date | None:
    row = Decision.objects.filter(party__case=case).order_by("-decided_on").first()
    return row.decided_on if row else None


@transaction.atomic
def archive_record(
    *,
    case: Case,
    actor: Any,
    archived_on: date,
    received_by: str = "",
    note: str = "",
    request: Any = None,
) -> ArchiveRecord:
    """Materials sent to the organisation department for the personal dossiers (13(4))."""
    locked = _lock(case)
    transition = _authorise(locked, actor, Action.ARCHIVE_RECORD)
    existing = ArchiveRecord.objects.filter(case=locked).first()
    if existing is not None:
        raise DomainError(
            MSG_ALREADY_ARCHIVED.format(date=existing.archived_on.isoformat()),
            field="archived_on",
            code="archived",
        )
    archived_on = _day(
        archived_on,
        field="archived_on",
        label=gettext("归档日期"),
        not_before=_latest_decision_date(locked),
        not_before_label=gettext("决定日期"),
    )
    record = ArchiveRecord.objects.create(
        case=locked,
        archived_on=archived_on,
        archivist=actor if getattr(actor, "role", None) == Role.ARCHIVIST else None,
        received_by=(received_by or "").strip(),
        note=(note or "").strip(),
        recorded_by=actor,
    )
    complete = CityFiling.objects.filter(case=locked).exists()
    _finish(
        locked,
        transition,
        actor,
        complete=complete,
        target=record,
        audit_action="create",
        changes={"archived_on": archived_on},
        request=request,
    )
    _sync(case, locked)
    return record


@transaction.atomic
def city_filing_record(
    *,
    case: Case,
    actor: Any,
    filed_on: date,
    reference: str = "",
    note: str = "",
    request: Any = None,
) -> CityFiling:
    """报市纪委纪检监察干部监督室备案 (13(4)); the city office then sees the case."""
    locked = _lock(case)
    transition = _authorise(locked, actor, Action.CITY_FILING_RECORD)
    existing = CityFiling.objects.filter(case=locked).first()
    if existing is not None:
        raise DomainError(
            MSG_ALREADY_FILED.format(date=existing.filed_on.isoformat()),
            field="filed_on",
            code="filed",
        )
    filed_on = _day(
        filed_on,
        field="filed_on",
        label=gettext("报备日期"),
        not_before=_latest_decision_date(locked),
        not_before_label=gettext("决定日期"),
    )
    record = CityFiling.objects.create(
        case=locked,
        filed_on=filed_on,
        reference=(reference or "").strip(),
        note=(note or "").strip(),
        recorded_by=actor,
    )
    complete = ArchiveRecord.objects.filter(case=locked).exists()
    _finish(
        locked,
        transition,
        actor,
        complete=complete,
        target=record,
        audit_action="create",
        changes={"filed_on": filed_on, "reference": record.reference},
        request=request,
    )
    _sync(case, locked)
    return record


# ---------------------------------------------------------------------------------------------
# Art 16 申诉


@transaction.atomic
def appeal_register(
    *,
    decision: Decision,
    actor: Any,
    received_on: date,
    content: str,
    manner: str = Appeal.Manner.IN_PERSON,
    postmark_on: date | None = None,
    written: bool = True,
    reviewing_organ: Organisation | None = None,
    late_acceptance_reason: str = "",
    request: Any = None,
) -> Appeal:
    """Register a written appeal (Art 16).

    The deadline is the one counted from the recorded delivery to the person; a mailed appeal
    counts by its postmark. A late appeal is never silently accepted: with
    ``late_acceptance_reason`` (a justified delay, e.g. force majeure) it is registered as
    late and goes to review; without one it is recorded as 逾期不予受理 and the decision
    stays on its way to becoming final.
    """
    case, locked = _lock_decision(decision)
    transition = _authorise(case, actor, Action.APPEAL_REGISTER)
    name = locked.party.person.name
    if locked.outcome != Outcome.PURSUE:
        raise DomainError(
            MSG_APPEAL_NOT_PURSUED.format(name=name, outcome=Outcome(locked.outcome).label),
            field="decision",
            code="not_pursued",
        )
    person_delivery = locked.deliveries.filter(recipient=Delivery.Recipient.PERSON).first()
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
            MSG_APPEAL_REVIEWED_EXISTS.format(name=name, date=reviewed.reviewed_on.isoformat()),
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
            raise DomainError(MSG_APPEAL_POSTMARK_ORDER, field="postmark_on", code="date_order")
    else:
        postmark_on = None
    filed_on = postmark_on or received_on
    if filed_on < delivered_on:
        raise DomainError(
            MSG_APPEAL_BEFORE_DELIVERY.format(date=delivered_on.isoformat()),
            field="postmark_on" if postmark_on else "received_on",
            code="date_order",
        )
    organ = reviewing_organ or case.handling_organ
    if organ.pk not in {case.handling_organ_id, case.handling_organ.parent_id}:
        raise DomainError(
            MSG_REVIEWING_ORGAN.format(organ=case.handling_organ.name),
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
    _finish(
        case,
        transition,
        actor,
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
        request=request,
    )
    _sync(decision.party.case, case)
    return appeal


@transaction.atomic
def appeal_review_record(
    *,
    appeal: Appeal,
    actor: Any,
    reviewed_on: date,
    outcome: str,
    reason: str,
    measures: Sequence[str] = (),
    rectification_deadline: date | None = None,
    request: Any = None,
) -> DecisionVersion:
    """The review of an appeal: upheld, changed or revoked, each as a new decision version.

    The earlier versions are kept unchanged. A changed decision is assessed with the same
    facts and decision date (restriction periods keep counting from the original decision),
    with the new measures imposed; changing to 不予追究 is recorded as revoking.
    """
    case, decision = _lock_decision(appeal.decision)
    appeal = (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("reviewing_organ")
        .get(pk=appeal.pk)
    )
    commission = access.user_commission(actor)
    at_reviewing_organ = commission is not None and commission.pk == appeal.reviewing_organ_id
    extra = (
        {Role.CITY_OFFICER}
        if (at_reviewing_organ and getattr(actor, "role", None) == Role.CITY_OFFICER)
        else set()
    )
    transition = _authorise(case, actor, Action.APPEAL_REVIEW_RECORD, extra_roles=extra)
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
    current = decision.current_version
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
            outcome=Outcome.REVOKED, measures=[], assessment={}, rulebook_version="", departs=False
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
    appeal.save(update_fields=["status", "outcome", "reviewed_on", "review_reason", "reviewed_by"])
    _finish(
        case,
        transition,
        actor,
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
        request=request,
    )
    _sync(appeal.decision.party.case, case)
    return version


# ---------------------------------------------------------------------------------------------
# Art 10 责令限期整改 and closing


@transaction.atomic
def rectification_complete(
    *,
    rectification: Rectification,
    actor: Any,
    completed_on: date,
    evidence: str,
    request: Any = None,
) -> Rectification:
    """Record that a rectification was completed, with the evidence of it."""
    case, decision = _lock_decision(rectification.decision)
    transition = _authorise(case, actor, Action.RECTIFICATION_COMPLETE)
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
    _finish(
        case,
        transition,
        actor,
        party=decision.party,
        target=row,
        audit_action="update",
        reason=evidence,
        changes={
            "completed_on": completed_on,
            "deadline": row.deadline,
            "overdue": completed_on > row.deadline,
        },
        request=request,
    )
    _sync(rectification.decision.party.case, case)
    rectification.refresh_from_db()
    return row


@transaction.atomic
def case_close(*, case: Case, actor: Any, reason: str = "", request: Any = None) -> Case:
    """办结: every decision final (生效) or revoked, archived and filed, rectifications done."""
    from accountability.cases.selectors import decision_is_final

    locked = _lock(case)
    transition = _authorise(locked, actor, Action.CASE_CLOSE)
    today = _today()
    decisions = Decision.objects.filter(party__case=locked).select_related(
        "party__person", "current_version"
    )
    for decision in decisions:
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
        open_row = decision.rectifications.filter(
            completed_on__isnull=True, cancelled_on__isnull=True
        ).first()
        if open_row is not None:
            raise DomainError(
                MSG_CLOSE_RECTIFICATION.format(name=name, deadline=open_row.deadline.isoformat()),
                field="state",
                code="rectification_open",
            )
    locked.closed_on = today
    _finish(
        locked,
        transition,
        actor,
        reason=(reason or "").strip(),
        case_fields=["closed_on"],
        request=request,
    )
    _sync(case, locked)
    return locked
