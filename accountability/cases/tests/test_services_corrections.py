"""Records entered by mistake (hearing, evidence, delivery): corrected or withdrawn with a
reason, by the person who entered them or the office head; the original stays in the record's
history and the audit trail; a withdrawn hearing or delivery no longer counts."""

from __future__ import annotations

from accountability.accounts.models import User
from accountability.audit.models import AuditEntry
from accountability.cases import rules, services
from accountability.cases.models import Delivery, Evidence, Hearing, RecordCorrection
from accountability.cases.services import _records
from accountability.cases.tests.factories import Flow, ago
from accountability.cases.workflow import State
from accountability.common.errors import DomainError, PermissionDenied
from accountability.demo.testing import PersonasTestCase


class HearingCorrectionTests(PersonasTestCase):
    def setUp(self):
        p = self.personas
        self.flow = Flow.register(p).accept().investigate().facts()
        self.party = self.flow.parties[0]
        self.flow.hear([self.party])
        self.hearing = Hearing.objects.get(party=self.party)

    def test_the_author_corrects_and_the_original_stays_in_the_history(self):
        p = self.personas
        services.hearing_correct(
            hearing=self.hearing,
            actor=p.team_member,
            reason="陈述录入有误，按谈话笔录更正。",
            statement="对未报批的事实有异议。",
            held_on=ago(119),
        )
        self.hearing.refresh_from_db()
        self.assertEqual(self.hearing.statement, "对未报批的事实有异议。")
        (row,) = _records.history(RecordCorrection.Record.HEARING, self.hearing.pk)
        self.assertEqual(row.kind, RecordCorrection.Kind.CORRECTION)
        self.assertEqual(
            row.before, {"statement": "对未报批的事实无异议。", "held_on": ago(120).isoformat()}
        )
        self.assertEqual(row.after["statement"], "对未报批的事实有异议。")
        self.assertEqual(row.made_by, p.team_member)
        self.assertEqual(row.reason, "陈述录入有误，按谈话笔录更正。")
        entry = AuditEntry.objects.latest("seq")
        self.assertEqual(entry.action, "update")
        self.assertEqual(entry.changes["fields"], ["held_on", "statement"])
        self.assertNotIn("对未报批的事实无异议。", str(entry.changes), "content is sealed")

    def test_the_office_head_may_correct(self):
        services.hearing_correct(
            hearing=self.hearing,
            actor=self.personas.office_head,
            reason="更正申辩内容。",
            defence="系工作疏忽。",
        )
        self.hearing.refresh_from_db()
        self.assertEqual(self.hearing.defence, "系工作疏忽。")

    def test_someone_else_is_refused_with_the_rule(self):
        p = self.personas
        message = services.MSG_NOT_AUTHOR.format(
            record="陈述申辩记录", author="赵磊", action="更正"
        )
        with self.assertRaisesMessage(PermissionDenied, message):
            services.hearing_correct(
                hearing=self.hearing, actor=p.case_officer, reason="更正。", statement="改。"
            )
        with self.assertRaisesMessage(
            PermissionDenied,
            services.MSG_NOT_AUTHOR.format(record="陈述申辩记录", author="赵磊", action="撤回"),
        ):
            services.hearing_withdraw(hearing=self.hearing, actor=p.case_officer, reason="误录。")
        self.assertFalse(RecordCorrection.objects.exists())

    def test_a_reason_is_required_and_a_change_too(self):
        p = self.personas
        with self.assertRaisesMessage(DomainError, "请填写理由。"):
            services.hearing_correct(
                hearing=self.hearing, actor=p.team_member, reason=" ", statement="改。"
            )
        with self.assertRaisesMessage(DomainError, str(services.MSG_NO_CHANGE)):
            services.hearing_correct(
                hearing=self.hearing,
                actor=p.team_member,
                reason="更正。",
                statement="对未报批的事实无异议。",
            )

    def test_a_withdrawn_hearing_does_not_count_for_the_decision(self):
        p = self.personas
        services.hearing_withdraw(hearing=self.hearing, actor=p.team_member, reason="录错了人。")
        self.hearing.refresh_from_db()
        self.assertTrue(self.hearing.withdrawn)
        self.assertEqual(self.hearing.withdrawn_by, p.team_member)
        self.assertEqual(self.hearing.withdrawal_reason, "录错了人。")
        (row,) = _records.history(RecordCorrection.Record.HEARING, self.hearing.pk)
        self.assertEqual(row.kind, RecordCorrection.Kind.WITHDRAWAL)
        with self.assertRaisesMessage(
            DomainError,
            services.MSG_WITHDRAWN.format(record="陈述申辩记录", date=ago(0), action="更正"),
        ):
            services.hearing_correct(
                hearing=self.hearing, actor=p.team_member, reason="更正。", statement="改。"
            )
        self.flow.report()
        meeting = self.flow.meet()
        with self.assertRaisesMessage(DomainError, services.MSG_NOT_HEARD.format(name="吴刚")):
            services.decision_record(
                party=self.party,
                meeting=meeting,
                actor=p.committee_secretary,
                outcome="追究",
                measures=["批评教育"],
            )

    def test_the_only_hearing_of_a_decided_person_cannot_be_withdrawn(self):
        p = self.personas
        flow = Flow.register(p, p.people.handler, p.people.township_handler).accept().investigate()
        flow.facts().hear().report()
        meeting = flow.meet()
        first, _second = flow.parties
        services.decision_record(
            party=first,
            meeting=meeting,
            actor=p.committee_secretary,
            outcome="追究",
            measures=["批评教育"],
        )
        self.assertEqual(flow.refresh().case.state, State.REPORTED)
        hearing = Hearing.objects.get(party=first)
        with self.assertRaisesMessage(
            DomainError, services.MSG_HEARING_LAST.format(name=first.person.name)
        ):
            services.hearing_withdraw(hearing=hearing, actor=p.team_member, reason="误录。")


class EvidenceCorrectionTests(PersonasTestCase):
    def setUp(self):
        p = self.personas
        self.flow = Flow.register(p).accept().investigate()
        self.evidence = services.evidence_add(
            case=self.flow.case,
            actor=p.team_member,
            title="谈话笔录",
            collected_on=ago(130),
        )

    def test_correct_and_withdraw_keep_the_history(self):
        p = self.personas
        services.evidence_correct(
            evidence=self.evidence, actor=p.team_member, reason="名称有误。", title="询问笔录"
        )
        services.evidence_withdraw(
            evidence=self.evidence, actor=p.office_head, reason="与本案无关。"
        )
        row = Evidence.objects.get(pk=self.evidence.pk)
        self.assertEqual(row.title, "询问笔录")
        self.assertEqual(row.withdrawn_by, p.office_head)
        history = _records.history(RecordCorrection.Record.EVIDENCE, row.pk)
        self.assertEqual([h.kind for h in history], ["correction", "withdrawal"])
        self.assertEqual(history[0].before, {"title": "谈话笔录"})

    def test_someone_else_is_refused(self):
        with self.assertRaisesMessage(
            PermissionDenied,
            services.MSG_NOT_AUTHOR.format(record="证据材料", author="赵磊", action="撤回"),
        ):
            services.evidence_withdraw(
                evidence=self.evidence, actor=self.personas.case_officer, reason="误录。"
            )


class DeliveryCorrectionTests(PersonasTestCase):
    def setUp(self):
        self.flow = Flow.register(self.personas).to(State.DELIVERED)
        self.decision = self.flow.decisions[0]
        self.to_person = self.decision.deliveries.get(recipient=Delivery.Recipient.PERSON)

    def test_a_withdrawn_delivery_undoes_finality_and_the_step(self):
        p = self.personas
        self.assertTrue(rules.decision_is_final(decision=self.decision))
        services.delivery_withdraw(
            delivery=self.to_person, actor=p.case_officer, reason="送达回证签收人有误。"
        )
        self.decision.refresh_from_db()
        self.assertIsNone(self.decision.appeal_deadline)
        self.assertIsNone(rules.decision_final_on(decision=self.decision))
        self.assertEqual(self.flow.refresh().case.state, State.ISSUED)
        # Delivered again: the record counts and the case is delivered again.
        services.delivery_record(
            decision=self.decision,
            actor=p.case_officer,
            recipient=Delivery.Recipient.PERSON,
            delivered_on=ago(70),
            manner=Delivery.Manner.POST,
        )
        self.assertEqual(self.flow.refresh().case.state, State.DELIVERED)
        self.decision.refresh_from_db()
        self.assertIsNotNone(self.decision.appeal_deadline)
        self.assertEqual(self.decision.deliveries.count(), 3, "the withdrawn one stays")

    def test_a_corrected_date_counts_the_appeal_period_again(self):
        p = self.personas
        before = self.decision.appeal_deadline
        services.delivery_correct(
            delivery=self.to_person,
            actor=p.office_head,
            reason="送达日期录入有误。",
            delivered_on=ago(75),
        )
        self.decision.refresh_from_db()
        self.assertGreater(self.decision.appeal_deadline, before)
        (row,) = _records.history(RecordCorrection.Record.DELIVERY, self.to_person.pk)
        self.assertEqual(row.before, {"delivered_on": ago(80).isoformat()})

    def test_another_case_officer_is_refused(self):
        p = self.personas
        other = User.objects.create(
            username="case_officer_2",
            role="case_officer",
            full_name="林平",
            organisation=p.case_officer.organisation,
        )
        with self.assertRaisesMessage(
            PermissionDenied,
            services.MSG_NOT_AUTHOR.format(record="送达记录", author="张明", action="撤回"),
        ):
            services.delivery_withdraw(delivery=self.to_person, actor=other, reason="误录。")
        self.assertEqual(self.flow.refresh().case.state, State.DELIVERED)
