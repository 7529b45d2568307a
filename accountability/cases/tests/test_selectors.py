"""Reads with the permission inside the fetch: who sees which case, queues and finality."""

from __future__ import annotations

from datetime import timedelta

from accountability.cases import selectors, services
from accountability.cases.tests.factories import Flow, ago
from accountability.cases.workflow import Action, State
from accountability.common.errors import NotFound, PermissionDenied
from accountability.demo.testing import PersonasTestCase

# Which of the four cases each role lists and opens (the table of issue 3).
#   fresh:    a county clue just registered
#   open:     a county case under investigation; 赵磊 (team_member) is on its team
#   filed:    a county case decided, delivered, archived and filed with the city (赵磊 was on
#             its team too, and keeps seeing the case he investigated)
#   city:     a case the city commission handles itself (Art 11)
VISIBLE = {
    "case_officer": {"fresh", "open", "filed"},
    "office_head": {"fresh", "open", "filed"},
    "leader": {"fresh", "open", "filed"},
    "committee_secretary": {"fresh", "open", "filed"},
    "team_member": {"open", "filed"},
    "archivist": {"filed"},
    "city_officer": {"filed", "city"},
    "township_officer": set(),
    "subject": set(),
}
ADMINS = ("system_admin", "security_admin", "audit_admin")


class VisibilityTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        p = cls.personas
        cls.cases = {
            "fresh": Flow.register(p, p.people.township_handler, received_days_ago=3).case,
            "open": Flow.register(p, p.people.direct).to(State.INVESTIGATING).case,
            "filed": Flow.register(p, p.people.handler).to(State.FILED).case,
            "city": Flow.register(p, p.people.inspection_head, actor=p.city_officer).case,
        }

    def test_each_role_lists_and_opens_only_its_cases(self):
        for username, expected in VISIBLE.items():
            user = getattr(self.personas, username)
            with self.subTest(role=username):
                listed = set(selectors.case_list_for_user(user=user))
                self.assertEqual(listed, {self.cases[k] for k in expected})
                for key, case in self.cases.items():
                    if key in expected:
                        self.assertEqual(
                            selectors.case_get_for_user(case_id=case.pk, user=user), case
                        )
                    else:
                        with self.assertRaises(NotFound):
                            selectors.case_get_for_user(case_id=case.pk, user=user)

    def test_administrators_see_no_case_content(self):
        for username in ADMINS:
            user = getattr(self.personas, username)
            with self.subTest(role=username):
                with self.assertRaisesMessage(PermissionDenied, str(selectors.MSG_ADMIN_NO_CASES)):
                    selectors.case_list_for_user(user=user)
                with self.assertRaisesMessage(PermissionDenied, str(selectors.MSG_ADMIN_NO_CASES)):
                    selectors.case_get_for_user(case_id=self.cases["open"].pk, user=user)
                with self.assertRaises(PermissionDenied):
                    selectors.decision_list_for_user(user=user)
                self.assertEqual(selectors.work_queue_for_user(user=user).total, 0)
                self.assertEqual(selectors.allowed_actions(case=self.cases["open"], user=user), ())

    def test_a_bad_or_unknown_id_is_not_found(self):
        for case_id in ("abc", None, 999999):
            with self.assertRaises(NotFound):
                selectors.case_get_for_user(case_id=case_id, user=self.personas.case_officer)

    def test_the_subject_sees_only_their_own_decision(self):
        p = self.personas
        decisions = list(selectors.decision_list_for_user(user=p.subject))
        self.assertEqual([d.party.case for d in decisions], [self.cases["filed"]])
        decision = decisions[0]
        self.assertEqual(
            selectors.decision_get_for_user(decision_id=decision.pk, user=p.subject), decision
        )
        with self.assertRaises(NotFound):
            selectors.decision_get_for_user(decision_id=decision.pk, user=p.township_officer)
        self.assertEqual(
            selectors.decision_get_for_user(decision_id=decision.pk, user=p.archivist), decision
        )

    def test_allowed_actions_follow_role_and_state(self):
        p = self.personas
        fresh, open_case = self.cases["fresh"], self.cases["open"]

        def actions(case, user):
            return {t.action for t in selectors.allowed_actions(case=case, user=user)}

        self.assertIn(Action.CLUE_APPROVE, actions(fresh, p.office_head))
        self.assertNotIn(Action.CLUE_APPROVE, actions(fresh, p.case_officer))
        self.assertEqual(actions(fresh, p.team_member), set())
        self.assertIn(Action.HEARING_RECORD, actions(open_case, p.team_member))
        self.assertIn(Action.REPORT_SUBMIT, actions(open_case, p.team_member))
        self.assertNotIn(Action.PARTY_ADD, actions(open_case, p.team_member))
        self.assertEqual(actions(open_case, p.archivist), set())
        self.assertEqual(actions(self.cases["filed"], p.archivist), set())
        self.assertEqual(actions(self.cases["filed"], p.city_officer), set())
        self.assertEqual(
            selectors.case_roles_for_user(case=open_case, user=p.team_member), {"team_member"}
        )

    def test_someone_concerned_or_in_conflict_stands_aside_from_the_case(self):
        """回避: 王强 (the leader) is concerned by one case, 李红 has a conflict with another."""
        p = self.personas
        concerned = Flow.register(p, p.people.leader).to(State.INVESTIGATING)
        concerned.hear().report()
        concerned.decide(concerned.meet(recused=[p.people.leader]))
        concerned.issue().deliver(days_ago=5)
        services.conflict_declare(
            case=self.cases["fresh"],
            actor=p.case_officer,
            user=p.office_head,
            kind="close_relative",
            note="与被反映人系夫妻",
        )
        for user, case in ((p.leader, concerned.case), (p.office_head, self.cases["fresh"])):
            with self.subTest(user=user.username):
                self.assertNotIn(case, set(selectors.case_list_for_user(user=user)))
                with self.assertRaises(NotFound):
                    selectors.case_get_for_user(case_id=case.pk, user=user)
                self.assertEqual(selectors.case_roles_for_user(case=case, user=user), set())
                self.assertEqual(selectors.allowed_actions(case=case, user=user), ())
        # The leader still reads his own decision, and those of the cases he sees.
        seen = {d.party.case for d in selectors.decision_list_for_user(user=p.leader)}
        self.assertEqual(seen, {concerned.case, self.cases["filed"]})

    def test_the_timeline_is_the_log_in_order(self):
        timeline = list(selectors.case_timeline(case=self.cases["filed"]))
        self.assertEqual(timeline[0].action, Action.CLUE_REGISTER)
        self.assertEqual(timeline[-1].to_state, State.FILED)


class FilterTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        p = cls.personas
        cls.light = (
            Flow.register(p, p.people.handler, summary="未按规定报批信访件。")
            .to(State.INVESTIGATING)
            .case
        )
        serious = Flow.register(
            p, p.people.township_handler, received_days_ago=20, summary="泄露举报人信息。"
        )
        serious.to(State.ACCEPTED)
        serious.investigate().facts({p.people.township_handler: "较重"})
        cls.serious = serious.case

    def listed(self, **filters):
        return set(selectors.case_list_for_user(user=self.personas.case_officer, filters=filters))

    def test_each_filter_narrows_the_list(self):
        p = self.personas
        both = {self.light, self.serious}
        self.assertEqual(self.listed(), both)
        self.assertEqual(self.listed(state="investigating"), both)
        self.assertEqual(self.listed(state="closed"), set())
        self.assertEqual(self.listed(severity="较重"), {self.serious})
        self.assertEqual(self.listed(circumstance="3"), both)
        self.assertEqual(self.listed(circumstance=5), set())
        self.assertEqual(self.listed(person="胡"), {self.serious})
        self.assertEqual(self.listed(unit=p.orgs.township.pk), {self.serious})
        self.assertEqual(self.listed(unit=p.orgs.county.pk), both)
        self.assertEqual(self.listed(received_from=ago(30).isoformat()), {self.serious})
        self.assertEqual(self.listed(received_to=ago(30)), {self.light})
        self.assertEqual(self.listed(q="泄露"), {self.serious})
        self.assertEqual(self.listed(q=self.light.number), {self.light})

    def test_bad_filter_values_filter_nothing(self):
        self.assertEqual(
            self.listed(circumstance="x", received_from="not-a-date"), {self.light, self.serious}
        )


class WorkQueueTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        p = cls.personas
        cls.clue = Flow.register(p, p.people.township_handler, received_days_ago=2).case
        cls.accepted = Flow.register(p, p.people.inspection_head).to(State.ACCEPTED).case
        cls.open = Flow.register(p, p.people.direct).to(State.INVESTIGATING).case
        issued = Flow.register(p, p.people.handler).to(State.ISSUED)
        cls.issued = issued.case
        cls.delivered = Flow.register(p, p.people.dispatched_head).to(State.ISSUED)
        cls.delivered.deliver(days_ago=5)
        cls.appealed = cls.delivered.decisions[0]
        services.appeal_register(
            decision=cls.appealed,
            actor=p.case_officer,
            received_on=ago(1),
            content="不服，申请复查。",
        )

    def kinds(self, user):
        queue = selectors.work_queue_for_user(user=user)
        return {key: {item.case for item in items} for key, _, items in queue.sections()}

    def test_what_waits_for_each_user(self):
        p = self.personas
        head = self.kinds(p.office_head)
        self.assertEqual(head["approvals"], {self.clue})
        self.assertEqual(head["appeals"], {self.delivered.case})
        officer = self.kinds(p.case_officer)
        self.assertEqual(officer["approvals"], set())
        self.assertEqual(officer["teams"], {self.accepted})
        self.assertEqual(officer["deliveries"], {self.issued})
        self.assertEqual(officer["appeals"], set(), "the committee reviews, not the officer")
        member = self.kinds(p.team_member)
        self.assertEqual(member["hearings"], {self.open})
        self.assertEqual(member["reports"], {self.open})
        self.assertEqual(member["deliveries"], set())
        secretary = self.kinds(p.committee_secretary)
        self.assertEqual(secretary["appeals"], {self.delivered.case})
        self.assertEqual(self.kinds(p.subject), {k: set() for k in head})

    def test_deadlines_within_seven_days(self):
        p = self.personas
        flow = Flow.register(p, p.people.office_head).to(State.ISSUED)
        flow.deliver(days_ago=10)
        decision = flow.decisions[0]
        queue = selectors.work_queue_for_user(user=p.case_officer)
        due = [i for i in queue.deadlines if i.kind == "appeal_deadline"]
        within = decision.appeal_deadline <= ago(0) + timedelta(days=7)
        self.assertEqual(bool([i for i in due if i.case == flow.case]), within)


class FinalityTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.flow = Flow.register(cls.personas).to(State.ISSUED)
        cls.flow.deliver(days_ago=3)
        cls.decision = cls.flow.decisions[0]

    def test_final_the_day_after_the_deadline_without_anyone_acting(self):
        deadline = self.decision.appeal_deadline
        self.assertFalse(selectors.decision_is_final(decision=self.decision, today=deadline))
        self.assertTrue(
            selectors.decision_is_final(decision=self.decision, today=deadline + timedelta(days=1))
        )
        status = selectors.decision_status(decision=self.decision)
        self.assertEqual((status.code, status.until), ("appeal_period", deadline))
        self.assertEqual(status.label, f"申诉期内（至{deadline.isoformat()}）")

    def test_restrictions_come_from_the_stored_assessment(self):
        self.assertEqual(
            selectors.decision_restrictions(decision=self.decision),
            self.decision.current_version.assessment["restrictions"],
        )

    def test_party_assessment_reads_the_recorded_facts(self):
        result = selectors.party_assessment(party=self.decision.party)
        self.assertEqual(result["tier"], "较轻")
        self.assertEqual(result["rulebook"], "zx-2020-10-30")

    def test_committee_members_come_from_the_leading_group(self):
        from accountability.cases.tests.factories import committee

        members = committee(self.personas)
        self.assertEqual(list(selectors.committee_members(case=self.flow.case)), members)
