"""The 更正 and 撤回 pages of hearings, evidence items and deliveries, and the record's history
on the case page."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse

from accountability.cases import services
from accountability.cases.models import Delivery, Hearing
from accountability.cases.tests.factories import Flow, ago
from accountability.cases.workflow import State
from accountability.demo.testing import PersonasMixin


class CorrectionPageTests(PersonasMixin, TestCase):
    def setUp(self):
        self.flow = Flow.register(self.personas).accept().investigate().facts().hear()
        self.hearing = Hearing.objects.get(party__case=self.flow.case)
        self.detail = reverse("cases:detail", args=[self.flow.case.pk])

    def url(self, name, obj):
        return reverse(name, args=[self.flow.case.pk, obj.pk])

    def test_the_author_sees_the_links_and_corrects_with_a_reason(self):
        self.client.force_login(self.team_member)
        page = self.client.get(self.detail)
        self.assertContains(page, self.url("cases:hearing_correct", self.hearing))
        self.assertContains(page, self.url("cases:hearing_withdraw", self.hearing))
        form = self.client.get(self.url("cases:hearing_correct", self.hearing))
        self.assertContains(form, "对未报批的事实无异议。")
        data = {
            "held_on": ago(120).isoformat(),
            "statement": "对未报批的事实有异议。",
            "defence": "当时工作量大，系疏忽所致。",
            "reason": "",
        }
        refused = self.client.post(self.url("cases:hearing_correct", self.hearing), data)
        self.assertEqual(refused.status_code, 200)
        self.assertFormError(refused.context["form"], "reason", "请填写更正理由。")
        data["reason"] = "按谈话笔录更正。"
        done = self.client.post(self.url("cases:hearing_correct", self.hearing), data)
        self.assertEqual(done.status_code, 302)
        page = self.client.get(self.detail)
        self.assertContains(page, "按谈话笔录更正。")
        self.assertContains(page, "<del>对未报批的事实无异议。</del>", html=False)

    def test_someone_else_sees_no_link_and_is_refused(self):
        self.client.force_login(self.case_officer)
        page = self.client.get(self.detail)
        self.assertNotContains(page, self.url("cases:hearing_withdraw", self.hearing))
        response = self.client.post(
            self.url("cases:hearing_withdraw", self.hearing), {"reason": "误录。"}
        )
        self.assertEqual(response.status_code, 403)
        message = services.MSG_NOT_AUTHOR.format(
            record="陈述申辩记录", author="赵磊", action="撤回"
        )
        self.assertContains(response, message, status_code=403)
        self.hearing.refresh_from_db()
        self.assertIsNone(self.hearing.withdrawn_at)

    def test_the_office_head_withdraws_and_the_record_is_struck_through(self):
        self.client.force_login(self.office_head)
        response = self.client.post(
            self.url("cases:hearing_withdraw", self.hearing), {"reason": "录错了人。"}
        )
        self.assertEqual(response.status_code, 302)
        page = self.client.get(self.detail)
        self.assertContains(page, "已撤回")
        self.assertContains(page, "录错了人。")
        self.assertNotContains(page, self.url("cases:hearing_correct", self.hearing))

    def test_evidence_is_corrected_from_its_page(self):
        evidence = services.evidence_add(
            case=self.flow.case, actor=self.team_member, title="谈话笔录", collected_on=ago(130)
        )
        self.client.force_login(self.team_member)
        response = self.client.post(
            self.url("cases:evidence_correct", evidence),
            {
                "title": "询问笔录",
                "collected_on": ago(130).isoformat(),
                "description": "",
                "reason": "名称有误。",
            },
        )
        self.assertEqual(response.status_code, 302)
        evidence.refresh_from_db()
        self.assertEqual(evidence.title, "询问笔录")
        self.assertContains(self.client.get(self.detail), "<del>谈话笔录</del>", html=False)


class DeliveryPageTests(PersonasMixin, TestCase):
    def test_a_withdrawn_delivery_is_struck_through_and_can_be_recorded_again(self):
        flow = Flow.register(self.personas).to(State.DELIVERED)
        decision = flow.decisions[0]
        delivery = decision.deliveries.get(recipient=Delivery.Recipient.PERSON)
        self.client.force_login(self.case_officer)
        url = reverse("cases:delivery_withdraw", args=[flow.case.pk, delivery.pk])
        self.assertEqual(self.client.get(url).status_code, 200)
        response = self.client.post(url, {"reason": "签收人有误。"})
        self.assertEqual(response.status_code, 302)
        page = self.client.get(reverse("cases:detail", args=[flow.case.pk]))
        self.assertContains(page, "签收人有误。")
        self.assertContains(
            page, reverse("cases:delivery_record", args=[flow.case.pk, decision.pk])
        )
        self.assertEqual(flow.refresh().case.state, State.ISSUED)
