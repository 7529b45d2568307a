"""13(3) 研究决定: the standing committee's meeting, quorum and decisions."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accountability.accounts.models import User
from accountability.cases import facts as case_facts
from accountability.cases.models import (
    Case,
    CaseParty,
    CommitteeMeeting,
    Decision,
    DecisionVersion,
    MeetingRecusal,
    Outcome,
    Rectification,
)
from accountability.cases.services._common import (
    _check_departure,
    _conflict_note,
    _conflict_of,
    _day,
    _is_party,
    _party_of,
    _rectification_deadline,
    _validate_measures,
    recusal_reason,
)
from accountability.cases.services._step import service, step
from accountability.cases.workflow import Action
from accountability.common.errors import DomainError
from accountability.common.i18n import source_language
from accountability.people.models import Person

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


DEFAULT_COMMITTEE_SIZE = 9


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


@service(Action.MEETING_RECORD)
def meeting_record(
    *,
    case: Case,
    actor: User,
    held_on: date,
    members_present: Sequence[Person],
    votes_for: int,
    votes_against: int = 0,
    votes_abstain: int = 0,
    members_recused: Sequence[Person] = (),
    minutes: str = "",
    request: HttpRequest | None = None,
) -> CommitteeMeeting:
    """The standing committee's meeting on the report (13(3)).

    ``members_present`` are the members in the room; ``members_recused`` stand aside (回避)
    and do not vote. A member concerned by the case or with a recorded conflict must be among
    the recused. The quorum (setting CASES_QUORUM_RULE, default more than half of the
    CASES_COMMITTEE_SIZE members) counts the members who vote; a meeting without it is refused.
    """
    with step(case, actor, Action.MEETING_RECORD, request=request) as s:
        report = s.case.reports.order_by("-number").first()
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
            if _is_party(s.case, person=person):
                raise DomainError(
                    MSG_VOTE_RECUSAL_PARTY.format(name=person.name),
                    field="members_recused",
                    code="recusal",
                )
            conflict = _conflict_of(s.case, person=person)
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
            case=s.case,
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
                recusal = recusal_reason(s.case, person=person) or MSG_RECUSAL_SELF
            MeetingRecusal.objects.create(meeting=meeting, person=person, reason=recusal)
        s.record(
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
            on=held_on,
        )
    return meeting


@service(Action.DECISION_RECORD)
def decision_record(
    *,
    party: CaseParty,
    meeting: CommitteeMeeting,
    actor: User,
    outcome: str,
    measures: Sequence[str] = (),
    reason: str = "",
    rectification_deadline: date | None = None,
    decided_on: date | None = None,
    request: HttpRequest | None = None,
) -> Decision:
    """The committee's decision for one person (追究 with measures, or 不予追究).

    Refused for a person not heard and without a recorded refusal (13(2)), and on a meeting
    without quorum or whose vote failed. Stores the assessment it was made with (inputs,
    rulebook version, explanation) as version 1 of the decision.
    """
    with step(party.case, actor, Action.DECISION_RECORD, request=request) as s:
        _party_of(s.case, party)
        name = party.person.name
        if meeting.case_id != s.case.pk:
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
        if not party.hearings.filter(withdrawn_at__isnull=True).exists():
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
        s.record(
            party=party,
            reason=reason,
            target=decision,
            audit_action="create",
            changes={
                "outcome": outcome,
                "measures": chosen,
                "rulebook": version.rulebook_version,
                "departs": departs,
                "rectification_deadline": deadline,
            },
        )
    return decision
