"""The statistics page makes the same, bounded number of queries however many cases there are:
every figure is one aggregate query, never a query per row."""

from __future__ import annotations

from django.db import connections
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountability.demo.testing import PersonasMixin
from accountability.reports.selectors import statistics_db
from accountability.reports.tests import dataset

#: The page's queries: the session and the user (2), the organisation tree, the totals, the
#: people by unit, the appeals, the rectifications, the months (2), the sources, the
#: circumstances, the tiers, the measures, the kinds, the steps, the clues by organ (12), and
#: the session saved again (SESSION_SAVE_EVERY_REQUEST, in a savepoint).
PAGE_QUERIES_MAX = 20


class QueryCountTests(PersonasMixin, TestCase):
    def count(self, name: str, user=None) -> int:  # type: ignore[no-untyped-def]
        self.client.force_login(user or self.case_officer)
        with CaptureQueriesContext(connections[statistics_db()]) as queries:
            response = self.client.get(reverse(name), {"year": dataset.YEAR})
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_few_and_many_cases_make_the_same_queries(self):
        dataset.build_many(self.personas, 2)
        few = {name: self.count(name) for name in ("reports:statistics", "reports:summary")}
        dataset.build_many(self.personas, 40, start=2)
        many = {name: self.count(name) for name in ("reports:statistics", "reports:summary")}
        self.assertEqual(few, many)
        for name, n in many.items():
            with self.subTest(page=name):
                self.assertLessEqual(n, PAGE_QUERIES_MAX)

    def test_the_export_too(self):
        """The export's queries plus its audit entry (the first entry ever also creates the
        chain's head: a first export is made before counting)."""
        dataset.build_many(self.personas, 2)
        self.count("reports:export")
        few = self.count("reports:export")
        dataset.build_many(self.personas, 30, start=2)
        self.assertEqual(self.count("reports:export"), few)

    def test_the_city_with_every_organ_makes_no_more(self):
        """The widest scope (the whole tree, no organ filter) has the same bound."""
        dataset.build_many(self.personas, 5)
        self.assertLessEqual(self.count("reports:statistics", self.city_officer), PAGE_QUERIES_MAX)
