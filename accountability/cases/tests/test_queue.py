"""The work queue offers each user the steps they may take, and the rest as information.

The archivist and the leader were offered "整改已逾期 … 办理" and then refused (issue 9): a
rectification is recorded by the case officer, so for them it is information, with no link.
The queue's queries do not grow with the number of cases.
"""

from __future__ import annotations

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountability.cases import selectors
from accountability.cases.tests.factories import Flow, committee
from accountability.cases.workflow import Action, State
from accountability.demo.testing import PersonasMixin


class QueueByRoleTests(PersonasMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        committee(cls.personas)
        p = cls.personas
        # A delivered case whose rectification is past its deadline, and a fresh clue.
        cls.overdue = Flow.register(p, p.people.handler).to(State.DELIVERED).case
        cls.clue = Flow.register(p, p.people.direct, received_days_ago=2).case

    def rectification_items(self, user):
        queue = selectors.work_queue_for_user(user=user)
        return [i for i in queue.overdue_rectifications if i.case == self.overdue]

    def page(self, user):
        self.client.force_login(user)
        response = self.client.get(reverse("cases:queue"))
        self.assertEqual(response.status_code, 200)
        return response

    def rectification_url(self, item):
        return reverse("cases:rectification_complete", args=[self.overdue.pk, item.target.pk])

    def test_case_officer_may_record_the_rectification(self):
        items = self.rectification_items(self.case_officer)
        self.assertEqual(len(items), 1)
        self.assertEqual(items[0].action, Action.RECTIFICATION_COMPLETE)
        response = self.page(self.case_officer)
        self.assertContains(response, self.rectification_url(items[0]))
        self.assertEqual(
            [r.label for r in response.context["information"] if r.case == self.overdue],
            [],
        )

    def test_archivist_sees_the_overdue_rectification_as_information(self):
        items = self.rectification_items(self.archivist)
        self.assertEqual(len(items), 1)
        self.assertFalse(items[0].actionable)
        response = self.page(self.archivist)
        self.assertNotContains(response, self.rectification_url(items[0]))
        self.assertContains(response, "供了解的事项")
        info = [r for r in response.context["information"] if r.case == self.overdue]
        self.assertEqual(len(info), 1)
        self.assertEqual(info[0].url, "")
        # What the archivist does do on a delivered case is an action.
        queue = selectors.work_queue_for_user(user=self.archivist)
        self.assertEqual(
            [(i.kind, i.action) for i in queue.archiving if i.case == self.overdue],
            [("archive", Action.ARCHIVE_RECORD)],
        )
        sections = [s["key"] for s in response.context["sections"]]
        self.assertNotIn("overdue_rectifications", sections)

    def test_leader_approves_clues_and_only_reads_the_rectification(self):
        items = self.rectification_items(self.leader)
        self.assertEqual(len(items), 1)
        self.assertFalse(items[0].actionable)
        response = self.page(self.leader)
        self.assertNotContains(response, self.rectification_url(items[0]))
        self.assertContains(response, reverse("cases:clue_approve", args=[self.clue.pk]))
        self.assertNotIn("overdue_rectifications", [s["key"] for s in response.context["sections"]])

    def test_office_head_approves_and_only_reads_the_rectification(self):
        items = self.rectification_items(self.office_head)
        self.assertEqual(len(items), 1)
        self.assertFalse(items[0].actionable)
        response = self.page(self.office_head)
        self.assertContains(response, reverse("cases:clue_approve", args=[self.clue.pk]))
        self.assertNotContains(response, self.rectification_url(items[0]))

    def test_every_action_offered_is_allowed(self):
        """Every actionable item is a step the table allows this user on that case."""
        p = self.personas
        for name in ("case_officer", "office_head", "leader", "archivist", "committee_secretary"):
            user = getattr(p, name)
            for _key, _label, items in selectors.work_queue_for_user(user=user).actions():
                for item in items:
                    allowed = {
                        t.action for t in selectors.allowed_actions(case=item.case, user=user)
                    }
                    with self.subTest(user=name, item=item.label):
                        self.assertIn(item.action, allowed)

    def test_bulk_allowed_actions_match_the_single_case_ones(self):
        p = self.personas
        cases = [self.overdue, self.clue]
        for name in ("case_officer", "office_head", "leader", "archivist", "city_officer"):
            user = getattr(p, name)
            visible = [c for c in cases if c in set(selectors.case_list_for_user(user=user))]
            bulk = selectors.allowed_actions_many(cases=visible, user=user)
            for case in visible:
                with self.subTest(user=name, case=case.number):
                    single = {t.action for t in selectors.allowed_actions(case=case, user=user)}
                    self.assertEqual(bulk[case.pk], single)


class QueueQueryCountTests(PersonasMixin, TestCase):
    """The queue reads a bounded number of queries, whatever the number of cases."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        committee(cls.personas)

    def add_cases(self):
        p = self.personas
        Flow.register(p, p.people.handler).to(State.DELIVERED)
        Flow.register(p, p.people.direct, received_days_ago=2)
        Flow.register(p, p.people.inspection_head).to(State.INVESTIGATING)

    def count(self, fn):
        with CaptureQueriesContext(connection) as queries:
            fn()
        return len(queries)

    def test_selector_and_page_queries_do_not_grow(self):
        p = self.personas
        self.add_cases()
        users = ("case_officer", "office_head", "leader", "archivist", "committee_secretary")
        small = {}
        for name in users:
            user = getattr(p, name)
            small[name] = self.count(lambda user=user: selectors.work_queue_for_user(user=user))
        self.client.force_login(p.case_officer)
        page_small = self.count(lambda: self.client.get(reverse("cases:queue")))
        for _ in range(3):
            self.add_cases()
        for name in users:
            user = getattr(p, name)
            with self.subTest(user=name), self.assertNumQueries(small[name]):
                selectors.work_queue_for_user(user=user)
        self.client.force_login(p.case_officer)
        with self.assertNumQueries(page_small):
            response = self.client.get(reverse("cases:queue"))
        self.assertGreaterEqual(response.context["total"], 4)
