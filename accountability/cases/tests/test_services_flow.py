"""A case concerning three people, from the clue to the closed file, through the services."""

from __future__ import annotations

from datetime import timedelta

from accountability.audit.models import AuditEntry
from accountability.cases import selectors, services
from accountability.cases.models import (
    Appeal,
    Case,
    Decision,
    DecisionVersion,
    Delivery,
    Hearing,
    TransitionLog,
)
from accountability.cases.tests.factories import Flow, ago, committee
from accountability.cases.workflow import Action, State
from accountability.common.errors import DomainError
from accountability.demo.testing import PersonasTestCase


class ThreePeopleCaseTests(PersonasTestCase):
    """One clue about a handler, the person directly responsible and the head of the office."""

    def test_a_case_with_three_people_goes_through_every_state(self):
        p = self.personas
        handler, direct, head = p.people.handler, p.people.direct, p.people.office_head
        flow = Flow.register(
            p, handler, direct, head, informant_name="匿名群众甲", informant_contact="138****0000"
        )
        case = flow.case
        self.assertEqual(case.state, State.CLUE_REGISTERED)
        self.assertEqual(case.number, f"镇纪干监〔{ago(150).year}〕1号")
        self.assertEqual(case.parties.count(), 3)

        flow.accept()
        self.assertEqual(flow.refresh().case.state, State.ACCEPTED)

        flow.investigate([p.team_member, p.township_officer])
        self.assertEqual(flow.refresh().case.state, State.INVESTIGATING)
        flow.facts({handler: "较轻", direct: "较重", head: "较轻"})
        services.evidence_add(
            case=case,
            actor=p.team_member,
            title="信访件办理台账",
            collected_on=ago(130),
            description="台账显示该件未履行报批手续。",
            party=flow.party(handler),
        )
        flow.hear([flow.party(handler), flow.party(head)])
        services.hearing_refusal_record(
            party=flow.party(direct),
            actor=p.team_member,
            held_on=ago(118),
            refusal_record="经书面通知，朱磊拒绝陈述和申辩，由两名调查人员签字确认。",
        )
        flow.report(
            {head: ("不予追究", [], "已在事前提出纠正意见，不属于本人原因未履行职责（第三条）。")}
        )
        self.assertEqual(flow.refresh().case.state, State.REPORTED)

        meeting = flow.meet()
        flow.decide(meeting, {head: ("不予追究", [], "同意调查组意见，不予追究。")})
        self.assertEqual(flow.refresh().case.state, State.DECIDED)

        first, *_rest = flow.decisions
        services.decision_mark_issued(
            decision=first,
            actor=p.case_officer,
            document_number="镇纪监干〔2026〕3号",
            issued_on=ago(85),
        )
        self.assertEqual(flow.refresh().case.state, State.DECIDED, "two still to issue")
        flow.issue()
        self.assertEqual(flow.refresh().case.state, State.ISSUED)

        flow.deliver()
        self.assertEqual(flow.refresh().case.state, State.DELIVERED)

        services.archive_record(case=case, actor=p.archivist, archived_on=ago(60))
        self.assertEqual(flow.refresh().case.state, State.DELIVERED, "not yet filed")
        services.city_filing_record(case=case, actor=p.case_officer, filed_on=ago(59))
        self.assertEqual(flow.refresh().case.state, State.FILED)

        flow.complete_rectifications()
        services.case_close(case=case, actor=p.case_officer, reason="执行完毕，材料已归档备案。")
        case = Case.objects.get(pk=case.pk)
        self.assertEqual(case.state, State.CLOSED)
        self.assertEqual(case.closed_on, ago(0))

        outcomes = {d.party.person: (d.outcome, d.measures) for d in flow.decisions}
        self.assertEqual(outcomes[handler], ("追究", ["批评教育", "责令限期整改"]))
        self.assertEqual(outcomes[direct], ("追究", ["通报"]))
        self.assertEqual(outcomes[head], ("不予追究", []))
        for decision in flow.decisions:
            self.assertTrue(selectors.decision_is_final(decision=decision))
        states = list(
            TransitionLog.objects.filter(case=case)
            .exclude(from_state="")
            .filter(action__in=[a for a in Action])
            .values_list("to_state", flat=True)
        )
        for state in (
            State.ACCEPTED,
            State.INVESTIGATING,
            State.REPORTED,
            State.DECIDED,
            State.ISSUED,
            State.DELIVERED,
            State.FILED,
            State.CLOSED,
        ):
            self.assertIn(state, states)

    def test_every_action_is_logged_and_audited(self):
        """Each TransitionLog row has an audit entry with the same action, actor and case."""
        p = self.personas
        flow = Flow.register(p, p.people.handler, p.people.direct).to(State.FILED)
        flow.complete_rectifications()
        services.case_close(case=flow.case, actor=p.case_officer)
        logs = list(TransitionLog.objects.filter(case=flow.case).order_by("id"))
        entries = [
            e
            for e in AuditEntry.objects.order_by("seq")
            if e.changes.get("case") == flow.case.number
        ]
        self.assertEqual(len(logs), len(entries))
        for log, entry in zip(logs, entries, strict=True):
            self.assertEqual(entry.changes["action"], log.action)
            self.assertEqual(entry.actor_id, log.actor_id)
            if log.changed_state:
                registered = log.action == Action.CLUE_REGISTER
                self.assertEqual(entry.action, "create" if registered else "transition")
                self.assertEqual(entry.changes["state"], [log.from_state or None, log.to_state])
        self.assertEqual(
            [log.to_state for log in logs if log.changed_state],
            [
                State.CLUE_REGISTERED,
                State.ACCEPTED,
                State.INVESTIGATING,
                State.REPORTED,
                State.DECIDED,
                State.ISSUED,
                State.DELIVERED,
                State.FILED,
                State.CLOSED,
            ],
        )

    def test_history_rows_cannot_be_changed(self):
        from accountability.cases.models import AppendOnlyError

        p = self.personas
        flow = Flow.register(p)
        log = TransitionLog.objects.filter(case=flow.case).first()
        log.reason = "改写"
        with self.assertRaises(AppendOnlyError):
            log.save()
        with self.assertRaises(AppendOnlyError):
            log.delete()
        with self.assertRaises(AppendOnlyError):
            TransitionLog.objects.filter(case=flow.case).update(reason="改写")
        with self.assertRaises(AppendOnlyError):
            DecisionVersion.objects.all().delete()


class StepRecordsTests(PersonasTestCase):
    """What each step leaves behind on a case decided for one person."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.flow = Flow.register(cls.personas).to(State.DELIVERED)
        cls.decision = cls.flow.decisions[0]

    def test_the_decision_stores_its_assessment_and_rulebook_version(self):
        version = self.decision.current_version
        self.assertEqual(version.number, 1)
        self.assertEqual(version.source, DecisionVersion.Source.COMMITTEE)
        self.assertEqual(version.rulebook_version, "zx-2020-10-30")
        self.assertEqual(version.inputs["imposed"], ["批评教育", "责令限期整改"])
        self.assertEqual(version.inputs["decided_on"], ago(90).isoformat())
        self.assertEqual(version.assessment["tier"], "较轻")
        self.assertTrue(version.assessment["explanation"])
        self.assertFalse(version.departs)

    def test_delivery_to_the_person_sets_the_appeal_deadline_by_the_rulebook(self):
        import rulebook

        expected = rulebook.assess_dict(
            {**self.decision.current_version.inputs, "received_on": ago(80).isoformat()}
        )["appeal_deadline"]
        self.assertEqual(self.decision.appeal_deadline.isoformat(), expected)
        self.assertGreaterEqual(self.decision.appeal_deadline, ago(80) + timedelta(days=15))
        self.assertEqual(
            set(self.decision.deliveries.values_list("recipient", flat=True)),
            {Delivery.Recipient.PERSON, Delivery.Recipient.UNIT},
        )

    def test_the_rectification_follows_from_the_measures(self):
        row = self.decision.rectifications.get()
        self.assertEqual(row.deadline, ago(90) + timedelta(days=30))
        self.assertTrue(row.is_overdue(ago(0)))

    def test_once_delivered_no_further_delivery_is_recorded(self):
        from accountability.cases import workflow as wf

        with self.assertRaisesMessage(
            DomainError, wf.illegal_message(State.DELIVERED, Action.DELIVERY_RECORD)
        ):
            services.delivery_record(
                decision=self.decision,
                actor=self.personas.case_officer,
                recipient=Delivery.Recipient.PERSON,
                delivered_on=ago(1),
                manner=Delivery.Manner.POST,
            )

    def test_the_committee_meeting_keeps_the_quorum_rule_and_the_vote(self):
        meeting = self.decision.meeting
        self.assertEqual(meeting.committee_size, 9)
        self.assertEqual(meeting.quorum_rule, "more_than_half")
        self.assertEqual(meeting.members_present.count(), len(committee(self.personas)))
        self.assertEqual(meeting.votes_for, 9)

    def test_hearings_and_no_appeal(self):
        self.assertTrue(Hearing.objects.filter(party=self.decision.party).exists())
        self.assertFalse(Appeal.objects.filter(decision=self.decision).exists())
        self.assertEqual(Decision.objects.filter(party__case=self.flow.case).count(), 1)
