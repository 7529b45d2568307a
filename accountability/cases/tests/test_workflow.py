"""The transition table on its own, without a database, against a specification by hand.

GRID (state × action), WHO (role × action), PER_PERSON, GUARDS and ART_13_PATH are written
from the text of Art 13 and the state diagram in workflow.py's docstring, never computed from
``workflow.TRANSITIONS``: a change to the table fails here until the specification agrees.
"""

from __future__ import annotations

import pytest

from accountability.cases import workflow as wf
from accountability.cases.workflow import Action, Role, State
from accountability.common.errors import DomainError, PermissionDenied

# The procedure, written by hand from Art 13 and the state diagram in workflow.py's docstring,
# not from the table it checks. One row per action, one column per state:
#   .   the action is refused in this state (illegal_transition)
#   =   allowed, the state does not change
#   xxx allowed, the case moves to that state (abbreviations below)
STATE_COLUMNS = {
    "clue": State.CLUE_REGISTERED,
    "acc": State.ACCEPTED,
    "rej": State.REJECTED,
    "inv": State.INVESTIGATING,
    "rep": State.REPORTED,
    "dec": State.DECIDED,
    "iss": State.ISSUED,
    "del": State.DELIVERED,
    "fil": State.FILED,
    "clo": State.CLOSED,
}

# action                  clue  acc   rej   inv   rep   dec   iss   del   fil   clo
GRID = """
party_add                 =     =     .     =     .     .     .     .     .     .
party_facts_update        =     =     .     =     .     .     .     .     .     .
conflict_declare          =     =     .     =     =     =     =     =     =     .
attachment_add            =     =     .     =     =     =     =     =     =     .
clue_approve              acc   .     .     .     .     .     .     .     .     .
clue_reject               rej   .     .     .     .     .     .     .     .     .
case_take_over            =     =     .     =     =     .     .     .     .     .
team_form                 .     inv   .     .     .     .     .     .     .     .
team_member_add           .     .     .     =     =     .     .     .     .     .
evidence_add              .     .     .     =     =     .     .     .     .     .
hearing_record            .     .     .     =     =     .     .     .     .     .
hearing_refusal_record    .     .     .     =     =     .     .     .     .     .
investigation_record_correct .  .     .     =     =     .     .     .     .     .
investigation_record_withdraw . .     .     =     =     .     .     .     .     .
report_submit             .     .     .     rep   .     .     .     .     .     .
report_return             .     .     .     .     inv   .     .     .     .     .
meeting_record            .     .     .     .     =     .     .     .     .     .
decision_record           .     .     .     .     dec   .     .     .     .     .
decision_issue            .     .     .     .     .     iss   .     .     .     .
delivery_record           .     .     .     .     .     .     del   .     .     .
delivery_correct          .     .     .     .     .     .     =     =     .     .
delivery_withdraw         .     .     .     .     .     .     =     iss   .     .
archive_record            .     .     .     .     .     .     .     fil   .     .
city_filing_record        .     .     .     .     .     .     .     fil   .     .
appeal_register           .     .     .     .     .     .     =     =     =     .
appeal_review_record      .     .     .     .     .     .     =     =     =     .
rectification_complete    .     .     .     .     .     =     =     =     =     .
case_close                .     .     .     .     .     .     .     .     clo   .
"""

# Who may take each action (account roles held on the case; team_member only through the
# case's team). Art 13: the supervision office (监督室) registers, investigates and executes;
# its head or the leader approves; the standing committee (its secretary records) decides;
# the organisation department (组织部) archives; the city office may act on its own cases
# (Art 11). Nobody else acts: township officers, the persons concerned, administrators.
ROLE_COLUMNS = {
    "case": Role.CASE_OFFICER,
    "head": Role.OFFICE_HEAD,
    "lead": Role.LEADER,
    "team": Role.TEAM_MEMBER,
    "secr": Role.COMMITTEE_SECRETARY,
    "arch": Role.ARCHIVIST,
    "city": Role.CITY_OFFICER,
    "town": Role.TOWNSHIP_OFFICER,
    "subj": Role.SUBJECT,
    "sys": Role.SYSTEM_ADMIN,
    "sec": Role.SECURITY_ADMIN,
    "aud": Role.AUDIT_ADMIN,
}

# action                  case head lead team secr arch city town subj sys  sec  aud
WHO = """
party_add                 Y    .    .    .    .    .    Y    .    .    .    .    .
party_facts_update        Y    .    .    Y    .    .    Y    .    .    .    .    .
conflict_declare          Y    Y    Y    Y    Y    .    Y    .    .    .    .    .
attachment_add            Y    .    .    Y    .    .    Y    .    .    .    .    .
clue_approve              .    Y    Y    .    .    .    Y    .    .    .    .    .
clue_reject               .    Y    Y    .    .    .    Y    .    .    .    .    .
case_take_over            .    .    .    .    .    .    Y    .    .    .    .    .
team_form                 Y    Y    .    .    .    .    Y    .    .    .    .    .
team_member_add           Y    Y    .    .    .    .    Y    .    .    .    .    .
evidence_add              Y    .    .    Y    .    .    Y    .    .    .    .    .
hearing_record            Y    .    .    Y    .    .    Y    .    .    .    .    .
hearing_refusal_record    Y    .    .    Y    .    .    Y    .    .    .    .    .
investigation_record_correct Y Y    .    Y    .    .    Y    .    .    .    .    .
investigation_record_withdraw Y Y   .    Y    .    .    Y    .    .    .    .    .
report_submit             Y    .    .    Y    .    .    Y    .    .    .    .    .
report_return             .    Y    Y    .    Y    .    Y    .    .    .    .    .
meeting_record            .    .    .    .    Y    .    Y    .    .    .    .    .
decision_record           .    .    .    .    Y    .    Y    .    .    .    .    .
decision_issue            Y    .    .    .    .    .    Y    .    .    .    .    .
delivery_record           Y    .    .    .    .    .    Y    .    .    .    .    .
delivery_correct          Y    Y    .    .    .    .    Y    .    .    .    .    .
delivery_withdraw         Y    Y    .    .    .    .    Y    .    .    .    .    .
archive_record            Y    .    .    .    .    Y    Y    .    .    .    .    .
city_filing_record        Y    .    .    .    .    .    Y    .    .    .    .    .
appeal_register           Y    .    .    .    .    .    Y    .    .    .    .    .
appeal_review_record      .    Y    .    .    Y    .    Y    .    .    .    .    .
rectification_complete    Y    .    .    .    .    .    Y    .    .    .    .    .
case_close                Y    Y    .    .    .    .    Y    .    .    .    .    .
"""

# The steps taken for one person at a time (Art 9: a case may concern several people).
PER_PERSON = {
    "party_facts_update",
    "hearing_record",
    "hearing_refusal_record",
    "decision_record",
    "decision_issue",
    "delivery_record",
    "delivery_correct",
    "delivery_withdraw",
    "appeal_register",
    "appeal_review_record",
    "rectification_complete",
}

# The preconditions the table states, each a fact of the case as it stands (the step helper,
# cases/services/_step.py, checks them before the action's own input): an approved clue names
# someone (13(1)); the city takes over only a leading cadre's case (Art 11); the report comes
# with every person's facts (13(2)); a case closes when every decision is final and every
# rectification done. The rules about an action's input (quorum, hearing, recusal, the appeal's
# time and form …) are the services' own checks, tested in test_services_*.py.
GUARDS = {
    "clue_approve": {"has_party"},
    "case_take_over": {"leading_cadre"},
    "report_submit": {"has_party", "party_facts_complete"},
    "case_close": {"decisions_final", "rectifications_done"},
}

# 第十三条, items (一) to (四) in order: the main path of one case, step by step.
ART_13_PATH = [
    ("13(1) 线索受理", Action.CLUE_APPROVE, State.ACCEPTED),
    ("13(2) 调查核实", Action.TEAM_FORM, State.INVESTIGATING),
    ("13(2) 调查核实", Action.REPORT_SUBMIT, State.REPORTED),
    ("13(3) 研究决定", Action.DECISION_RECORD, State.DECIDED),
    ("13(4) 执行决定", Action.DECISION_ISSUE, State.ISSUED),
    ("13(4) 执行决定", Action.DELIVERY_RECORD, State.DELIVERED),
    ("13(4) 归入干部个人档案 + 备案", Action.ARCHIVE_RECORD, State.FILED),
    ("办结", Action.CASE_CLOSE, State.CLOSED),
]


def _rows(text: str, columns: dict) -> dict[str, dict]:
    rows = {}
    for line in text.strip().splitlines():
        action, *cells = line.split()
        assert len(cells) == len(columns), line
        assert action not in rows, f"{action} twice"
        rows[action] = dict(zip(columns.values(), cells, strict=True))
    return rows


GRID_ROWS = _rows(GRID, STATE_COLUMNS)
WHO_ROWS = _rows(WHO, ROLE_COLUMNS)


def _first_allowed_state(action: str) -> State:
    return next(state for state, cell in GRID_ROWS[action].items() if cell != ".")


def test_the_grids_cover_every_action_once():
    assert set(GRID_ROWS) == {str(a) for a in Action} - {Action.CLUE_REGISTER}
    assert set(WHO_ROWS) == set(GRID_ROWS)


@pytest.mark.parametrize("action", list(GRID_ROWS))
def test_each_state_allows_or_refuses_the_action_as_the_grid_says(action):
    """Each cell of GRID: refused naming the state and what it allows, or allowed to its target."""
    wrong = []
    for state, cell in GRID_ROWS[action].items():
        if cell == ".":
            try:
                wf.check(state, action, set(Role))
            except DomainError as err:
                assert err.code == "illegal_transition"
                assert err.field == "state"
                assert f"“{state.label}”" in err.message
                assert f"“{Action(action).label}”" in err.message
                for other, row in GRID_ROWS.items():
                    if row[state] != ".":
                        assert f"{Action(other).label}" in err.message, (state, other)
            else:
                wrong.append(f"{state}: allowed, the grid says refused")
            continue
        expected = state if cell == "=" else STATE_COLUMNS[cell]
        try:
            wf.check(state, action, set(Role))
        except DomainError as err:
            wrong.append(f"{state}: refused ({err.code}), the grid says allowed")
            continue
        if wf.target_of(state, action) != expected:
            wrong.append(f"{state}: goes to {wf.target_of(state, action)}, not {expected}")
    assert not wrong, wrong


@pytest.mark.parametrize("state", list(STATE_COLUMNS.values()))
def test_each_state_offers_the_actions_of_its_column(state):
    expected = {Action(a) for a, row in GRID_ROWS.items() if row[state] != "."}
    assert {t.action for t in wf.actions_from(state)} == expected
    everyone = wf.allowed_actions(state, set(Role))
    assert {t.action for t in everyone} == expected


@pytest.mark.parametrize("action", list(WHO_ROWS))
def test_each_role_may_or_may_not_take_the_action_as_the_grid_says(action):
    """Each cell of WHO, checked in the first state that allows the action."""
    state = _first_allowed_state(action)
    may = [role for role, cell in WHO_ROWS[action].items() if cell == "Y"]
    wrong = []
    for role, cell in WHO_ROWS[action].items():
        try:
            wf.check(state, action, {role})
        except PermissionDenied as err:
            if cell == "Y":
                wrong.append(f"{role}: refused, the grid says may")
                continue
            assert err.code == "role_not_allowed"
            assert f"您在本案中的角色：{role.label}。" in err.message
            for allowed in may:
                assert str(allowed.label) in err.message
        else:
            if cell != "Y":
                wrong.append(f"{role}: allowed, the grid says may not")
            elif Action(action) not in {t.action for t in wf.allowed_actions(state, {role})}:
                wrong.append(f"{role}: not listed by allowed_actions")
    assert not wrong, wrong


def test_only_the_supervision_office_and_the_city_register_a_clue():
    assert {Role.CASE_OFFICER, Role.CITY_OFFICER} == wf.CLUE_REGISTER_ROLES


def test_the_steps_taken_per_person_are_the_named_ones():
    assert {str(t.action) for t in wf.TRANSITIONS if t.per_party} == PER_PERSON


def test_each_action_checks_the_named_rules():
    assert {str(t.action): {str(g) for g in t.guards} for t in wf.TRANSITIONS if t.guards} == (
        GUARDS
    )


def test_illegal_message_reads_as_the_user_sees_it():
    with pytest.raises(DomainError) as caught:
        wf.check(State.INVESTIGATING, Action.CLUE_APPROVE, {Role.OFFICE_HEAD})
    assert caught.value.message == (
        "案件当前状态为“调查核实”，不能执行“批准受理”。当前状态下可执行的操作："
        "添加被调查人、认定责任事实、登记回避事由、上传附件、市纪委直接追究、增加调查组成员、"
        "登记证据材料、记录陈述和申辩、记录拒绝陈述申辩、更正调查记录、撤回调查记录、提交调查报告。"
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


def test_the_main_path_follows_article_13_items_one_to_four_in_order():
    """ART_13_PATH, step by step; no step is possible before the one the article puts first."""
    state = State.CLUE_REGISTERED
    for index, (item, action, expected) in enumerate(ART_13_PATH):
        wf.check(state, action, set(Role))
        for _later_item, later, _ in ART_13_PATH[index + 1 :]:
            with pytest.raises(DomainError):
                wf.check(state, later, set(Role))
        state = wf.target_of(state, action)
        assert state == expected, item
    assert state in wf.TERMINAL_STATES


def test_per_person_steps_keep_the_state_until_complete():
    """The decision, issue and delivery rows move the case only when done for everyone."""
    for action in (Action.DECISION_RECORD, Action.DECISION_ISSUE, Action.DELIVERY_RECORD):
        transition = wf.transition_for(action)
        assert transition.per_party and transition.completes_when
        source = next(iter(transition.sources))
        assert wf.target_of(source, action, complete=False) == source
        assert wf.target_of(source, action, complete=True) == transition.target


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
