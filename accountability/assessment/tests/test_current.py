"""current_rulebook(): one rulebook per process, rebuilt when the holiday schedules change.

A change bumps a revision in the database (HolidayScheduleStamp) in its own transaction. In a
TestCase the on-commit hook that drops this process's rulebook never runs unless asked: a
change saved that way is what this process sees of a change saved by another worker process.
"""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import rulebook
from accountability.assessment import current, services
from accountability.assessment.current import current_rulebook, schedule_revision
from accountability.assessment.holidays import parse_schedule_text, schedule_from_days
from accountability.assessment.models import HolidayScheduleStamp
from accountability.cases.tests.factories import Flow
from accountability.cases.workflow import State
from accountability.demo.testing import PersonasMixin

SCHEDULE_2027 = "2027-01-01 元旦 休\n2027-01-04 元旦 休\n"


def stamp_queries(queries: CaptureQueriesContext) -> int:
    table = HolidayScheduleStamp._meta.db_table
    return sum(table in q["sql"] for q in queries.captured_queries)


class CurrentRulebookTests(PersonasMixin, TestCase):
    def enter_2027(self) -> None:
        days = parse_schedule_text(SCHEDULE_2027, year=2027)
        services.holiday_year_create(
            schedule=schedule_from_days(2027, days, "测试"), actor=self.system_admin
        )

    def test_the_same_rulebook_until_a_schedule_changes(self):
        """Calls share one rulebook, whose versions (and compiled tables) are the shipped ones."""
        first = current_rulebook()
        self.assertIs(current_rulebook(), first)
        shipped = rulebook.load()
        self.assertEqual(first.versions, shipped.versions)
        self.assertIs(first.versions[0].rules, shipped.versions[0].rules)

    def test_a_change_saved_by_another_process_is_seen(self):
        """The revision read from the database differs: the rulebook is rebuilt with 2027."""
        before = current_rulebook()
        self.assertFalse(before.calendar.covers(2027))
        revision = schedule_revision()
        self.enter_2027()  # the on-commit hook does not run here: as if another process saved
        self.assertEqual(schedule_revision(), revision + 1)
        after = current_rulebook()
        self.assertIsNot(after, before)
        self.assertTrue(after.calendar.covers(2027))
        self.assertFalse(after.calendar.is_working_day(date(2027, 1, 4)))
        self.assertIs(after.versions[0].rules, before.versions[0].rules)  # not compiled again

    def test_a_change_saved_here_drops_the_rulebook_when_committed(self):
        before = current_rulebook()
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            self.enter_2027()
        self.assertEqual(len(callbacks), 1)
        self.assertTrue(current_rulebook().calendar.covers(2027))
        self.assertIsNot(current_rulebook(), before)

    def test_a_deleted_year_is_no_longer_counted(self):
        self.enter_2027()
        self.assertTrue(current_rulebook().calendar.covers(2027))
        services.holiday_year_delete(year=2027, actor=self.system_admin)
        self.assertFalse(current_rulebook().calendar.covers(2027))

    def test_within_a_request_the_revision_is_read_once(self):
        """Many parties on a page: one query of the stamp, however often the rulebook is asked."""
        current_rulebook()
        # What the request_started and request_finished receivers do (sending the signals
        # here would also close the test's database connection, as Django does per request).
        current._request_started()
        try:
            with CaptureQueriesContext(connection) as queries:
                for _ in range(5):
                    current_rulebook()
        finally:
            current._request_finished()
        self.assertEqual(len(queries), 1)

    def test_outside_a_request_every_call_reads_the_revision(self):
        """A command or a job reads the one row each time (another process may have saved)."""
        current_rulebook()
        with CaptureQueriesContext(connection) as queries:
            current_rulebook()
            current_rulebook()
        self.assertEqual(len(queries), 2)


class CasePageTests(PersonasMixin, TestCase):
    def test_a_case_page_with_two_people_reads_the_stamp_once(self):
        """The case page assesses each person with the one rulebook, checked once per request,
        and no version's tables are compiled again."""
        p = self.personas
        flow = Flow.register(p, p.people.handler, p.people.direct).to(State.INVESTIGATING)
        compiled = rulebook.load().versions[0].rules
        self.client.force_login(self.case_officer)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse("cases:detail", args=[flow.case.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(response.context["blocks"]), 2)
        self.assertContains(response, "按已认定事实测算")  # each person assessed from the facts
        self.assertEqual(stamp_queries(queries), 1)
        self.assertIs(current_rulebook().versions[0].rules, compiled)
