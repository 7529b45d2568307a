"""13(3) 研究决定: the meeting (quorum, recusal, vote) and each person's decision."""

from __future__ import annotations

from datetime import timedelta

from django.test import override_settings

from accountability.cases import services
from accountability.cases.models import (
    CommitteeMeeting,
    ConflictDeclaration,
    Decision,
    MeetingRecusal,
    Rectification,
)
from accountability.cases.tests.factories import Flow, ago, committee
from accountability.cases.workflow import State
from accountability.common.errors import DomainError
from accountability.demo.testing import PersonasTestCase


class MeetingTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        p = cls.personas
        cls.members = committee(p)  # nine, 王强 among them
        cls.flow = Flow.register(p, p.people.handler, p.people.direct).to(State.REPORTED)

    def test_no_meeting_without_quorum(self):
        """Nine members: more than half is five voting members; four are not enough."""
        with self.assertRaisesMessage(
            DomainError,
            services.MSG_QUORUM.format(n=4, rule="超过应到会成员半数", size=9, required=5),
        ):
            self.flow.meet(present=self.members[:4])
        self.assertFalse(CommitteeMeeting.objects.exists())

    def test_recused_members_do_not_count_for_the_quorum(self):
        with self.assertRaisesMessage(
            DomainError,
            services.MSG_QUORUM.format(n=4, rule="超过应到会成员半数", size=9, required=5),
        ):
            self.flow.meet(present=self.members[:5], recused=self.members[:1])

    @override_settings(CASES_COMMITTEE_SIZE=8, CASES_QUORUM_RULE="at_least_half")
    def test_the_quorum_rule_is_a_setting(self):
        meeting = self.flow.meet(present=self.members[:4])
        self.assertEqual((meeting.committee_size, meeting.quorum_rule), (8, "at_least_half"))

    def test_a_member_with_a_conflict_must_stand_aside_from_the_vote(self):
        p = self.personas
        member = self.members[-1]
        services.conflict_declare(
            case=self.flow.case,
            actor=p.committee_secretary,
            person=member,
            kind=ConflictDeclaration.Kind.INTEREST,
            note="其配偶为吴刚所在科室负责人",
        )
        with self.assertRaisesMessage(
            DomainError,
            services.MSG_VOTE_RECUSAL_CONFLICT.format(
                name=member.name, kind="与案件有利害关系", note="（其配偶为吴刚所在科室负责人）"
            ),
        ):
            self.flow.meet()
        meeting = self.flow.meet(recused=[member])
        recusal = MeetingRecusal.objects.get(meeting=meeting)
        self.assertEqual((recusal.person, recusal.reason), (member, "与案件有利害关系"))
        self.assertEqual(meeting.votes_for, 8)

    def test_a_member_concerned_by_the_case_cannot_vote(self):
        p = self.personas
        flow = Flow.register(p, p.people.handler, p.people.leader).to(State.REPORTED)
        with self.assertRaisesMessage(
            DomainError, services.MSG_VOTE_RECUSAL_PARTY.format(name="王强")
        ):
            flow.meet()
        meeting = flow.meet(recused=[p.people.leader])
        self.assertEqual(meeting.recusals.get().reason, "本案被调查人")

    def test_the_votes_must_add_up_to_the_voting_members(self):
        with self.assertRaisesMessage(DomainError, services.MSG_VOTES_TOTAL.format(total=5, n=9)):
            services.meeting_record(
                case=self.flow.case,
                actor=self.personas.committee_secretary,
                held_on=ago(90),
                members_present=self.members,
                votes_for=5,
            )

    def test_a_meeting_before_the_report_is_refused(self):
        with self.assertRaisesMessage(
            DomainError,
            services.MSG_DATE_ORDER.format(
                label="会议日期", other_label="调查报告提交日期", other=ago(100).isoformat()
            ),
        ):
            self.flow.meet(days_ago=101)


class DecisionTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        p = cls.personas
        cls.flow = Flow.register(p, p.people.handler, p.people.direct)
        cls.flow.to(State.INVESTIGATING)
        # 吴刚 is heard; 朱磊 is not (yet).
        cls.flow.hear([cls.flow.party(p.people.handler)]).report()
        cls.meeting = cls.flow.meet()
        cls.handler = cls.flow.party(p.people.handler)
        cls.direct = cls.flow.party(p.people.direct)

    def decide(self, party, **kwargs):
        values = dict(
            party=party,
            meeting=self.meeting,
            actor=self.personas.committee_secretary,
            outcome="追究",
            measures=["批评教育"],
        )
        values.update(kwargs)
        return services.decision_record(**values)

    def test_no_decision_for_a_person_not_heard(self):
        with self.assertRaisesMessage(DomainError, services.MSG_NOT_HEARD.format(name="朱磊")):
            self.decide(self.direct)
        self.assertFalse(Decision.objects.filter(party=self.direct).exists())

    def test_a_recorded_refusal_to_speak_allows_the_decision(self):
        services.hearing_refusal_record(
            party=self.direct,
            actor=self.personas.team_member,
            held_on=ago(95),
            refusal_record="朱磊经通知拒绝陈述和申辩，调查人员二人在场记录。",
        )
        decision = self.decide(self.direct)
        self.assertEqual(decision.outcome, "追究")
        self.assertTrue(self.direct.hearings.get().refused)

    def test_the_case_is_decided_when_every_person_is(self):
        self.decide(self.handler)
        self.assertEqual(self.flow.refresh().case.state, State.REPORTED)
        services.hearing_record(
            party=self.direct,
            actor=self.personas.team_member,
            held_on=ago(95),
            statement="无异议。",
        )
        self.decide(self.direct)
        self.assertEqual(self.flow.refresh().case.state, State.DECIDED)

    def test_a_decision_outside_the_rulebook_needs_a_reason(self):
        with self.assertRaisesMessage(
            DomainError,
            services.MSG_DEPARTURE.format(
                name="吴刚", measures="诫勉", allowed="批评教育、提醒约谈、诫勉谈话、责令限期整改"
            ),
        ):
            self.decide(self.handler, measures=["诫勉"])
        decision = self.decide(self.handler, measures=["诫勉"], reason="常委会认为情节较重。")
        self.assertTrue(decision.current_version.departs)
        self.assertEqual(decision.current_version.reason, "常委会认为情节较重。")

    def test_rectification_needs_a_deadline_after_the_decision(self):
        with self.assertRaisesMessage(
            DomainError, services.MSG_RECTIFICATION_DEADLINE.format(name="吴刚")
        ):
            self.decide(self.handler, measures=["责令限期整改"])
        with self.assertRaisesMessage(
            DomainError,
            services.MSG_RECTIFICATION_DEADLINE_ORDER.format(decided=ago(90).isoformat()),
        ):
            self.decide(self.handler, measures=["责令限期整改"], rectification_deadline=ago(90))
        decision = self.decide(
            self.handler,
            measures=["责令限期整改"],
            rectification_deadline=ago(90) + timedelta(days=30),
        )
        self.assertEqual(Rectification.objects.get(decision=decision).deadline, ago(60))

    def test_one_decision_per_person(self):
        self.decide(self.handler)
        with self.assertRaisesMessage(
            DomainError, services.MSG_ALREADY_DECIDED.format(name="吴刚")
        ):
            self.decide(self.handler)

    def test_not_pursuing_takes_no_measures(self):
        with self.assertRaisesMessage(
            DomainError, services.MSG_MEASURES_NOT_ALLOWED.format(name="吴刚")
        ):
            self.decide(self.handler, outcome="不予追究", measures=["批评教育"], reason="理由")
        with self.assertRaisesMessage(
            DomainError, services.MSG_MEASURES_REQUIRED.format(name="吴刚")
        ):
            self.decide(self.handler, measures=[])
        with self.assertRaisesMessage(DomainError, str(services.MSG_OUTCOME)):
            self.decide(self.handler, outcome="免予处理")

    def test_a_failed_vote_allows_no_decision(self):
        p = self.personas
        members = committee(p)
        flow = Flow.register(p, p.people.direct).to(State.INVESTIGATING)
        flow.hear().report()
        meeting = services.meeting_record(
            case=flow.case,
            actor=p.committee_secretary,
            held_on=ago(90),
            members_present=members,
            votes_for=4,
            votes_against=5,
        )
        with self.assertRaisesMessage(
            DomainError, services.MSG_MOTION_FAILED.format(votes=4, required=5)
        ):
            services.decision_record(
                party=flow.parties[0],
                meeting=meeting,
                actor=p.committee_secretary,
                outcome="追究",
                measures=["批评教育"],
            )

    def test_another_cases_meeting_is_refused(self):
        p = self.personas
        other = Flow.register(p, p.people.township_handler).to(State.REPORTED)
        meeting = other.meet()
        with self.assertRaisesMessage(DomainError, str(services.MSG_MEETING_OTHER_CASE)):
            self.decide(self.handler, meeting=meeting)

    def test_only_the_committee_records_decisions(self):
        from accountability.cases import workflow as wf
        from accountability.common.errors import PermissionDenied

        transition = wf.transition_for("decision_record")
        with self.assertRaisesMessage(
            PermissionDenied, wf.role_message(transition, {"case_officer"})
        ):
            self.decide(self.handler, actor=self.personas.case_officer)
