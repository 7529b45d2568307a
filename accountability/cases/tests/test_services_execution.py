"""13(4) 执行决定, Art 16 申诉 and Art 10 责令限期整改, then closing the file."""

from __future__ import annotations

from datetime import timedelta

from accountability.cases import selectors, services
from accountability.cases.models import (
    Appeal,
    AppendOnlyError,
    Case,
    DecisionVersion,
    Delivery,
    Outcome,
    Rectification,
)
from accountability.cases.tests.factories import Flow, ago
from accountability.cases.workflow import State
from accountability.common.errors import DomainError, PermissionDenied
from accountability.demo.testing import PersonasTestCase


def appeal(decision, actor, **kwargs):
    values = dict(
        decision=decision, actor=actor, received_on=ago(1), content="认为情节认定过重，请求复查。"
    )
    values.update(kwargs)
    return services.appeal_register(**values)


class IssueAndDeliveryTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        p = cls.personas
        cls.flow = Flow.register(p, p.people.handler, p.people.direct).to(State.ISSUED)
        cls.decision = cls.flow.decisions[0]

    def test_an_issued_document_is_not_issued_twice(self):
        p = self.personas
        flow = Flow.register(p, p.people.handler, p.people.direct).to(State.DECIDED)
        first = flow.decisions[0]
        services.decision_mark_issued(
            decision=first,
            actor=p.case_officer,
            document_number="镇纪监干〔2026〕7号",
            issued_on=ago(85),
        )
        with self.assertRaisesMessage(
            DomainError,
            services.MSG_ALREADY_ISSUED.format(name="吴刚", number="镇纪监干〔2026〕7号"),
        ):
            services.decision_mark_issued(
                decision=first, actor=p.case_officer, document_number="镇纪监干〔2026〕99号"
            )
        self.assertEqual(flow.refresh().case.state, State.DECIDED)

    def test_no_appeal_before_the_delivery_to_the_person(self):
        with self.assertRaisesMessage(
            DomainError, services.MSG_APPEAL_NOT_DELIVERED.format(name="吴刚")
        ):
            appeal(self.decision, self.personas.case_officer)

    def test_the_case_is_delivered_when_every_person_and_unit_has_it(self):
        p = self.personas
        first, second = self.flow.decisions
        for decision, recipient in ((first, "person"), (first, "unit"), (second, "person")):
            services.delivery_record(
                decision=decision,
                actor=p.case_officer,
                recipient=recipient,
                delivered_on=ago(80),
                manner="direct",
            )
            self.assertEqual(self.flow.refresh().case.state, State.ISSUED)
        with self.assertRaisesMessage(
            DomainError,
            services.MSG_ALREADY_DELIVERED.format(
                name="朱磊", date=ago(80).isoformat(), recipient="被追究责任者本人"
            ),
        ):
            services.delivery_record(
                decision=second,
                actor=p.case_officer,
                recipient="person",
                delivered_on=ago(80),
                manner="post",
            )
        services.delivery_record(
            decision=second,
            actor=p.case_officer,
            recipient="unit",
            delivered_on=ago(79),
            manner="entrusted",
        )
        self.assertEqual(self.flow.refresh().case.state, State.DELIVERED)

    def test_delivery_before_the_document_was_issued_is_refused(self):
        with self.assertRaisesMessage(
            DomainError,
            services.MSG_DATE_ORDER.format(
                label="送达日期", other_label="印发日期", other=ago(85).isoformat()
            ),
        ):
            services.delivery_record(
                decision=self.decision,
                actor=self.personas.case_officer,
                recipient="person",
                delivered_on=ago(86),
                manner="direct",
            )


class AppealTests(PersonasTestCase):
    """Delivered 80 days ago (period over) and 5 days ago (period running)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        p = cls.personas
        cls.old = Flow.register(p, p.people.handler).to(State.DELIVERED)
        cls.fresh = Flow.register(p, p.people.direct).to(State.ISSUED)
        cls.fresh.deliver(days_ago=5)
        cls.old_decision = cls.old.decisions[0]
        cls.fresh_decision = cls.fresh.decisions[0]

    def test_a_late_appeal_without_a_reason_is_recorded_as_rejected_and_flagged(self):
        p = self.personas
        row = appeal(self.old_decision, p.case_officer)
        self.assertTrue(row.late)
        self.assertEqual(row.status, Appeal.Status.REJECTED_LATE)
        self.assertEqual(row.deadline, self.old_decision.appeal_deadline)
        log = self.old.case.log.order_by("-id").first()
        self.assertEqual(log.reason, services.LATE_REJECTION_NOTE)
        self.assertTrue(selectors.decision_is_final(decision=self.old_decision))

    def test_a_late_appeal_accepted_with_a_reason_goes_to_review(self):
        p = self.personas
        row = appeal(
            self.old_decision,
            p.case_officer,
            late_acceptance_reason="本人因住院治疗未能按期申诉，有医院证明。",
        )
        self.assertEqual((row.late, row.status), (True, Appeal.Status.PENDING))
        self.assertFalse(selectors.decision_is_final(decision=self.old_decision))
        self.assertEqual(selectors.decision_status(decision=self.old_decision).code, "appealing")

    def test_an_appeal_in_time_is_pending_and_stops_finality(self):
        row = appeal(self.fresh_decision, self.personas.case_officer)
        self.assertEqual((row.late, row.status), (False, Appeal.Status.PENDING))
        self.assertIsNone(selectors.decision_final_on(decision=self.fresh_decision))
        with self.assertRaisesMessage(
            DomainError,
            services.MSG_APPEAL_PENDING_EXISTS.format(name="朱磊", date=ago(1).isoformat()),
        ):
            appeal(self.fresh_decision, self.personas.case_officer)

    def test_a_mailed_appeal_counts_by_its_postmark(self):
        deadline = self.old_decision.appeal_deadline
        row = appeal(
            self.old_decision,
            self.personas.case_officer,
            manner="post",
            postmark_on=deadline,
            received_on=deadline + timedelta(days=3),
        )
        self.assertFalse(row.late)
        self.assertEqual(row.filed_on, deadline)
        with self.assertRaisesMessage(DomainError, str(services.MSG_APPEAL_POSTMARK)):
            appeal(self.fresh_decision, self.personas.case_officer, manner="post")

    def test_an_appeal_must_be_written(self):
        with self.assertRaisesMessage(DomainError, str(services.MSG_APPEAL_NOT_WRITTEN)):
            appeal(self.fresh_decision, self.personas.case_officer, written=False)

    def test_the_reviewing_organ_is_the_deciding_one_or_the_one_above(self):
        p = self.personas
        with self.assertRaisesMessage(
            DomainError, services.MSG_REVIEWING_ORGAN.format(organ="镇雄县纪委监委")
        ):
            appeal(self.fresh_decision, p.case_officer, reviewing_organ=p.orgs.township)

    def test_an_appeal_that_changes_the_decision_keeps_the_old_version(self):
        p = self.personas
        decision = self.fresh_decision
        original = decision.current_version
        self.assertEqual(original.measures, ["批评教育", "责令限期整改"])
        row = appeal(decision, p.case_officer)
        version = services.appeal_review_record(
            appeal=row,
            actor=p.committee_secretary,
            reviewed_on=ago(0),
            outcome="changed",
            measures=["批评教育"],
            reason="已主动整改到位，不再责令限期整改。",
        )
        decision.refresh_from_db()
        self.assertEqual(decision.current_version, version)
        self.assertEqual(
            (version.number, version.source, version.appeal),
            (2, DecisionVersion.Source.APPEAL_REVIEW, row),
        )
        self.assertEqual(version.measures, ["批评教育"])
        self.assertEqual(version.inputs["imposed"], ["批评教育"])
        self.assertEqual(version.inputs["decided_on"], original.inputs["decided_on"])
        old = DecisionVersion.objects.get(pk=original.pk)
        self.assertEqual((old.number, old.measures), (1, ["批评教育", "责令限期整改"]))
        old.measures = ["改写"]
        with self.assertRaises(AppendOnlyError):
            old.save()
        rectification = Rectification.objects.get(decision=decision)
        self.assertEqual(rectification.cancelled_on, ago(0))
        self.assertEqual(rectification.cancel_reason, "申诉复查变更原决定，不再责令限期整改。")
        row.refresh_from_db()
        self.assertEqual((row.status, row.outcome), (Appeal.Status.REVIEWED, "changed"))
        self.assertTrue(selectors.decision_is_final(decision=decision))
        with self.assertRaisesMessage(
            DomainError,
            services.MSG_APPEAL_REVIEWED_EXISTS.format(name="朱磊", date=ago(0).isoformat()),
        ):
            appeal(decision, p.case_officer)

    def test_a_change_must_change_something(self):
        p = self.personas
        row = appeal(self.fresh_decision, p.case_officer)
        review = dict(
            appeal=row,
            actor=p.committee_secretary,
            reviewed_on=ago(0),
            outcome="changed",
            reason="复查",
        )
        with self.assertRaisesMessage(DomainError, str(services.MSG_REVIEW_MEASURES)):
            services.appeal_review_record(**review)
        with self.assertRaisesMessage(DomainError, str(services.MSG_REVIEW_SAME)):
            services.appeal_review_record(**review, measures=["责令限期整改", "批评教育"])

    def test_a_revoked_decision_no_longer_counts(self):
        p = self.personas
        row = appeal(self.fresh_decision, p.case_officer)
        version = services.appeal_review_record(
            appeal=row,
            actor=p.committee_secretary,
            reviewed_on=ago(0),
            outcome="revoked",
            reason="事实不清，撤销原决定。",
        )
        self.assertEqual((version.outcome, version.measures), (Outcome.REVOKED, []))
        self.fresh_decision.refresh_from_db()
        self.assertEqual(selectors.decision_status(decision=self.fresh_decision).code, "revoked")
        self.assertEqual(selectors.decision_restrictions(decision=self.fresh_decision), [])

    def test_an_upheld_decision_is_final_from_the_review(self):
        p = self.personas
        row = appeal(self.fresh_decision, p.case_officer)
        version = services.appeal_review_record(
            appeal=row,
            actor=p.committee_secretary,
            reviewed_on=ago(0),
            outcome="upheld",
            reason="原决定事实清楚，维持。",
        )
        self.assertEqual(version.measures, ["批评教育", "责令限期整改"])
        self.assertEqual(selectors.decision_final_on(decision=self.fresh_decision), ago(0))

    def test_an_appeal_to_the_city_is_reviewed_by_the_city(self):
        p = self.personas
        row = appeal(self.fresh_decision, p.case_officer, reviewing_organ=p.orgs.city)
        with self.assertRaisesMessage(
            PermissionDenied, services.MSG_REVIEWER_ORGAN.format(organ="昭通市纪委监委")
        ):
            services.appeal_review_record(
                appeal=row,
                actor=p.committee_secretary,
                reviewed_on=ago(0),
                outcome="upheld",
                reason="维持",
            )
        case = selectors.case_get_for_user(case_id=self.fresh.case.pk, user=p.city_officer)
        actions = {t.action for t in selectors.allowed_actions(case=case, user=p.city_officer)}
        self.assertEqual(actions, {"appeal_review_record"})
        services.appeal_review_record(
            appeal=row,
            actor=p.city_officer,
            reviewed_on=ago(0),
            outcome="upheld",
            reason="维持原决定。",
        )

    def test_no_appeal_against_not_pursuing(self):
        p = self.personas
        flow = Flow.register(p, p.people.township_handler).to(State.INVESTIGATING)
        flow.hear().report({p.people.township_handler: ("不予追究", [], "情节显著轻微。")})
        flow.decide(decisions={p.people.township_handler: ("不予追究", [], "情节显著轻微。")})
        flow.issue().deliver(days_ago=3)
        decision = flow.decisions[0]
        self.assertIsNone(decision.appeal_deadline)
        self.assertTrue(selectors.decision_is_final(decision=decision))
        with self.assertRaisesMessage(
            DomainError, services.MSG_APPEAL_NOT_PURSUED.format(name="胡静", outcome="不予追究")
        ):
            appeal(decision, p.case_officer)


class RectificationAndClosingTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        p = cls.personas
        cls.flow = Flow.register(p, p.people.handler, p.people.direct).to(State.FILED)
        cls.rectification = Rectification.objects.get(
            decision__party__person=p.people.handler, decision__party__case=cls.flow.case
        )

    def test_an_overdue_rectification_is_listed_until_completed(self):
        p = self.personas
        self.assertEqual(self.rectification.deadline, ago(60))
        overdue = list(selectors.rectification_list_overdue(user=p.case_officer))
        self.assertIn(self.rectification, overdue)
        queue = selectors.work_queue_for_user(user=p.case_officer)
        self.assertIn(
            self.rectification.decision.party, [item.party for item in queue.overdue_rectifications]
        )
        row = services.rectification_complete(
            rectification=self.rectification,
            actor=p.case_officer,
            completed_on=ago(2),
            evidence="整改报告及补办的报批单。",
        )
        self.assertEqual(row.completed_on, ago(2))
        self.assertNotIn(row, list(selectors.rectification_list_overdue(user=p.case_officer)))
        log = self.flow.case.log.order_by("-id").first()
        self.assertEqual((log.action, log.party), ("rectification_complete", row.decision.party))
        with self.assertRaisesMessage(
            DomainError, services.MSG_RECTIFICATION_CLOSED.format(status="完成")
        ):
            services.rectification_complete(
                rectification=row, actor=p.case_officer, completed_on=ago(1), evidence="再次"
            )

    def test_close_is_refused_while_a_rectification_is_open(self):
        with self.assertRaisesMessage(
            DomainError,
            services.MSG_CLOSE_RECTIFICATION.format(name="吴刚", deadline=ago(60).isoformat()),
        ):
            services.case_close(case=self.flow.case, actor=self.personas.case_officer)

    def test_close_is_refused_while_an_appeal_is_pending(self):
        p = self.personas
        self.flow.complete_rectifications()
        decision = self.flow.decisions[1]
        appeal(decision, p.case_officer, late_acceptance_reason="因公外出，未及时收到送达。")
        with self.assertRaisesMessage(
            DomainError, services.MSG_CLOSE_APPEAL_PENDING.format(name="朱磊")
        ):
            services.case_close(case=self.flow.case, actor=p.case_officer)
        self.assertEqual(Case.objects.get(pk=self.flow.case.pk).state, State.FILED)

    def test_close_is_refused_before_the_appeal_period_ends(self):
        p = self.personas
        flow = Flow.register(p, p.people.township_handler).to(State.ISSUED)
        flow.deliver(days_ago=3).archive_and_file(days_ago=2).complete_rectifications(days_ago=1)
        deadline = flow.decisions[0].appeal_deadline
        with self.assertRaisesMessage(
            DomainError,
            services.MSG_CLOSE_NOT_FINAL.format(name="胡静", deadline=deadline.isoformat()),
        ):
            services.case_close(case=flow.case, actor=p.case_officer)

    def test_a_revoked_decision_does_not_hold_up_closing(self):
        p = self.personas
        self.flow.complete_rectifications()
        decision = self.flow.decisions[1]
        row = appeal(decision, p.case_officer, late_acceptance_reason="送达地址有误，本人未收到。")
        services.appeal_review_record(
            appeal=row, actor=p.office_head, reviewed_on=ago(0), outcome="revoked", reason="撤销。"
        )
        case = services.case_close(case=self.flow.case, actor=p.office_head)
        self.assertEqual(case.state, State.CLOSED)

    def test_the_deliveries_are_kept_per_recipient(self):
        self.assertEqual(Delivery.objects.filter(decision__party__case=self.flow.case).count(), 4)


class RestrictionTests(PersonasTestCase):
    """Art 17 restrictions appear from the decision on and follow a changed decision."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        p = cls.personas
        person = p.people.direct
        cls.flow = Flow.register(p, person).to(State.ACCEPTED)
        cls.flow.investigate().facts({person: "较重"}).hear()
        choice = {person: ("追究", ["诫勉", "调整职务"], "")}
        cls.flow.report(choice).decide(decisions=choice)
        cls.flow.issue().deliver(days_ago=5)
        cls.decision = cls.flow.decisions[0]

    def test_the_restrictions_come_with_the_decision(self):
        restrictions = selectors.decision_restrictions(decision=self.decision)
        # 诫勉: no promotion or 重用 for 6 months, no award that year; 调整职务: no promotion
        # for a year, not 优秀 that year (each of the kind its source names)
        self.assertEqual(
            {r["kind"] for r in restrictions},
            {"no_promotion_or_important_post", "no_award", "no_promotion", "not_excellent"},
        )
        self.assertEqual({r["measure"] for r in restrictions}, {"诫勉", "调整职务"})

    def test_a_changed_decision_has_the_new_measures_restrictions(self):
        p = self.personas
        row = appeal(self.decision, p.case_officer)
        services.appeal_review_record(
            appeal=row,
            actor=p.committee_secretary,
            reviewed_on=ago(0),
            outcome="changed",
            measures=["诫勉"],
            reason="不再调整职务。",
        )
        self.decision.refresh_from_db()
        restrictions = selectors.decision_restrictions(decision=self.decision)
        self.assertEqual({r["measure"] for r in restrictions}, {"诫勉"})
        self.assertEqual(self.decision.versions.count(), 2)
