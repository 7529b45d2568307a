"""Every step records the day it happened (issue 9): today when not given, never in the
future, never before the step it follows; the log keeps it beside the moment of recording."""

from __future__ import annotations

from datetime import timedelta

from django.test import TestCase
from django.urls import reverse

from accountability.cases import services
from accountability.cases.models import Evidence, Hearing, TeamMembership, TransitionLog
from accountability.cases.tests.factories import Flow, ago, today
from accountability.cases.workflow import Action, State
from accountability.common.errors import DomainError
from accountability.demo.testing import PersonasMixin, PersonasTestCase


def _order(label: str, other_label: str, other) -> str:
    return str(services.MSG_DATE_ORDER).format(
        label=label, other_label=other_label, other=other.isoformat()
    )


def _future(label: str) -> str:
    return str(services.MSG_FUTURE_DATE).format(label=label)


def _logged_on(case, action):
    return TransitionLog.objects.filter(case=case, action=action).latest("id").occurred_on


class IntakeDateTests(PersonasTestCase):
    def flow(self) -> Flow:
        return Flow.register(self.personas, self.personas.people.handler, received_days_ago=150)

    def test_approval_is_stamped_today_by_default(self):
        flow = self.flow()
        services.clue_approve(case=flow.case, actor=self.personas.office_head, opinion="同意。")
        self.assertEqual(flow.refresh().case.approved_on, today())
        self.assertEqual(_logged_on(flow.case, Action.CLUE_APPROVE), today())

    def test_approval_entered_after_the_fact_keeps_its_day(self):
        flow = self.flow()
        services.clue_approve(
            case=flow.case, actor=self.personas.office_head, opinion="同意。", approved_on=ago(140)
        )
        self.assertEqual(flow.refresh().case.approved_on, ago(140))
        self.assertEqual(_logged_on(flow.case, Action.CLUE_APPROVE), ago(140))
        self.assertEqual(_logged_on(flow.case, Action.CLUE_REGISTER), ago(150))

    def test_approval_before_the_clue_was_received_is_refused(self):
        flow = self.flow()
        with self.assertRaisesMessage(
            DomainError, _order("审批日期", "收到线索日期", ago(150))
        ) as refused:
            services.clue_approve(
                case=flow.case,
                actor=self.personas.office_head,
                opinion="同意。",
                approved_on=ago(151),
            )
        self.assertEqual(refused.exception.field, "approved_on")
        self.assertEqual(flow.refresh().case.state, State.CLUE_REGISTERED)
        self.assertIsNone(flow.case.approved_on)

    def test_approval_in_the_future_is_refused(self):
        flow = self.flow()
        with self.assertRaisesMessage(DomainError, _future("审批日期")):
            services.clue_approve(
                case=flow.case,
                actor=self.personas.office_head,
                opinion="同意。",
                approved_on=today() + timedelta(days=1),
            )
        self.assertEqual(flow.refresh().case.state, State.CLUE_REGISTERED)

    def test_rejection_keeps_its_day_and_refuses_one_before_the_clue(self):
        flow = self.flow()
        with self.assertRaisesMessage(DomainError, _order("决定日期", "收到线索日期", ago(150))):
            services.clue_reject(
                case=flow.case,
                actor=self.personas.office_head,
                reason="不属于受理范围。",
                approved_on=ago(160),
            )
        services.clue_reject(
            case=flow.case,
            actor=self.personas.office_head,
            reason="不属于受理范围。",
            approved_on=ago(145),
        )
        flow.refresh()
        self.assertEqual((flow.case.approved_on, flow.case.closed_on), (ago(145), ago(145)))


class InvestigationDateTests(PersonasTestCase):
    def accepted(self, approved_days_ago: int = 140) -> Flow:
        flow = Flow.register(self.personas, self.personas.people.handler, received_days_ago=150)
        return flow.accept(days_ago=approved_days_ago)

    def form_team(self, flow: Flow, **kwargs):
        p = self.personas
        return services.team_form(
            case=flow.case,
            actor=p.case_officer,
            members=[p.team_member],
            leader=p.team_member,
            **kwargs,
        )

    def test_team_formation_defaults_to_today(self):
        flow = self.accepted()
        self.form_team(flow)
        self.assertEqual(flow.refresh().case.team_formed_on, today())
        self.assertEqual(TeamMembership.objects.get(case=flow.case).joined_on, today())
        self.assertEqual(_logged_on(flow.case, Action.TEAM_FORM), today())

    def test_team_formation_keeps_its_day(self):
        flow = self.accepted()
        self.form_team(flow, formed_on=ago(135))
        self.assertEqual(flow.refresh().case.team_formed_on, ago(135))
        self.assertEqual(TeamMembership.objects.get(case=flow.case).joined_on, ago(135))

    def test_team_formed_before_the_approval_is_refused(self):
        flow = self.accepted()
        with self.assertRaisesMessage(
            DomainError, _order("成立调查组日期", "审批日期", ago(140))
        ) as refused:
            self.form_team(flow, formed_on=ago(141))
        self.assertEqual(refused.exception.field, "formed_on")
        self.assertFalse(TeamMembership.objects.filter(case=flow.case).exists())
        self.assertEqual(flow.refresh().case.state, State.ACCEPTED)

    def test_team_formed_in_the_future_is_refused(self):
        flow = self.accepted()
        with self.assertRaisesMessage(DomainError, _future("成立调查组日期")):
            self.form_team(flow, formed_on=today() + timedelta(days=1))

    def test_hearing_before_the_team_was_formed_is_refused(self):
        flow = self.accepted()
        self.form_team(flow, formed_on=ago(130))
        party = flow.parties[0]
        with self.assertRaisesMessage(
            DomainError, _order("谈话日期", "成立调查组日期", ago(130))
        ) as refused:
            services.hearing_record(
                party=party, actor=self.personas.team_member, held_on=ago(131), statement="无异议。"
            )
        self.assertEqual(refused.exception.field, "held_on")
        with self.assertRaisesMessage(DomainError, _order("谈话日期", "成立调查组日期", ago(130))):
            services.hearing_refusal_record(
                party=party,
                actor=self.personas.team_member,
                held_on=ago(155),
                refusal_record="拒绝陈述。",
            )
        self.assertFalse(Hearing.objects.filter(party=party).exists())
        services.hearing_record(
            party=party, actor=self.personas.team_member, held_on=ago(130), statement="无异议。"
        )
        self.assertEqual(_logged_on(flow.case, Action.HEARING_RECORD), ago(130))

    def test_evidence_before_the_team_was_formed_is_refused(self):
        flow = self.accepted()
        self.form_team(flow, formed_on=ago(130))
        with self.assertRaisesMessage(DomainError, _order("取得日期", "成立调查组日期", ago(130))):
            services.evidence_add(
                case=flow.case, actor=self.personas.team_member, title="台账", collected_on=ago(160)
            )
        self.assertFalse(Evidence.objects.filter(case=flow.case).exists())

    def test_report_before_the_team_was_formed_is_refused(self):
        flow = self.accepted()
        flow.investigate(days_ago=130).facts().hear(days_ago=120)
        with self.assertRaisesMessage(DomainError, _order("报告日期", "成立调查组日期", ago(130))):
            flow.report(days_ago=131)

    def test_report_return_keeps_its_day_and_follows_the_report(self):
        flow = self.accepted()
        flow.investigate(days_ago=130).facts().hear(days_ago=120).report(days_ago=100)
        head = self.personas.office_head
        with self.assertRaisesMessage(DomainError, _order("退回日期", "报告日期", ago(100))):
            services.report_return(
                case=flow.case, actor=head, reason="事实不清。", returned_on=ago(101)
            )
        with self.assertRaisesMessage(DomainError, _future("退回日期")):
            services.report_return(
                case=flow.case,
                actor=head,
                reason="事实不清。",
                returned_on=today() + timedelta(days=1),
            )
        services.report_return(case=flow.case, actor=head, reason="事实不清。", returned_on=ago(95))
        report = flow.refresh().case.reports.get()
        self.assertEqual(report.returned_on, ago(95))
        self.assertEqual(_logged_on(flow.case, Action.REPORT_RETURN), ago(95))
        self.assertEqual(flow.case.state, State.INVESTIGATING)


class StepDateFormTests(PersonasMixin, TestCase):
    def test_the_approval_form_offers_today_and_takes_the_day_entered(self):
        p = self.personas
        flow = Flow.register(p, p.people.handler, received_days_ago=150)
        url = reverse("cases:clue_approve", args=[flow.case.pk])
        self.client.force_login(p.office_head)
        page = self.client.get(url)
        self.assertContains(page, 'name="approved_on"')
        self.assertContains(page, f'value="{today().isoformat()}"')
        refused = self.client.post(url, {"opinion": "同意。", "approved_on": ago(151).isoformat()})
        self.assertEqual(refused.status_code, 200)
        self.assertFormError(
            refused.context["form"], "approved_on", _order("审批日期", "收到线索日期", ago(150))
        )
        done = self.client.post(url, {"opinion": "同意。", "approved_on": ago(140).isoformat()})
        self.assertEqual(done.status_code, 302)
        self.assertEqual(flow.refresh().case.approved_on, ago(140))

    def test_the_team_form_takes_the_day_of_formation(self):
        p = self.personas
        flow = Flow.register(p, p.people.handler, received_days_ago=150).accept(days_ago=140)
        url = reverse("cases:team_form", args=[flow.case.pk])
        self.client.force_login(p.case_officer)
        self.assertContains(self.client.get(url), 'name="formed_on"')
        data = {
            "members": [p.team_member.pk],
            "leader": p.team_member.pk,
            "formed_on": ago(135).isoformat(),
        }
        self.assertEqual(self.client.post(url, data).status_code, 302)
        self.assertEqual(flow.refresh().case.team_formed_on, ago(135))

    def test_the_return_form_takes_the_day_of_return(self):
        p = self.personas
        flow = Flow.register(p, p.people.handler).to(State.REPORTED)
        url = reverse("cases:report_return", args=[flow.case.pk])
        self.client.force_login(p.office_head)
        self.assertContains(self.client.get(url), 'name="returned_on"')
        data = {"reason": "事实不清。", "returned_on": ago(99).isoformat()}
        self.assertEqual(self.client.post(url, data).status_code, 302)
        self.assertEqual(flow.refresh().case.reports.get().returned_on, ago(99))
