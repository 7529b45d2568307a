"""The procedure of Art 13 as a pure transition table (no database).

第十三条 实施责任追究的主要程序:(一)线索受理 … 按程序报批受理。(二)调查核实 … 听取被追究责任者
陈述和申辩,及时形成调查报告 … 并向县纪委常委会报告。(三)研究决定 … 作出责任追究决定。
(四)执行决定 … 形成决定文书送相关部门执行,并送达被追究责任者本人及其所在单位。责任追究有关
材料应送县纪委监委组织部归入干部个人档案,同时报市纪委纪检监察干部监督室备案。

The case moves through the states of DOMAIN.md::

    clue_registered ─approve─▶ accepted ─team─▶ investigating ─report─▶ reported ─decide─▶ decided
          └─reject─▶ rejected                        ▲───────return────────┘
    decided ─issue─▶ issued ─deliver─▶ delivered ─archive + file─▶ filed ─close─▶ closed

Decisions made here (documented in the module rather than guessed by readers):

* One case concerns one or more people (Art 9). The steps from the decision on are taken
  per person (``per_party``): the case moves on only when the step is done for everyone
  (``completes_when``). Until then it stays where it is, and the log records each person's step.
* Appeals (Art 16) and rectification (责令限期整改, Art 10) are tracked per person, not as
  case states: a person's appeal can arrive while the case is issued, delivered or filed, and
  does not hold up the others. Whether a decision is final (生效) is computed from the recorded
  delivery and the appeal deadline, never stored by a job.
* Archiving (归入干部个人档案) and filing with the city (备案) may happen in either order
  (the article says 同时); the case is ``filed`` once both are recorded.
* Closing needs every decision final or revoked and every rectification completed.
* Actions that do not change the state (evidence, hearings, appeals …) are in the table too,
  with ``target=None``, so that "what may I do now" and the refusals come from one place.

Who may act: ``roles`` are account roles (``accounts.User.Role``) held on the case, as
cases/access.py computes them (the user's commission handles the case, Art 11; ``team_member``
is held only through a TeamMembership of this case). The table is the one source the services
consult (cases/services/_step.py): roles, ``guards`` (preconditions on the case, each checked
once) and ``completes_when`` (when a per-person step moves the case on).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accountability.accounts.models import Role as Role  # re-exported: the one vocabulary
from accountability.accounts.models import User
from accountability.accounts.permissions import INFORMANT_VIEWERS
from accountability.common.errors import DomainError, PermissionDenied
from accountability.common.i18n import join_list

#: 三员分立: the three administrators hold no role on any case (accounts.User.ADMIN_ROLES).
ADMIN_ROLES = User.ADMIN_ROLES

# Roles that may see who reported a clue (DOMAIN.md: "only named roles may see who reported"):
# one list for the whole system, in accounts.permissions.
INFORMANT_VIEWER_ROLES = frozenset(Role(r) for r in INFORMANT_VIEWERS)


class State(models.TextChoices):
    CLUE_REGISTERED = "clue_registered", pgettext_lazy("case state", "线索登记")
    ACCEPTED = "accepted", pgettext_lazy("case state", "已受理")
    REJECTED = "rejected", pgettext_lazy("case state", "不予受理")
    INVESTIGATING = "investigating", pgettext_lazy("case state", "调查核实")
    REPORTED = "reported", pgettext_lazy("case state", "已报告")
    DECIDED = "decided", pgettext_lazy("case state", "已决定")
    ISSUED = "issued", pgettext_lazy("case state", "决定文书已形成")
    DELIVERED = "delivered", pgettext_lazy("case state", "已送达")
    FILED = "filed", pgettext_lazy("case state", "已归档备案")
    CLOSED = "closed", pgettext_lazy("case state", "已办结")


TERMINAL_STATES = frozenset({State.REJECTED, State.CLOSED})
# States from which a committee decision exists (the archivist's view, restrictions shown).
DECIDED_STATES = frozenset(
    {State.DECIDED, State.ISSUED, State.DELIVERED, State.FILED, State.CLOSED}
)


class Action(models.TextChoices):
    CLUE_REGISTER = "clue_register", _("登记问题线索")
    PARTY_ADD = "party_add", _("添加被调查人")
    PARTY_FACTS_UPDATE = "party_facts_update", _("认定责任事实")
    CONFLICT_DECLARE = "conflict_declare", _("登记回避事由")
    ATTACHMENT_ADD = "attachment_add", _("上传附件")
    CLUE_APPROVE = "clue_approve", _("批准受理")
    CLUE_REJECT = "clue_reject", _("不予受理")
    CASE_TAKE_OVER = "case_take_over", _("市纪委直接追究")
    TEAM_FORM = "team_form", _("成立调查组")
    TEAM_MEMBER_ADD = "team_member_add", _("增加调查组成员")
    EVIDENCE_ADD = "evidence_add", _("登记证据材料")
    HEARING_RECORD = "hearing_record", _("记录陈述和申辩")
    HEARING_REFUSAL_RECORD = "hearing_refusal_record", _("记录拒绝陈述申辩")
    INVESTIGATION_RECORD_CORRECT = "investigation_record_correct", _("更正调查记录")
    INVESTIGATION_RECORD_WITHDRAW = "investigation_record_withdraw", _("撤回调查记录")
    REPORT_SUBMIT = "report_submit", _("提交调查报告")
    REPORT_RETURN = "report_return", _("退回补充调查")
    MEETING_RECORD = "meeting_record", _("记录常委会会议")
    DECISION_RECORD = "decision_record", _("记录责任追究决定")
    DECISION_ISSUE = "decision_issue", _("决定文书印发")
    DELIVERY_RECORD = "delivery_record", _("记录送达")
    DELIVERY_CORRECT = "delivery_correct", _("更正送达记录")
    DELIVERY_WITHDRAW = "delivery_withdraw", _("撤回送达记录")
    ARCHIVE_RECORD = "archive_record", _("归入干部个人档案")
    CITY_FILING_RECORD = "city_filing_record", _("报市纪委备案")
    APPEAL_REGISTER = "appeal_register", _("登记申诉")
    APPEAL_REVIEW_RECORD = "appeal_review_record", _("记录申诉复查结果")
    RECTIFICATION_COMPLETE = "rectification_complete", _("记录整改完成")
    CASE_CLOSE = "case_close", _("办结")


class Guard(models.TextChoices):
    """Preconditions on the case itself, checked by the services' step before the action.

    Each has one check (``@guard`` in cases/services, next to the stage that states the rule and
    its refusal); the label names it. What depends on the action's input (a quorum, a written
    appeal, a departure reason …) is validated by the service that takes the input.
    """

    HAS_PARTY = "has_party", _("案件应当至少有一名被调查人")
    LEADING_CADRE = "leading_cadre", _("第十一条：上级机关只可直接追究下级纪检监察机关领导干部")
    PARTY_FACTS_COMPLETE = "party_facts_complete", _("每名被调查人的责任事实已认定")
    DECISIONS_FINAL = "decisions_final", _("每名被调查人的决定已生效或已撤销")
    RECTIFICATIONS_DONE = "rectifications_done", _("责令限期整改事项已完成")


@dataclass(frozen=True)
class Transition:
    """One row of the table: ``action`` is allowed from ``sources`` to ``roles``.

    ``target`` None: the state does not change. ``guards``: preconditions the step checks
    before the action. ``per_party``: the action is taken for one person concerned at a time.
    ``completes_when``: with ``target``, the case moves only when this condition holds after
    the action (evaluated by the services' step), e.g. every person's decision issued.
    """

    action: Action
    sources: frozenset[State]
    target: State | None
    roles: frozenset[Role]
    guards: tuple[Guard, ...] = ()
    per_party: bool = False
    completes_when: str | None = None

    @property
    def label(self) -> str:
        return str(self.action.label)


R = Role
S = State
_OPEN = frozenset(set(State) - TERMINAL_STATES)
_BEFORE_DECISION = frozenset({S.CLUE_REGISTERED, S.ACCEPTED, S.INVESTIGATING, S.REPORTED})
_AFTER_ISSUE = frozenset({S.ISSUED, S.DELIVERED, S.FILED})
_HANDLERS = frozenset({R.CASE_OFFICER, R.CITY_OFFICER})
_APPROVERS = frozenset({R.OFFICE_HEAD, R.LEADER, R.CITY_OFFICER})
_INVESTIGATORS = frozenset({R.CASE_OFFICER, R.TEAM_MEMBER, R.CITY_OFFICER})
_COMMITTEE = frozenset({R.COMMITTEE_SECRETARY, R.CITY_OFFICER})


def _t(
    action: Action,
    sources: Iterable[State],
    target: State | None,
    roles: Iterable[Role],
    guards: Iterable[Guard] = (),
    *,
    per_party: bool = False,
    completes_when: str | None = None,
) -> Transition:
    return Transition(
        action=action,
        sources=frozenset(sources),
        target=target,
        roles=frozenset(roles),
        guards=tuple(guards),
        per_party=per_party,
        completes_when=completes_when,
    )


A = Action
G = Guard
# fmt: off
TRANSITIONS: tuple[Transition, ...] = (
    # 13(1) 线索受理: registered by the supervision office, approved by the head or the leader.
    _t(A.PARTY_ADD, {S.CLUE_REGISTERED, S.ACCEPTED, S.INVESTIGATING}, None, _HANDLERS),
    _t(A.PARTY_FACTS_UPDATE, {S.CLUE_REGISTERED, S.ACCEPTED, S.INVESTIGATING}, None,
       _INVESTIGATORS, per_party=True),
    _t(A.CONFLICT_DECLARE, _OPEN, None,
       {R.CASE_OFFICER, R.OFFICE_HEAD, R.LEADER, R.COMMITTEE_SECRETARY, R.TEAM_MEMBER,
        R.CITY_OFFICER}),
    _t(A.ATTACHMENT_ADD, _OPEN, None, _INVESTIGATORS),
    _t(A.CLUE_APPROVE, {S.CLUE_REGISTERED}, S.ACCEPTED, _APPROVERS, [G.HAS_PARTY]),
    _t(A.CLUE_REJECT, {S.CLUE_REGISTERED}, S.REJECTED, _APPROVERS),
    # Art 11: the city commission pursues a county commission's leading cadre directly.
    _t(A.CASE_TAKE_OVER, _BEFORE_DECISION, None, {R.CITY_OFFICER}, [G.LEADING_CADRE]),
    # 13(2) 调查核实
    _t(A.TEAM_FORM, {S.ACCEPTED}, S.INVESTIGATING,
       {R.CASE_OFFICER, R.OFFICE_HEAD, R.CITY_OFFICER}),
    _t(A.TEAM_MEMBER_ADD, {S.INVESTIGATING, S.REPORTED}, None,
       {R.CASE_OFFICER, R.OFFICE_HEAD, R.CITY_OFFICER}),
    _t(A.EVIDENCE_ADD, {S.INVESTIGATING, S.REPORTED}, None, _INVESTIGATORS),
    _t(A.HEARING_RECORD, {S.INVESTIGATING, S.REPORTED}, None, _INVESTIGATORS, per_party=True),
    _t(A.HEARING_REFUSAL_RECORD, {S.INVESTIGATING, S.REPORTED}, None, _INVESTIGATORS,
       per_party=True),
    # A hearing or evidence item entered by mistake: corrected or withdrawn with a reason, by
    # the person who entered it or the office head (the service checks who entered it).
    _t(A.INVESTIGATION_RECORD_CORRECT, {S.INVESTIGATING, S.REPORTED}, None,
       _INVESTIGATORS | {R.OFFICE_HEAD}),
    _t(A.INVESTIGATION_RECORD_WITHDRAW, {S.INVESTIGATING, S.REPORTED}, None,
       _INVESTIGATORS | {R.OFFICE_HEAD}),
    _t(A.REPORT_SUBMIT, {S.INVESTIGATING}, S.REPORTED, _INVESTIGATORS,
       [G.HAS_PARTY, G.PARTY_FACTS_COMPLETE]),
    _t(A.REPORT_RETURN, {S.REPORTED}, S.INVESTIGATING,
       {R.OFFICE_HEAD, R.LEADER, R.COMMITTEE_SECRETARY, R.CITY_OFFICER}),
    # 13(3) 研究决定
    _t(A.MEETING_RECORD, {S.REPORTED}, None, _COMMITTEE),
    _t(A.DECISION_RECORD, {S.REPORTED}, S.DECIDED, _COMMITTEE,
       per_party=True, completes_when="every_party_decided"),
    # 13(4) 执行决定
    _t(A.DECISION_ISSUE, {S.DECIDED}, S.ISSUED, _HANDLERS,
       per_party=True, completes_when="every_decision_issued"),
    _t(A.DELIVERY_RECORD, {S.ISSUED}, S.DELIVERED, _HANDLERS,
       per_party=True, completes_when="every_decision_delivered"),
    # A delivery entered by mistake: corrected, or withdrawn (the case is back to 已印发 until
    # it is delivered again); by the person who recorded it or the office head.
    _t(A.DELIVERY_CORRECT, {S.ISSUED, S.DELIVERED}, None, _HANDLERS | {R.OFFICE_HEAD},
       per_party=True),
    _t(A.DELIVERY_WITHDRAW, {S.ISSUED, S.DELIVERED}, S.ISSUED, _HANDLERS | {R.OFFICE_HEAD},
       per_party=True),
    _t(A.ARCHIVE_RECORD, {S.DELIVERED}, S.FILED, {R.CASE_OFFICER, R.ARCHIVIST, R.CITY_OFFICER},
       completes_when="archived_and_filed"),
    _t(A.CITY_FILING_RECORD, {S.DELIVERED}, S.FILED, _HANDLERS,
       completes_when="archived_and_filed"),
    # Art 16 申诉 and Art 10 责令限期整改, per person.
    _t(A.APPEAL_REGISTER, _AFTER_ISSUE, None, _HANDLERS, per_party=True),
    _t(A.APPEAL_REVIEW_RECORD, _AFTER_ISSUE, None,
       {R.COMMITTEE_SECRETARY, R.OFFICE_HEAD, R.CITY_OFFICER}, per_party=True),
    _t(A.RECTIFICATION_COMPLETE, {S.DECIDED, *_AFTER_ISSUE}, None, _HANDLERS, per_party=True),
    _t(A.CASE_CLOSE, {S.FILED}, S.CLOSED, {R.CASE_OFFICER, R.OFFICE_HEAD, R.CITY_OFFICER},
       [G.DECISIONS_FINAL, G.RECTIFICATIONS_DONE]),
)
# fmt: on

# Registering a clue creates the case: it has no source state.
CLUE_REGISTER_ROLES = frozenset({R.CASE_OFFICER, R.CITY_OFFICER})

_BY_ACTION: dict[Action, Transition] = {t.action: t for t in TRANSITIONS}

# Messages (module constants so that tests assert them exactly).
MSG_ILLEGAL = _("案件当前状态为“{state}”，不能执行“{action}”。{allowed}")
MSG_ALLOWED = _("当前状态下可执行的操作：{actions}。")
MSG_NONE_ALLOWED = _("当前状态下没有可执行的操作。")
MSG_ROLE = _("“{action}”只能由{roles}执行；您在本案中的角色：{mine}。")
MSG_NO_ROLE = _("无")
MSG_UNKNOWN_ACTION = _("未知的操作“{action}”。")


def _join(labels: Iterable[str]) -> str:
    return join_list(labels)


def transition_for(action: Action | str) -> Transition:
    """The table row of ``action`` (DomainError for an unknown action)."""
    try:
        return _BY_ACTION[Action(action)]
    except (ValueError, KeyError):
        raise DomainError(
            MSG_UNKNOWN_ACTION.format(action=action), field="action", code="unknown_action"
        ) from None


def actions_from(state: State | str) -> tuple[Transition, ...]:
    """Every action the table allows in ``state``, in table order."""
    state = State(state)
    return tuple(t for t in TRANSITIONS if state in t.sources)


def allowed_actions(state: State | str, roles: Iterable[str]) -> tuple[Transition, ...]:
    """The actions a holder of ``roles`` may take in ``state``."""
    held = {str(r) for r in roles}
    return tuple(t for t in actions_from(state) if held & {str(r) for r in t.roles})


def illegal_message(state: State | str, action: Action | str) -> str:
    state = State(state)
    available = [t.label for t in actions_from(state)]
    allowed = MSG_ALLOWED.format(actions=_join(available)) if available else MSG_NONE_ALLOWED
    return MSG_ILLEGAL.format(
        state=state.label, action=transition_for(action).label, allowed=allowed
    )


def role_message(transition: Transition, roles: Iterable[str]) -> str:
    allowed = [str(r.label) for r in Role if r in transition.roles]
    mine = [str(Role(r).label) for r in sorted({str(r) for r in roles}) if r in Role.values]
    return MSG_ROLE.format(
        action=transition.label, roles=_join(allowed), mine=_join(mine) or MSG_NO_ROLE
    )


def check(state: State | str, action: Action | str, roles: Iterable[str]) -> Transition:
    """The transition for ``action`` from ``state`` by a holder of ``roles``, or a refusal.

    An action the state does not allow raises DomainError (code ``illegal_transition``,
    field ``state``) naming the current state and the actions it allows; a role that may not
    take it raises PermissionDenied naming the roles that may.
    """
    transition = transition_for(action)
    state = State(state)
    if state not in transition.sources:
        raise DomainError(illegal_message(state, action), field="state", code="illegal_transition")
    roles = {str(r) for r in roles}
    if not roles & {str(r) for r in transition.roles}:
        raise PermissionDenied(role_message(transition, roles), code="role_not_allowed")
    return transition


def target_of(state: State | str, action: Action | str, *, complete: bool = True) -> State:
    """The state after ``action``: its target when complete, else the unchanged state."""
    transition = transition_for(action)
    if transition.target is None or not complete:
        return State(state)
    return transition.target
