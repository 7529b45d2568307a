"""A case's appeal deadline counts the holiday years an administrator entered (第十六条).

Reported: with 2027 entered (1 and 4 January holidays), the 测算 page gave 2027-01-05 while a
case delivered on 2026-12-17 got 2027-01-01 and "2027年的法定节假日安排尚未录入", because
the case path assessed with the shipped calendar alone.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse

from accountability.assessment import services as holiday_services
from accountability.assessment.holidays import parse_schedule_text, schedule_from_days
from accountability.cases.tests.factories import Flow
from accountability.cases.workflow import State
from accountability.demo.testing import PersonasTestCase

# Test data, not the official 2027 schedule: 1 January (Friday) and 4 January (Monday) off.
SCHEDULE_2027 = "2027-01-01 元旦 休\n2027-01-04 元旦 休\n"
SOURCE_2027 = "测试用的2027年安排"
# Ten days after the delivery below, so that every step of the case lies in the past.
TODAY = datetime(2027, 1, 6, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
DELIVERED = date(2026, 12, 17)  # day 15 is 2027-01-01
WARNING = "2027年的法定节假日安排尚未录入"


def enter_2027(actor) -> None:
    days = parse_schedule_text(SCHEDULE_2027, year=2027)
    holiday_services.holiday_year_create(
        schedule=schedule_from_days(2027, days, SOURCE_2027), actor=actor
    )


class CaseDeadlineUsesEnteredYearsTests(PersonasTestCase):
    def setUp(self):
        self.enterContext(time_machine.travel(TODAY, tick=False))

    def walk_to_delivery(self) -> Flow:
        """A case decided on 2026-12-15, issued on the 16th and delivered on the 17th."""
        p = self.personas
        flow = Flow.register(p, p.people.handler, received_days_ago=40)
        flow.accept().investigate().facts()
        flow.hear(days_ago=24).report(days_ago=23)
        flow.decide(flow.meet(days_ago=22))
        flow.issue(days_ago=21).deliver(days_ago=20)
        self.assertEqual(flow.refresh().case.state, State.DELIVERED)
        return flow

    def test_a_case_delivered_in_december_counts_the_entered_2027_holidays(self):
        """Day 15 is 1 January; with 2027 entered, 1–4 January are rest days: 5 January."""
        enter_2027(self.system_admin)
        (decision,) = self.walk_to_delivery().decisions
        self.assertEqual(decision.deliveries.get(recipient="person").delivered_on, DELIVERED)
        self.assertEqual(decision.appeal_deadline, date(2027, 1, 5))
        self.assertEqual(decision.appeal_deadline_warnings, [])

    def test_the_case_and_the_assess_page_agree(self):
        """The 测算 page, given the same facts and receipt, gives the same deadline."""
        enter_2027(self.system_admin)
        (decision,) = self.walk_to_delivery().decisions
        inputs = {**decision.current_version.inputs, "received_on": DELIVERED.isoformat()}
        query = {k: v for k, v in inputs.items() if v not in (None, [], False)}
        response = self.client.get(reverse("assessment:assess"), query)
        self.assertEqual(response.context["result"]["appeal_deadline"], "2027-01-05")
        self.assertEqual(decision.appeal_deadline.isoformat(), "2027-01-05")

    def test_without_2027_the_case_is_counted_by_weekends_and_warned(self):
        """Nothing entered: day 15 (a Friday) stands, with the warning to enter the year."""
        (decision,) = self.walk_to_delivery().decisions
        self.assertEqual(decision.appeal_deadline, date(2027, 1, 1))
        self.assertEqual(len(decision.appeal_deadline_warnings), 1)
        self.assertIn(WARNING, decision.appeal_deadline_warnings[0])
