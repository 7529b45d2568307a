"""A new county text is data: a case walks through the workflow under a second version.

The hypothetical revision of the rulebook's tests (rulebook/tests/data/versions/
zx-2027-hypothetical: 通报 joins the 较轻 tier, 责令辞职、降职、免职 leave the 较重 tier, a
30-day appeal) is added to the shipped versions, and the clock set in its year. The case goes
from the clue to the closed file through the services, and every step that reads the
regulation reads the new version: the stored assessments name it, the decision may impose
通报 for a 较轻 case, the 较重 tier no longer offers 降职, and the appeal period is 30 days.
The Django choices (roles, severities) are the rulebook's, so nothing else changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from unittest import mock

import time_machine

import rulebook
from accountability.assessment import current
from accountability.cases import services
from accountability.cases.models import Case, CaseParty, Decision, ReportFinding
from accountability.cases.tests.factories import Flow, ago
from accountability.cases.workflow import State
from accountability.common import vocabulary
from accountability.common.errors import DomainError
from accountability.demo.testing import PersonasTestCase
from accountability.people.models import Person

HYPOTHETICAL = (
    Path(rulebook.__file__).parent / "tests" / "data" / "versions" / "zx-2027-hypothetical"
)
NEW = "zx-2027-hypothetical"
OLD = "zx-2020-10-30"
_real_load = rulebook.load


def _with_hypothetical() -> rulebook.Rulebook:
    return _real_load(version_dirs=[*rulebook.versions.shipped_version_dirs(), HYPOTHETICAL])


class SecondVersionTests(PersonasTestCase):
    book: rulebook.Rulebook

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.book = _with_hypothetical()

        def load(
            extra_schedules: Iterable[rulebook.YearSchedule] = (), *, version_dirs=None
        ) -> rulebook.Rulebook:
            extra = tuple(extra_schedules)
            calendar = cls.book.calendar.with_schedules(extra) if extra else cls.book.calendar
            return rulebook.Rulebook(cls.book.versions, calendar)

        cls.enterClassContext(mock.patch.object(rulebook, "load", load))
        # In the new version's year: the walk's dates (the conduct 200 days ago, to today) fall in
        # 2027, so neither the conduct nor the decision is under the old version.
        cls.enterClassContext(time_machine.travel(dt.datetime(2027, 9, 1, 10, tzinfo=dt.UTC)))
        current.invalidate()
        cls.addClassCleanup(current.invalidate)

    def test_the_rulebook_has_both_versions(self):
        self.assertEqual([v.id for v in rulebook.load().versions], [OLD, NEW])
        self.assertEqual(current.version_in_force(ago(0)).id, NEW)
        self.assertEqual(current.version_in_force(dt.date(2026, 12, 31)).id, OLD)

    def test_the_choices_are_the_rulebook_tables(self):
        """Roles and severities are the rulebook's names and labels, in every version."""
        for version in rulebook.load().versions:
            self.assertEqual([value for value, _ in vocabulary.role_choices()], list(version.roles))
            self.assertEqual(list(CaseParty.Severity.values), list(version.severities))
        self.assertEqual(
            dict(Person._meta.get_field("role").choices),
            {r.name: r.label for r in rulebook.load().versions[-1].role_info.values()},
        )
        self.assertEqual(
            dict(CaseParty._meta.get_field("severity").choices),
            {t.name: t.label for t in rulebook.load().versions[-1].tiers.values()},
        )

    def test_a_case_walks_from_clue_to_close_under_the_new_version(self):
        p = self.personas
        handler, direct = p.people.handler, p.people.direct
        flow = Flow.register(p, handler, direct)
        case = flow.case
        self.assertEqual(case.state, State.CLUE_REGISTERED)
        flow.accept().investigate([p.team_member])
        flow.facts({handler: "较轻", direct: "较重"})
        light, serious = flow.party(handler), flow.party(direct)

        flow.hear()
        # 第十条 as revised: 通报 is open to a 较轻 case (in zx-2020-10-30 it is 较重).
        flow.report({handler: ("追究", ["通报"], ""), direct: ("追究", ["诫勉"], "")})
        self.assertEqual(flow.refresh().case.state, State.REPORTED)
        findings = {f.party_id: f for f in ReportFinding.objects.filter(party__case=case)}
        for finding in findings.values():
            self.assertEqual(finding.rulebook_version, NEW)
            self.assertFalse(finding.departs, finding.assessment["measures"])
        self.assertIn("通报", findings[light.pk].assessment["measures"])
        self.assertNotIn("降职", findings[serious.pk].assessment["measures"])

        meeting = flow.meet()
        with self.assertRaises(DomainError):
            # 降职 left the 较重 tier: imposing it is a departure, which needs a reason.
            services.decision_record(
                party=serious,
                meeting=meeting,
                actor=p.committee_secretary,
                outcome="追究",
                measures=["降职"],
                reason="",
            )
        flow.decide(meeting, {handler: ("追究", ["通报"], ""), direct: ("追究", ["诫勉"], "")})
        self.assertEqual(flow.refresh().case.state, State.DECIDED)
        for decision in flow.decisions:
            self.assertEqual(decision.current_version.rulebook_version, NEW)
            self.assertFalse(decision.current_version.departs)
        self.assertEqual(Decision.objects.get(party=light).measures, ["通报"])

        flow.issue().deliver(days_ago=80)
        self.assertEqual(flow.refresh().case.state, State.DELIVERED)
        # 第十六条 as revised: 30 days to appeal (zx-2020-10-30 gives fewer).
        self.assertLess(rulebook.load().versions[0].appeal_days, 30)
        for decision in flow.decisions:
            self.assertGreaterEqual(decision.appeal_deadline, ago(80) + dt.timedelta(days=30))
            self.assertLess(decision.appeal_deadline, ago(80) + dt.timedelta(days=40))
        flow.archive_and_file()
        self.assertEqual(flow.refresh().case.state, State.FILED)
        flow.complete_rectifications()
        services.case_close(case=case, actor=p.case_officer, reason="执行完毕，材料已归档备案。")
        self.assertEqual(Case.objects.get(pk=case.pk).state, State.CLOSED)
