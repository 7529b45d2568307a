"""The transition table on its own, without a database."""

from __future__ import annotations

import pytest

from accountability.cases import workflow as wf
from accountability.cases.workflow import Action, Role, State
from accountability.common.errors import DomainError, PermissionDenied

LEGAL = [
    pytest.param(t.action, state, role, id=f"{state}-{t.action}-{role}")
    for t in wf.TRANSITIONS
    for state in sorted(t.sources)
    for role in sorted(t.roles)
]
ILLEGAL = [
    pytest.param(t.action, state, id=f"{state}-{t.action}")
    for t in wf.TRANSITIONS
    for state in State
    if state not in t.sources
]
WRONG_ROLE = [
    pytest.param(t.action, sorted(t.sources)[0], role, id=f"{t.action}-{role}")
    for t in wf.TRANSITIONS
    for role in Role
    if role not in t.roles
]


@pytest.mark.parametrize(("action", "state", "role"), LEGAL)
def test_every_legal_transition_is_allowed(action, state, role):
    """Each row allows its action from each of its states to each of its roles."""
    transition = wf.check(state, action, {role})
    assert transition.action == action
    assert transition in wf.allowed_actions(state, {role})


@pytest.mark.parametrize(("action", "state"), ILLEGAL)
def test_every_illegal_transition_is_refused_naming_state_and_allowed_actions(action, state):
    """An action from a state the table does not list is refused whatever the role."""
    with pytest.raises(DomainError) as caught:
        wf.check(state, action, set(Role))
    err = caught.value
    assert err.code == "illegal_transition"
    assert err.field == "state"
    assert err.message == wf.illegal_message(state, action)
    assert f"“{State(state).label}”" in err.message
    for allowed in wf.actions_from(state):
        assert allowed.label in err.message


@pytest.mark.parametrize(("action", "state", "role"), WRONG_ROLE)
def test_a_role_outside_the_row_is_refused_naming_the_roles_that_may(action, state, role):
    with pytest.raises(PermissionDenied) as caught:
        wf.check(state, action, {role})
    assert caught.value.code == "role_not_allowed"
    assert caught.value.message == wf.role_message(wf.transition_for(action), {role})


def test_illegal_message_reads_as_the_user_sees_it():
    with pytest.raises(DomainError) as caught:
        wf.check(State.INVESTIGATING, Action.CLUE_APPROVE, {Role.OFFICE_HEAD})
    assert caught.value.message == (
        "案件当前状态为“调查核实”，不能执行“批准受理”。当前状态下可执行的操作："
        "添加被调查人、认定责任事实、登记回避事由、上传附件、市纪委直接追究、增加调查组成员、"
        "登记证据材料、记录陈述和申辩、记录拒绝陈述申辩、提交调查报告。"
    )


def test_a_closed_case_allows_nothing():
    with pytest.raises(DomainError) as caught:
        wf.check(State.CLOSED, Action.APPEAL_REGISTER, {Role.CASE_OFFICER})
    assert caught.value.message == wf.MSG_ILLEGAL.format(
        state="已办结", action="登记申诉", allowed=wf.MSG_NONE_ALLOWED
    )
    assert wf.actions_from(State.REJECTED) == ()


def test_role_message_names_roles_and_the_users_own():
    transition = wf.transition_for(Action.CLUE_APPROVE)
    assert wf.role_message(transition, {Role.TEAM_MEMBER}) == (
        "“批准受理”只能由监督室负责人、分管(联系)领导、市纪委监督室工作人员执行；"
        "您在本案中的角色：调查组成员。"
    )
    assert wf.role_message(transition, set()).endswith("您在本案中的角色：无。")


def test_unknown_action_is_a_domain_error():
    with pytest.raises(DomainError) as caught:
        wf.check(State.ACCEPTED, "jump", {Role.CASE_OFFICER})
    assert caught.value.message == wf.MSG_UNKNOWN_ACTION.format(action="jump")


def test_the_main_path_runs_from_clue_to_closed():
    path = [
        (Action.CLUE_APPROVE, State.ACCEPTED),
        (Action.TEAM_FORM, State.INVESTIGATING),
        (Action.REPORT_SUBMIT, State.REPORTED),
        (Action.DECISION_RECORD, State.DECIDED),
        (Action.DECISION_ISSUE, State.ISSUED),
        (Action.DELIVERY_RECORD, State.DELIVERED),
        (Action.ARCHIVE_RECORD, State.FILED),
        (Action.CASE_CLOSE, State.CLOSED),
    ]
    state = State.CLUE_REGISTERED
    for action, expected in path:
        wf.check(state, action, set(Role))
        state = wf.target_of(state, action)
        assert state == expected


def test_per_person_steps_keep_the_state_until_complete():
    """The decision, issue and delivery rows move the case only when done for everyone."""
    for action in (Action.DECISION_RECORD, Action.DECISION_ISSUE, Action.DELIVERY_RECORD):
        transition = wf.transition_for(action)
        assert transition.per_party and transition.completes_when
        source = next(iter(transition.sources))
        assert wf.target_of(source, action, complete=False) == source
        assert wf.target_of(source, action, complete=True) == transition.target


def test_in_state_actions_never_change_the_state():
    for transition in wf.TRANSITIONS:
        if transition.target is None:
            for state in transition.sources:
                assert wf.target_of(state, transition.action) == state


def test_every_state_is_reachable_and_can_end():
    edges = {(s, t.target) for t in wf.TRANSITIONS if t.target is not None for s in t.sources}
    reachable = {State.CLUE_REGISTERED}
    while True:
        more = {b for a, b in edges if a in reachable} - reachable
        if not more:
            break
        reachable |= more
    assert reachable == set(State)
    for state in set(State) - wf.TERMINAL_STATES:
        ends = {state}
        while True:
            more = {b for a, b in edges if a in ends} - ends
            if not more:
                break
            ends |= more
        assert ends & wf.TERMINAL_STATES, state


def test_every_guard_is_used_and_every_action_has_a_row():
    used = {g for t in wf.TRANSITIONS for g in t.guards}
    assert used == set(wf.Guard)
    assert {t.action for t in wf.TRANSITIONS} == set(Action) - {Action.CLUE_REGISTER}


def test_administrators_and_subjects_may_take_no_action():
    for transition in wf.TRANSITIONS:
        assert not transition.roles & (wf.ADMIN_ROLES | {Role.SUBJECT})


def test_roles_mirror_the_account_roles():
    from accountability.accounts.models import User

    assert dict(Role.choices) == dict(User.Role.choices)
    assert set(wf.ADMIN_ROLES) == {str(r) for r in User.ADMIN_ROLES}


def test_informant_is_shown_to_the_named_roles_only():
    assert {Role.CASE_OFFICER, Role.OFFICE_HEAD} == wf.INFORMANT_VIEWER_ROLES
