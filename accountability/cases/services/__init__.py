"""Writes for cases: every workflow action, one transaction each (STYLE.md 6, 8).

The package follows Art 13 of the measures (实施责任追究的主要程序), one module a stage:

    第十三条第(一)项 线索受理        intake.py         clue_register, party_add, party_facts_update,
                                                   conflict_declare, attachment_add, clue_approve,
                                                   clue_reject; 第十一条 case_take_over
    第十三条第(二)项 调查核实        investigation.py  team_form, team_member_add, evidence_add,
                                                   hearing_record, hearing_refusal_record,
                                                   hearing_correct, hearing_withdraw,
                                                   evidence_correct, evidence_withdraw,
                                                   report_submit, report_return
    第十三条第(三)项 研究决定        decision.py       meeting_record, decision_record;
                                                   committee_size, quorum_rule,
                                                   quorum_required, votes_required
    第十三条第(四)项 执行决定        execution.py      decision_mark_issued, delivery_record,
                                                   delivery_correct, delivery_withdraw,
                                                   archive_record, city_filing_record
    第十六条 申诉                    appeal.py         appeal_register, appeal_review_record
    第十条 责令限期整改, 办结        closing.py        rectification_complete, case_close

    _step.py    the skeleton every action shares (lock, authorise, record the transition and
                its audit entry, refresh the caller's instance)
    _common.py  validators and checks the stages share (dates, texts, measures, files, recusal)
    _records.py correcting and withdrawing a record entered by mistake (who may, the history)

Every service is keyword-only (``request`` is optional and only enriches the audit entry) and
its docstring says what it records. Every refusal is a DomainError (or PermissionDenied) with
a Chinese message naming the field and the rule; the messages are module constants (MSG_*),
all re-exported here: ``from accountability.cases import services; services.clue_approve(...)``.

Decisions taken here:

* Recusal (回避, cases/access.py): a person concerned by the case, or anyone with a recorded
  conflict (close relative, interest, earlier witness), cannot join the team or vote, and
  stands aside from every other step of the case too (no role on it, no view of it).
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

from accountability.cases.services import _step
from accountability.cases.services._common import (
    DEFAULT_ATTACHMENT_MAX_MB,
    LEADING_ROLES,
    MSG_ATTACHMENT_EMPTY,
    MSG_ATTACHMENT_TOO_LARGE,
    MSG_DATE_ORDER,
    MSG_DEPARTURE,
    MSG_DEPARTURE_NOT_PURSUE,
    MSG_FUTURE_DATE,
    MSG_MEASURE_UNKNOWN,
    MSG_MEASURES_NOT_ALLOWED,
    MSG_MEASURES_REQUIRED,
    MSG_NO_PARTY,
    MSG_PARTY_OTHER_CASE,
    MSG_RECTIFICATION_DEADLINE,
    MSG_RECTIFICATION_DEADLINE_ORDER,
    MSG_RECUSAL_CONFLICT,
    MSG_RECUSAL_PARTY,
    MSG_REQUIRED,
    NON_TEAM_ROLES,
    _attachment_max_bytes,
    recusal_reason,
)
from accountability.cases.services._records import MSG_NO_CHANGE, MSG_NOT_AUTHOR, MSG_WITHDRAWN
from accountability.cases.services._step import (
    WHAT_ACT,
)
from accountability.cases.services.appeal import (
    LATE_REJECTION_NOTE,
    MSG_APPEAL_BEFORE_DELIVERY,
    MSG_APPEAL_MANNER,
    MSG_APPEAL_NOT_DELIVERED,
    MSG_APPEAL_NOT_PENDING,
    MSG_APPEAL_NOT_PURSUED,
    MSG_APPEAL_NOT_WRITTEN,
    MSG_APPEAL_PENDING_EXISTS,
    MSG_APPEAL_POSTMARK,
    MSG_APPEAL_POSTMARK_ORDER,
    MSG_APPEAL_REVIEWED_EXISTS,
    MSG_REVIEW_MEASURES,
    MSG_REVIEW_OUTCOME,
    MSG_REVIEW_SAME,
    MSG_REVIEWER_ORGAN,
    MSG_REVIEWING_ORGAN,
    RECTIFICATION_CANCEL_REASON,
    appeal_register,
    appeal_review_record,
)
from accountability.cases.services.closing import (
    MSG_CLOSE_APPEAL_PENDING,
    MSG_CLOSE_NOT_DELIVERED,
    MSG_CLOSE_NOT_FINAL,
    MSG_CLOSE_RECTIFICATION,
    MSG_RECTIFICATION_CANCELLED,
    MSG_RECTIFICATION_CLOSED,
    MSG_RECTIFICATION_DONE,
    case_close,
    rectification_complete,
)
from accountability.cases.services.decision import (
    DEFAULT_COMMITTEE_SIZE,
    MSG_ALREADY_DECIDED,
    MSG_MEETING_OTHER_CASE,
    MSG_MEMBERS_PRESENT,
    MSG_MOTION_FAILED,
    MSG_NOT_HEARD,
    MSG_OUTCOME,
    MSG_QUORUM,
    MSG_RECUSAL_SELF,
    MSG_TOO_MANY_PRESENT,
    MSG_VOTE_RECUSAL_CONFLICT,
    MSG_VOTE_RECUSAL_PARTY,
    MSG_VOTES_TOTAL,
    committee_size,
    decision_record,
    meeting_record,
    quorum_required,
    quorum_rule,
    votes_required,
)
from accountability.cases.services.execution import (
    MSG_ALREADY_ARCHIVED,
    MSG_ALREADY_DELIVERED,
    MSG_ALREADY_FILED,
    MSG_ALREADY_ISSUED,
    MSG_DELIVERY_APPEALED,
    MSG_MANNER,
    MSG_RECIPIENT,
    archive_record,
    city_filing_record,
    decision_mark_issued,
    delivery_correct,
    delivery_record,
    delivery_withdraw,
)
from accountability.cases.services.intake import (
    MSG_CONFLICT_KIND,
    MSG_CONFLICT_WHO,
    MSG_NO_COMMISSION,
    MSG_ORGAN_NOT_OWN,
    MSG_PARTY_AUTHORITY,
    MSG_PARTY_DUPLICATE,
    MSG_REGISTER_ROLE,
    MSG_RESPONSIBILITY_KIND,
    MSG_RESPONSIBILITY_SCOPE,
    MSG_SOURCE,
    MSG_TAKE_OVER_AUTHORITY,
    MSG_TAKE_OVER_LEADING,
    attachment_add,
    case_take_over,
    clue_approve,
    clue_register,
    clue_reject,
    conflict_declare,
    party_add,
    party_facts_update,
)
from accountability.cases.services.investigation import (
    MSG_FACTS_INCOMPLETE,
    MSG_FINDING_DUPLICATE,
    MSG_FINDING_MISSING,
    MSG_HEARING_LAST,
    MSG_RECOMMENDATION,
    MSG_TEAM_ALREADY,
    MSG_TEAM_EMPTY,
    MSG_TEAM_INELIGIBLE,
    MSG_TEAM_LEADER,
    WHAT_TEAM,
    FindingInput,
    evidence_add,
    evidence_correct,
    evidence_withdraw,
    hearing_correct,
    hearing_record,
    hearing_refusal_record,
    hearing_withdraw,
    report_return,
    report_submit,
    team_form,
    team_member_add,
)

# Every guard and completion the workflow table names has its check (registered above).
_step.check_table()

__all__ = [
    "DEFAULT_ATTACHMENT_MAX_MB",
    "DEFAULT_COMMITTEE_SIZE",
    "LATE_REJECTION_NOTE",
    "LEADING_ROLES",
    "MSG_ALREADY_ARCHIVED",
    "MSG_ALREADY_DECIDED",
    "MSG_ALREADY_DELIVERED",
    "MSG_ALREADY_FILED",
    "MSG_ALREADY_ISSUED",
    "MSG_APPEAL_BEFORE_DELIVERY",
    "MSG_APPEAL_MANNER",
    "MSG_APPEAL_NOT_DELIVERED",
    "MSG_APPEAL_NOT_PENDING",
    "MSG_APPEAL_NOT_PURSUED",
    "MSG_APPEAL_NOT_WRITTEN",
    "MSG_APPEAL_PENDING_EXISTS",
    "MSG_APPEAL_POSTMARK",
    "MSG_APPEAL_POSTMARK_ORDER",
    "MSG_APPEAL_REVIEWED_EXISTS",
    "MSG_ATTACHMENT_EMPTY",
    "MSG_ATTACHMENT_TOO_LARGE",
    "MSG_CLOSE_APPEAL_PENDING",
    "MSG_CLOSE_NOT_DELIVERED",
    "MSG_CLOSE_NOT_FINAL",
    "MSG_CLOSE_RECTIFICATION",
    "MSG_CONFLICT_KIND",
    "MSG_CONFLICT_WHO",
    "MSG_DATE_ORDER",
    "MSG_DELIVERY_APPEALED",
    "MSG_DEPARTURE",
    "MSG_DEPARTURE_NOT_PURSUE",
    "MSG_FACTS_INCOMPLETE",
    "MSG_FINDING_DUPLICATE",
    "MSG_FINDING_MISSING",
    "MSG_FUTURE_DATE",
    "MSG_HEARING_LAST",
    "MSG_MANNER",
    "MSG_MEASURES_NOT_ALLOWED",
    "MSG_MEASURES_REQUIRED",
    "MSG_MEASURE_UNKNOWN",
    "MSG_MEETING_OTHER_CASE",
    "MSG_MEMBERS_PRESENT",
    "MSG_MOTION_FAILED",
    "MSG_NOT_AUTHOR",
    "MSG_NOT_HEARD",
    "MSG_NO_CHANGE",
    "MSG_NO_COMMISSION",
    "MSG_NO_PARTY",
    "MSG_ORGAN_NOT_OWN",
    "MSG_OUTCOME",
    "MSG_PARTY_AUTHORITY",
    "MSG_PARTY_DUPLICATE",
    "MSG_PARTY_OTHER_CASE",
    "MSG_QUORUM",
    "MSG_RECIPIENT",
    "MSG_RECOMMENDATION",
    "MSG_RECTIFICATION_CANCELLED",
    "MSG_RECTIFICATION_CLOSED",
    "MSG_RECTIFICATION_DEADLINE",
    "MSG_RECTIFICATION_DEADLINE_ORDER",
    "MSG_RECTIFICATION_DONE",
    "MSG_RECUSAL_CONFLICT",
    "MSG_RECUSAL_PARTY",
    "MSG_RECUSAL_SELF",
    "MSG_REGISTER_ROLE",
    "MSG_REQUIRED",
    "MSG_RESPONSIBILITY_KIND",
    "MSG_RESPONSIBILITY_SCOPE",
    "MSG_REVIEWER_ORGAN",
    "MSG_REVIEWING_ORGAN",
    "MSG_REVIEW_MEASURES",
    "MSG_REVIEW_OUTCOME",
    "MSG_REVIEW_SAME",
    "MSG_SOURCE",
    "MSG_TAKE_OVER_AUTHORITY",
    "MSG_TAKE_OVER_LEADING",
    "MSG_TEAM_ALREADY",
    "MSG_TEAM_EMPTY",
    "MSG_TEAM_INELIGIBLE",
    "MSG_TEAM_LEADER",
    "MSG_TOO_MANY_PRESENT",
    "MSG_VOTES_TOTAL",
    "MSG_VOTE_RECUSAL_CONFLICT",
    "MSG_VOTE_RECUSAL_PARTY",
    "MSG_WITHDRAWN",
    "NON_TEAM_ROLES",
    "RECTIFICATION_CANCEL_REASON",
    "WHAT_ACT",
    "WHAT_TEAM",
    "FindingInput",
    "_attachment_max_bytes",  # views_actions: the upload limit for the form
    "appeal_register",
    "appeal_review_record",
    "archive_record",
    "attachment_add",
    "case_close",
    "case_take_over",
    "city_filing_record",
    "clue_approve",
    "clue_register",
    "clue_reject",
    "committee_size",
    "conflict_declare",
    "decision_mark_issued",
    "decision_record",
    "delivery_correct",
    "delivery_record",
    "delivery_withdraw",
    "evidence_add",
    "evidence_correct",
    "evidence_withdraw",
    "hearing_correct",
    "hearing_record",
    "hearing_refusal_record",
    "hearing_withdraw",
    "meeting_record",
    "party_add",
    "party_facts_update",
    "quorum_required",
    "quorum_rule",
    "rectification_complete",
    "recusal_reason",
    "report_return",
    "report_submit",
    "team_form",
    "team_member_add",
    "votes_required",
]
