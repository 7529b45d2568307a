"""A case walked through the real services is counted as the hand-built rows are: the figures
read what the services write (current decision version, rectifications, transition log)."""

from __future__ import annotations

from django.test import TestCase

from accountability.cases.tests.factories import Flow, ago, committee, today
from accountability.cases.workflow import State
from accountability.demo.testing import PersonasMixin
from accountability.reports import selectors
from accountability.reports.selectors import Period


class ThroughTheServicesTests(PersonasMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        committee(cls.personas)
        people = cls.personas.people
        # Two people, 较轻 both (factories.FACTS), decided 90 days ago with 批评教育 and
        # 责令限期整改 due 30 days after the meeting, delivered 80 days ago.
        cls.case = (
            Flow.register(cls.personas, people.handler, people.direct).to(State.DELIVERED).case
        )
        # A clue rejected the same way an office head would.
        from accountability.cases import services

        rejected = Flow.register(cls.personas, people.township_handler, received_days_ago=20).case
        services.clue_reject(
            case=rejected, actor=cls.personas.office_head, reason="不属于受理范围。"
        )

    def setUp(self) -> None:
        viewer = selectors.viewer_for_user(user=self.case_officer)
        self.s = selectors.statistics_for(
            viewer=viewer, organ_id=None, period=Period(ago(400), today()), today=today()
        )

    def test_people_tiers_and_measures(self):
        self.assertEqual((self.s.tiles["people"], self.s.tiles["cases"]), (2, 1))
        tiers = {row.label: row.values for row in self.s.table("by_tier").rows}
        self.assertEqual(tiers["情节较轻"], (2, 1))
        measures = {row.label: row.values for row in self.s.table("by_measure").rows}
        self.assertEqual(measures, {"批评教育": (2, 1), "责令限期整改": (2, 1)})
        circumstances = [r.values for r in self.s.table("by_circumstance").rows]
        self.assertEqual(circumstances[2], (2, 1))  # 第八条第(三)项

    def test_clues_and_sources(self):
        self.assertEqual(self.s.tiles["clues"], 2)
        sources = {row.label: row.values for row in self.s.table("by_source").rows}
        self.assertEqual(sources["群众信访举报"], (2, 1, 1, 0))

    def test_the_rectifications_are_overdue(self):
        """Due 30 days after the meeting (60 days ago) and not done: both overdue, by 60 days."""
        rectification = self.s.table("by_deadline").rows[0].values
        self.assertEqual(rectification, (2, 0, 0, 2, 0, 0, 60))

    def test_every_step_left_is_timed_from_the_log(self):
        """The log of the services has every change of state: the steps the case has left
        (approval to delivery) are counted once each; the rejected clue's approval too."""
        steps = [row.values[0] for row in self.s.table("by_step").rows]
        self.assertEqual(steps, [2, 1, 1, 1, 1, 1, 0, 0])
