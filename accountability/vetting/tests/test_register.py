"""The register follows the decisions: written with them, rewritten on review, history kept."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO
from unittest import mock

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accountability.cases.models import Decision, DecisionVersion
from accountability.cases.tests.factories import ago
from accountability.demo.testing import PersonasTestCase
from accountability.vetting import register, selectors
from accountability.vetting.models import Restriction
from accountability.vetting.tests.helpers import decided, delivered, review


def stored(version: DecisionVersion) -> list[tuple[str, str, str]]:
    return sorted(
        (r["kind"], r["start"], r["until"]) for r in version.assessment.get("restrictions", [])
    )


def rows(qs) -> list[tuple[str, str, str]]:
    return sorted((r.kind, r.start.isoformat(), r.until.isoformat()) for r in qs)


class RegisterTests(PersonasTestCase):
    def test_a_decision_writes_the_restrictions_of_its_stored_assessment(self):
        p = self.personas
        flow = decided(p, p.people.handler, ["诫勉"])
        decision = flow.decisions[0]
        version = decision.current_version
        live = Restriction.objects.filter(decision=decision, superseded_by=None)
        self.assertEqual(rows(live), stored(version))
        self.assertEqual({r.kind for r in live}, {"no_promotion_or_important_post", "no_award"})
        row = live.get(kind="no_promotion_or_important_post")
        self.assertEqual(
            (row.person, row.version, row.measure), (p.people.handler, version, "诫勉")
        )
        self.assertTrue(row.bars_promotion)
        self.assertFalse(row.bars_award)
        self.assertIn("诫勉", row.basis)
        self.assertEqual(row.rulebook_version, version.rulebook_version)

    def test_not_pursuing_writes_nothing(self):
        p = self.personas
        flow = decided(p, p.people.direct, outcome="不予追究")
        self.assertFalse(Restriction.objects.filter(decision=flow.decisions[0]).exists())

    def test_the_register_is_written_in_the_decisions_transaction(self):
        """A failure in the register rolls the decision back with it."""
        p = self.personas
        with (
            mock.patch(
                "accountability.vetting.signals.register_version", side_effect=RuntimeError("x")
            ),
            self.assertRaises(RuntimeError),
        ):
            decided(p, p.people.office_head)
        self.assertFalse(Decision.objects.filter(party__person=p.people.office_head).exists())

    def test_a_review_changing_the_measures_closes_the_old_rows_and_writes_new_ones(self):
        p = self.personas
        flow = delivered(p, p.people.handler, ["诫勉"])
        first = flow.decisions[0].current_version
        version = review(p, flow, "changed", ["通报"])
        old = Restriction.objects.filter(version=first)
        self.assertEqual(rows(old), stored(first))
        self.assertEqual({r.superseded_by for r in old}, {version})
        self.assertEqual({r.ended_reason for r in old}, {"superseded"})
        self.assertEqual({r.ended_on for r in old}, {ago(0)})
        live = Restriction.objects.filter(decision=flow.decisions[0], superseded_by=None)
        self.assertEqual(rows(live), stored(version))
        self.assertEqual({r.version for r in live}, {version})
        # 通报 bars awards for the year, not a promotion: nobody is barred from promotion now.
        self.assertFalse(any(r.bars_promotion for r in live))

    def test_a_review_revoking_the_decision_ends_its_rows(self):
        p = self.personas
        flow = delivered(p, p.people.handler, ["诫勉"])
        first = flow.decisions[0].current_version
        version = review(p, flow, "revoked")
        closed = Restriction.objects.filter(decision=flow.decisions[0])
        self.assertEqual(rows(closed), stored(first))
        self.assertEqual(
            {(r.superseded_by, r.ended_reason) for r in closed}, {(version, "revoked")}
        )
        self.assertEqual(
            selectors.running_restrictions(person_ids=[p.people.handler.pk], on=ago(0)), []
        )

    def test_an_upheld_review_writes_the_same_rows_under_its_version(self):
        p = self.personas
        flow = delivered(p, p.people.handler, ["诫勉"])
        first = flow.decisions[0].current_version
        version = review(p, flow, "upheld")
        live = Restriction.objects.filter(decision=flow.decisions[0], superseded_by=None)
        self.assertEqual(rows(live), stored(first))
        self.assertEqual({r.version for r in live}, {version})
        self.assertEqual(Restriction.objects.filter(superseded_by=version).count(), live.count())

    def test_barred_on_a_day_is_one_query(self):
        p = self.personas
        flow = decided(p, p.people.handler, ["诫勉"])
        decided(p, p.people.direct, ["通报"])
        with CaptureQueriesContext(connection) as queries:
            barred = list(selectors.barred_on(on=ago(0)).values_list("person_id", flat=True))
        self.assertEqual(len(queries), 1)
        self.assertEqual(barred, [p.people.handler.pk])
        until = flow.decisions[0].restrictions.get(kind="no_promotion_or_important_post").until
        on_last_day = selectors.barred_on(on=until).values_list("person_id", flat=True)
        self.assertEqual(list(on_last_day), [p.people.handler.pk])
        self.assertEqual(list(selectors.barred_on(on=until + timedelta(days=1))), [])
        awards = set(
            selectors.barred_on(on=ago(0), bar="award").values_list("person_id", flat=True)
        )
        if ago(0).year == ago(90).year:
            self.assertEqual(awards, {p.people.handler.pk, p.people.direct.pk})

    def test_rebuild_register_fills_decisions_recorded_before_the_app(self):
        p = self.personas
        flow = delivered(p, p.people.handler, ["诫勉"])
        review(p, flow, "changed", ["通报"])
        before = sorted(
            Restriction.objects.values_list(
                "kind", "start", "until", "version_id", "superseded_by_id", "ended_reason"
            )
        )
        Restriction.objects.all().delete()
        out = StringIO()
        call_command("rebuild_register", stdout=out)
        after = sorted(
            Restriction.objects.values_list(
                "kind", "start", "until", "version_id", "superseded_by_id", "ended_reason"
            )
        )
        self.assertEqual(after, before)
        self.assertIn("处理决定 1 项", out.getvalue())
        call_command("rebuild_register", "--all", stdout=StringIO())
        self.assertEqual(Restriction.objects.count(), len(before))


class LegacyAssessmentTests(PersonasTestCase):
    def test_an_assessment_stored_before_the_machine_names_starts_on_the_decision_day(self):
        version = mock.Mock(
            outcome="追究",
            rulebook_version="zx-2020-10-30",
            assessment={
                "rulebook": "zx-2020-10-30",
                "restrictions": [
                    {"kind": "提拔使用", "until": "2027-02-28", "measure": "诫勉"},
                    {"kind": "评优评先", "until": "2026-12-31", "measure": "诫勉"},
                ],
            },
        )
        values = register.restriction_values(version, decided_on=date(2026, 9, 1))
        self.assertEqual(
            [
                (v["kind"], v["label"], v["start"], v["bars_promotion"], v["bars_award"])
                for v in values
            ],
            [
                ("提拔使用", "不得提拔使用", date(2026, 9, 1), True, False),
                ("评优评先", "不得评优评先", date(2026, 9, 1), False, True),
            ],
        )
        self.assertIn("提拔使用", selectors.kinds_barring("promotion"))
        self.assertEqual(len([k for k in selectors.kinds_barring("promotion") if k.isascii()]), 8)
