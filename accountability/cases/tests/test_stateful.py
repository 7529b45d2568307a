"""Random walks through the real services by random personas, with invariants after every step.

A hypothesis state machine registers clues (up to three a walk) and takes the steps of Art 13
on them: mostly the step that would move the case on now, otherwise any step, in any state;
each by the persona who usually takes it (two times in three) or by any of the twelve
(administrators, the person concerned, a township officer …). A DomainError or
PermissionDenied is a refusal. After every step:

* the audit chain verifies (``audit_chain_verify``, the check behind ``verify-audit``; the new
  entries after each step, the whole chain with its witnesses at the end of a walk);
* every refusal is audited, and wrote nothing else: exactly one new audit entry, a failed or
  denied ``transition`` naming the refused action and the error's code (written by the service
  after its transaction rolled back, accountability.audit.refusals), no transition log, no
  state change, no case number taken;
* no decision without a hearing or a recorded refusal to be heard for that person (13(2));
* each case is in one of the states and that state is the last transition log entry's, each
  entry starting where the one before ended;
* case numbers run 1, 2, 3 … in each year, without gaps.

Each walk runs in a savepoint rolled back at its end, inside one Django TestCase (SQLite and
PostgreSQL alike); the personas are built once.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import timedelta
from itertools import pairwise
from typing import Any, ClassVar

from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    precondition,
    rule,
    run_state_machine_as_test,
)

from accountability.audit.models import AuditEntry
from accountability.audit.verify import audit_chain_verify
from accountability.cases import services
from accountability.cases.models import (
    Appeal,
    Case,
    CaseNumberSequence,
    CaseParty,
    CommitteeMeeting,
    Decision,
    Delivery,
    Hearing,
    Rectification,
    TransitionLog,
)
from accountability.cases.tests.factories import (
    FACTS,
    LIGHT_MEASURES,
    SERIOUS_MEASURES,
    ago,
    committee,
)
from accountability.cases.workflow import State
from accountability.common.errors import DomainError
from accountability.demo.testing import USERS, Bunch, PersonasTestCase

NAMES = [username for username, *_ in USERS]
# The people a clue may concern (none of them sits on the standing committee).
PEOPLE = ("handler", "direct", "office_head", "township_handler")
PARTIES = st.lists(st.sampled_from(PEOPLE), min_size=1, max_size=2, unique=True)
NUMBER = re.compile(r"〔(\d{4})〕(\d+)号$")


def measures(party: CaseParty) -> list[str]:
    """The measures the rulebook gives for the facts recorded (no departure to explain)."""
    return SERIOUS_MEASURES if party.severity == "较重" else LIGHT_MEASURES


# step: (the persona who usually takes it, the machine's method)
STEPS: dict[str, tuple[str, str]] = {
    "party_add": ("case_officer", "party_add"),
    "approve": ("office_head", "approve"),
    "reject": ("leader", "reject"),
    "team_form": ("case_officer", "team_form"),
    "facts": ("case_officer", "facts"),
    "evidence": ("team_member", "evidence"),
    "hearing": ("team_member", "hearing"),
    "report": ("case_officer", "report"),
    "report_return": ("office_head", "report_return"),
    "meeting": ("committee_secretary", "meeting"),
    "decide": ("committee_secretary", "decide"),
    "issue": ("case_officer", "issue"),
    "deliver": ("case_officer", "deliver"),
    "appeal": ("case_officer", "appeal"),
    "archive": ("archivist", "archive"),
    "city_filing": ("case_officer", "city_filing"),
    "rectified": ("case_officer", "rectified"),
    "close": ("case_officer", "close"),
}


class CaseMachine(RuleBasedStateMachine):
    p: ClassVar[Bunch]
    committee: ClassVar[list[Any]]

    cases = Bundle("cases")

    def __init__(self) -> None:
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        report = audit_chain_verify()
        assert report.ok, report.message
        self.proven = (report.count, report.last_hash)
        self.refusals = 0
        self.registered = 0
        self.steps = 0

    def teardown(self) -> None:
        try:
            report = audit_chain_verify()
            assert report.ok, report.message
        finally:
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)

    # -- helpers

    def user(self, name: str) -> Any:
        return getattr(self.p.users, name)

    def case(self, pk: int) -> Case:
        return Case.objects.get(pk=pk)

    def party(self, pk: int, index: int) -> CaseParty | None:
        parties = list(CaseParty.objects.filter(case_id=pk).order_by("id"))
        return parties[index % len(parties)] if parties else None

    def decision(self, pk: int, index: int) -> Decision | None:
        decisions = list(Decision.objects.filter(party__case_id=pk).order_by("party_id"))
        return decisions[index % len(decisions)] if decisions else None

    def _snapshot(self) -> tuple:
        return (
            TransitionLog.objects.count(),
            sorted(Case.objects.values_list("pk", "state")),
            sorted(CaseNumberSequence.objects.values_list("year", "last")),
        )

    def attempt(self, call: Any) -> Any:
        """Run ``call``; a refusal must leave everything as it was."""
        self.steps += 1
        before = self._snapshot()
        last_entry = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
        try:
            return call()
        except DomainError as refusal:
            self.refusals += 1
            assert self._snapshot() == before, f"refused ({refusal.code}) but wrote"
            entries = list(AuditEntry.objects.filter(seq__gt=last_entry))
            assert refusal.audited, f"refused ({refusal.code}) without saying it was audited"
            assert len(entries) == 1, f"refused ({refusal.code}): {len(entries)} audit entries"
            (entry,) = entries
            assert entry.action == "transition"
            assert entry.outcome in (AuditEntry.Outcome.FAILURE, AuditEntry.Outcome.DENIED)
            assert entry.changes.get("code") == refusal.code, entry.changes
            return None

    # -- 13(1) 线索受理

    @initialize(
        target=cases, people=st.lists(st.sampled_from(PEOPLE), min_size=1, max_size=2, unique=True)
    )
    def first_clue(self, people: list[str]) -> Any:
        return self.register("case_officer", people)

    @precondition(lambda self: self.registered < 3)
    @rule(
        target=cases,
        who=st.sampled_from(["case_officer"] * len(NAMES) + NAMES),
        people=PARTIES,
    )
    def another_clue(self, who: str, people: list[str]) -> Any:
        return self.register(who, people)

    def register(self, who: str, people: list[str]) -> Any:
        self.registered += 1
        case = self.attempt(
            lambda: services.clue_register(
                actor=self.user(who),
                source=Case.Source.PETITION,
                summary="群众反映某室干部未按规定履行报批手续。",
                received_on=ago(150),
                handling_opinion="建议受理。",
                persons=[getattr(self.p.people, name) for name in people],
            )
        )
        return multiple() if case is None else case.pk

    @rule(
        case=cases,
        step=st.sampled_from(["next"] * 3 * len(STEPS) + list(STEPS)),
        who=st.sampled_from([None] * 2 * len(NAMES) + NAMES),
        index=st.integers(0, 3),
        pick=st.integers(0, 99),
    )
    def act(self, case: int, step: str, who: str | None, index: int, pick: int) -> None:
        """One step on ``case``: a named one, or ("next") one that would move it on now;
        by the persona who usually takes it (``who`` None) or by anyone."""
        if step == "next":
            found = self.next_step(case)
            if found is None:
                return
            step, index = found
        usual, method = STEPS[step]
        getattr(self, method)(case, index, self.user(who or usual), pick)

    def next_step(self, pk: int) -> tuple[str, int] | None:
        """The step (and the person, by index) that would take the case further now."""
        case = self.case(pk)
        parties = list(CaseParty.objects.filter(case_id=pk).order_by("id"))
        decisions = list(Decision.objects.filter(party__case_id=pk).order_by("party_id"))
        decided = {d.party_id for d in decisions}
        heard = set(
            Hearing.objects.filter(party__case_id=pk, withdrawn_at__isnull=True).values_list(
                "party_id", flat=True
            )
        )
        first = {
            "facts": [i for i, party in enumerate(parties) if not party.facts_complete],
            "hearing": [i for i, party in enumerate(parties) if party.pk not in heard],
            "decide": [i for i, party in enumerate(parties) if party.pk not in decided],
            "issue": [i for i, d in enumerate(decisions) if d.issued_on is None],
            "deliver": [
                i
                for i, d in enumerate(decisions)
                if d.deliveries.filter(withdrawn_at__isnull=True)
                .values("recipient")
                .distinct()
                .count()
                < 2
            ],
        }
        state = case.state
        if state == State.CLUE_REGISTERED:
            return ("approve", 0) if parties else ("party_add", 0)
        if state == State.ACCEPTED:
            return ("team_form", 0)
        if state == State.INVESTIGATING:
            for step in ("facts", "hearing"):
                if first[step]:
                    return (step, first[step][0])
            return ("report", 0)
        if state == State.REPORTED:
            if not CommitteeMeeting.objects.filter(case_id=pk).exists():
                return ("meeting", 0)
            return ("decide", first["decide"][0]) if first["decide"] else None
        if state == State.DECIDED:
            return ("issue", first["issue"][0]) if first["issue"] else None
        if state == State.ISSUED:
            return ("deliver", first["deliver"][0]) if first["deliver"] else None
        if state == State.DELIVERED:
            return ("city_filing", 0) if hasattr(case, "archive") else ("archive", 0)
        if state == State.FILED:
            pending = Rectification.objects.filter(
                decision__party__case_id=pk, completed_on=None, cancelled_on=None
            ).exists()
            return ("rectified", 0) if pending else ("close", 0)
        return None

    # -- 13(1) 线索受理

    def party_add(self, case: int, index: int, who: Any, pick: int) -> None:
        person = getattr(self.p.people, PEOPLE[pick % len(PEOPLE)])
        self.attempt(lambda: services.party_add(case=self.case(case), actor=who, person=person))

    def approve(self, case: int, index: int, who: Any, pick: int) -> None:
        self.attempt(
            lambda: services.clue_approve(
                case=self.case(case), actor=who, opinion="同意。", approved_on=ago(145)
            )
        )

    def reject(self, case: int, index: int, who: Any, pick: int) -> None:
        self.attempt(
            lambda: services.clue_reject(
                case=self.case(case), actor=who, reason="反映问题不具体。", approved_on=ago(145)
            )
        )

    # -- 13(2) 调查核实

    def team_form(self, case: int, index: int, who: Any, pick: int) -> None:
        names = ["team_member"] * len(NAMES) + NAMES
        member = self.user(names[pick % len(names)])
        self.attempt(
            lambda: services.team_form(
                case=self.case(case),
                actor=who,
                members=[member],
                leader=member,
                formed_on=ago(140),
            )
        )

    def facts(self, case: int, index: int, who: Any, pick: int) -> None:
        party = self.party(case, index)
        if party is None:
            return
        severity = sorted(FACTS)[pick % len(FACTS)]
        self.attempt(
            lambda: services.party_facts_update(
                party=party,
                actor=who,
                role=party.person.role,
                occurred_on=ago(200),
                facts="未按规定报批。",
                **FACTS[severity],
            )
        )

    def evidence(self, case: int, index: int, who: Any, pick: int) -> None:
        self.attempt(
            lambda: services.evidence_add(
                case=self.case(case), actor=who, title="台账", collected_on=ago(130)
            )
        )

    def hearing(self, case: int, index: int, who: Any, pick: int) -> None:
        party = self.party(case, index)
        if party is None:
            return
        if pick % 3 == 1:
            self.attempt(
                lambda: services.hearing_refusal_record(
                    party=party,
                    actor=who,
                    held_on=ago(120),
                    refusal_record="经书面通知，本人拒绝陈述和申辩。",
                )
            )
        else:
            self.attempt(
                lambda: services.hearing_record(
                    party=party, actor=who, held_on=ago(120), statement="对事实无异议。"
                )
            )

    def report(self, case: int, index: int, who: Any, pick: int) -> None:
        findings = [
            services.FindingInput(party=party, recommendation="追究", measures=measures(party))
            for party in CaseParty.objects.filter(case_id=case).order_by("id")
        ]
        self.attempt(
            lambda: services.report_submit(
                case=self.case(case),
                actor=who,
                summary="反映问题基本属实。",
                findings=findings,
                submitted_on=ago(100),
            )
        )

    def report_return(self, case: int, index: int, who: Any, pick: int) -> None:
        self.attempt(
            lambda: services.report_return(
                case=self.case(case), actor=who, reason="事实不清，补充调查。"
            )
        )

    # -- 13(3) 研究决定

    def meeting(self, case: int, index: int, who: Any, pick: int) -> None:
        # Mostly the whole committee; sometimes too few to make a quorum.
        members = self.committee[: 1 + pick % 9] if pick % 5 == 1 else self.committee
        self.attempt(
            lambda: services.meeting_record(
                case=self.case(case),
                actor=who,
                held_on=ago(90),
                members_present=members,
                votes_for=len(members),
                minutes="同意调查组的建议。",
            )
        )

    def decide(self, case: int, index: int, who: Any, pick: int) -> None:
        party = self.party(case, index)
        meeting = CommitteeMeeting.objects.filter(case_id=case).order_by("id").last()
        if party is None or meeting is None:
            return
        self.attempt(
            lambda: services.decision_record(
                party=party,
                meeting=meeting,
                actor=who,
                outcome="追究",
                measures=measures(party),
                rectification_deadline=meeting.held_on + timedelta(days=30),
            )
        )

    # -- 13(4) 执行决定

    def issue(self, case: int, index: int, who: Any, pick: int) -> None:
        decision = self.decision(case, index)
        if decision is None:
            return
        self.attempt(
            lambda: services.decision_mark_issued(
                decision=decision,
                actor=who,
                document_number=f"镇纪监干〔{ago(85).year}〕{decision.pk}号",
                issued_on=ago(85),
            )
        )

    def deliver(self, case: int, index: int, who: Any, pick: int) -> None:
        decision = self.decision(case, index)
        if decision is None:
            return
        done = set(decision.deliveries.values_list("recipient", flat=True))
        missing = [r for r in Delivery.Recipient.values if r not in done]
        # Mostly the one still to serve; sometimes one already served (a duplicate).
        recipient = missing[0] if missing and pick % 3 != 1 else Delivery.Recipient.values[pick % 2]
        self.attempt(
            lambda: services.delivery_record(
                decision=decision,
                actor=who,
                recipient=recipient,
                delivered_on=ago(80),
                manner=Delivery.Manner.DIRECT,
                received_by=decision.party.person.name,
            )
        )

    def appeal(self, case: int, index: int, who: Any, pick: int) -> None:
        decision = self.decision(case, index)
        if decision is None:
            return
        self.attempt(
            lambda: services.appeal_register(
                decision=decision, actor=who, received_on=ago(75), content="对处理决定不服。"
            )
        )

    def archive(self, case: int, index: int, who: Any, pick: int) -> None:
        self.attempt(
            lambda: services.archive_record(case=self.case(case), actor=who, archived_on=ago(60))
        )

    def city_filing(self, case: int, index: int, who: Any, pick: int) -> None:
        self.attempt(
            lambda: services.city_filing_record(
                case=self.case(case), actor=who, filed_on=ago(59), reference="备〔1〕"
            )
        )

    def rectified(self, case: int, index: int, who: Any, pick: int) -> None:
        row = Rectification.objects.filter(
            decision__party__case_id=case, completed_on=None, cancelled_on=None
        ).first()
        if row is None:
            return
        self.attempt(
            lambda: services.rectification_complete(
                rectification=row, actor=who, completed_on=ago(65), evidence="已提交整改报告。"
            )
        )

    def close(self, case: int, index: int, who: Any, pick: int) -> None:
        self.attempt(lambda: services.case_close(case=self.case(case), actor=who, reason="办结。"))

    # -- invariants

    @invariant()
    def the_audit_chain_verifies(self) -> None:
        report = audit_chain_verify(start_after=self.proven)
        assert report.ok, report.message
        self.proven = (report.count, report.last_hash)

    @invariant()
    def no_decision_without_a_hearing_or_a_recorded_refusal(self) -> None:
        heard = Hearing.objects.filter(withdrawn_at__isnull=True).values("party")
        unheard = Decision.objects.exclude(party__in=heard)
        assert not unheard.exists(), list(unheard.values_list("party__person__name", flat=True))

    @invariant()
    def each_case_is_in_the_state_of_its_last_log_entry(self) -> None:
        states = dict(Case.objects.values_list("pk", "state"))
        logs: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for case_id, from_state, to_state in TransitionLog.objects.order_by("id").values_list(
            "case_id", "from_state", "to_state"
        ):
            logs[case_id].append((from_state, to_state))
        assert set(logs) == set(states)
        for pk, state in states.items():
            assert state in State.values
            entries = logs[pk]
            assert entries[0][0] == "", "the first entry registers the clue"
            for (_, before), (after, _) in pairwise(entries):
                assert before == after, (pk, entries)
            assert entries[-1][1] == state, (pk, state, entries[-1])

    @invariant()
    def case_numbers_have_no_gaps(self) -> None:
        by_year: dict[int, list[int]] = defaultdict(list)
        for number in Case.objects.values_list("number", flat=True):
            match = NUMBER.search(number)
            assert match, number
            by_year[int(match.group(1))].append(int(match.group(2)))
        last = dict(CaseNumberSequence.objects.values_list("year", "last"))
        for year, numbers in by_year.items():
            assert sorted(numbers) == list(range(1, len(numbers) + 1)), (year, numbers)
            assert last[year] == len(numbers)

    @invariant()
    def an_appeal_is_only_on_an_issued_decision(self) -> None:
        assert not Appeal.objects.filter(decision__issued_on=None).exists()


class StatefulServicesTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.members = committee(cls.personas)

    def test_random_walks_keep_the_invariants(self) -> None:
        CaseMachine.p = self.personas
        CaseMachine.committee = self.members
        run_state_machine_as_test(
            CaseMachine,
            settings=settings(
                max_examples=25,
                stateful_step_count=30,
                deadline=None,
                database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            ),
        )
