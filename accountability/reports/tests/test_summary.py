"""The summary tables give the figures live aggregation gives, as of their last refresh; the
refresh runs as a background job through the real queue, and the page says how old it is."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.core.management import call_command
from django.db import connections
from django.test import TestCase, TransactionTestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountability.audit.models import AuditEntry
from accountability.cases.models import Outcome
from accountability.demo.testing import PersonasMixin
from accountability.jobs.models import Job
from accountability.jobs.testing import clear_queue, run_jobs
from accountability.reports import selectors, services
from accountability.reports.models import DecisionFact, MeasureFact, StayFact, SummaryRefresh
from accountability.reports.selectors import LIVE, Period
from accountability.reports.tests import dataset
from accountability.reports.tests.test_queries import PAGE_QUERIES_MAX


def figures(stats: selectors.Statistics) -> dict[str, Any]:
    """Every row and total of every table (the notes aside: they name the source)."""
    return {
        t.key: ([(r.label, r.values) for r in t.rows], t.total.values if t.total else None)
        for t in stats.tables
    } | {"tiles": stats.tiles}


class SummaryTestCase(PersonasMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        dataset.build(cls.personas)

    def stats(self, source: Any, user: Any = None, **kwargs: Any) -> selectors.Statistics:
        viewer = selectors.viewer_for_user(user=user or self.case_officer)
        return selectors.statistics_for(
            viewer=viewer,
            organ_id=kwargs.get("organ"),
            period=kwargs.get("period") or Period.for_year(dataset.YEAR),
            today=dataset.TODAY,
            source=source,
        )


class SameFiguresTests(SummaryTestCase):
    def setUp(self) -> None:
        self.record = services.statistics_refresh()
        self.summary = selectors.source_for("summary")

    def test_the_refresh_copies_every_decision_measure_and_stay(self):
        """Nine decisions (C1 and C3 two each, C2, C6, C7, C8, C9 one); the current versions of
        those held accountable carry ten measures (C1 2 + 1, C3 2, C6, C7, C8 1, C9 2; C2's were
        revoked); the log's closed stays: C1 4, C2 6, C4 1, C6 4, C7 1."""
        self.assertEqual(
            (self.record.decisions, self.record.measures, self.record.stays), (9, 10, 16)
        )
        self.assertEqual(DecisionFact.objects.count(), 9)
        self.assertEqual(MeasureFact.objects.count(), 10)
        self.assertEqual(StayFact.objects.count(), 16)
        self.assertEqual(self.summary.as_of, self.record.started_at)

    def test_the_summary_gives_the_live_figures(self):
        cases = [
            {},
            {"user": self.city_officer},
            {"user": self.township_officer},
            {"organ": self.personas.orgs.first_inspection_office.pk},
            {"period": Period.for_year(2024)},
            {"period": Period(date(2025, 3, 1), date(2025, 6, 30))},
        ]
        for kwargs in cases:
            with self.subTest(**{k: str(v) for k, v in kwargs.items()}):
                live = figures(self.stats(LIVE, **kwargs))
                summary = figures(self.stats(self.summary, **kwargs))
                self.assertEqual(summary, live)

    def test_the_tables_from_the_summary_say_so(self):
        stats = self.stats(self.summary)
        notes = {t.key: t.note for t in stats.tables}
        self.assertTrue(notes["by_tier"].startswith("人次和用时取自汇总表，数据截至"))
        self.assertEqual(notes["by_source"], "")
        self.assertEqual(stats.summary_as_of, self.record.started_at)


class StalenessTests(SummaryTestCase):
    def test_a_later_decision_counts_after_the_next_refresh(self):
        services.statistics_refresh()
        b = dataset.Builder(self.personas)
        b.count = 900
        case = b.case("petition", date(2025, 12, 1), "decided")
        b.decide(
            b.party(case, self.personas.people.handler, 9, "较重"),
            date(2025, 12, 10),
            outcome=Outcome.PURSUE,
            measures=["通报"],
        )
        live = self.stats(LIVE)
        stale = self.stats(selectors.source_for("summary"))
        self.assertEqual(live.tiles["people"], 8)
        self.assertEqual(stale.tiles["people"], 7)
        services.statistics_refresh()
        fresh = self.stats(selectors.source_for("summary"))
        self.assertEqual(figures(fresh), figures(live))
        self.assertEqual(SummaryRefresh.objects.count(), 2)

    def test_without_a_refresh_the_summary_source_falls_back_to_live(self):
        self.assertIs(selectors.source_for("summary"), LIVE)

    @override_settings(REPORTS_SOURCE="summary")
    def test_the_page_says_how_old_the_figures_are(self):
        self.client.force_login(self.case_officer)
        html = self.client.get(reverse("reports:statistics"), {"year": 2025}).content.decode()
        self.assertIn("（实时统计）", html)
        record = services.statistics_refresh()
        html = self.client.get(reverse("reports:statistics"), {"year": 2025}).content.decode()
        from django.utils import timezone

        when = timezone.localtime(record.started_at).strftime("%Y-%m-%d %H:%M")
        self.assertIn(
            f"<dd>{when}（汇总表：人员、措施和环节用时；线索、申诉和期限为实时数据）", html
        )
        self.assertIn(f"人次和用时取自汇总表，数据截至{when}。", html)


class RefreshJobTests(SummaryTestCase):
    def setUp(self) -> None:
        clear_queue()
        self.addCleanup(clear_queue)

    def test_the_button_queues_the_job_and_the_worker_rebuilds_the_tables(self):
        self.client.force_login(self.office_head)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("reports:refresh"))
        job = Job.objects.get()
        self.assertRedirects(response, reverse("jobs:job", args=[job.pk]))
        self.assertEqual(job.kind, "accountability.reports.jobs.refresh_summary")
        self.assertEqual(run_jobs(), 1)
        job.refresh_from_db()
        self.assertEqual(job.state, Job.State.SUCCEEDED, job.error)
        self.assertEqual(job.message, "统计汇总表已刷新：决定9条，措施10条，环节16条。")
        self.assertEqual(job.result_url, reverse("reports:statistics"))
        self.assertEqual(SummaryRefresh.objects.count(), 1)
        self.assertTrue(AuditEntry.objects.filter(action="create", target_id=str(job.pk)).exists())

    def test_only_the_supervision_office_may_ask_and_only_by_post(self):
        for user, status in (
            (self.township_officer, 403),
            (self.leader, 403),
            (self.city_officer, 403),
            (self.system_admin, 403),
        ):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.post(reverse("reports:refresh")).status_code, status)
        self.client.force_login(self.case_officer)
        self.assertEqual(self.client.get(reverse("reports:refresh")).status_code, 405)
        self.assertFalse(Job.objects.exists())

    def test_the_button_shows_for_the_summary_source_only(self):
        self.client.force_login(self.office_head)
        url = reverse("reports:statistics")
        self.assertNotContains(self.client.get(url), reverse("reports:refresh"))
        with override_settings(REPORTS_SOURCE="summary"):
            self.assertContains(self.client.get(url), f'action="{reverse("reports:refresh")}"')
            self.client.force_login(self.leader)
            self.assertNotContains(self.client.get(url), reverse("reports:refresh"))

    def test_the_command(self):
        out = io.StringIO()
        call_command("refresh_statistics", stdout=out)
        self.assertIn("统计汇总表已刷新", out.getvalue())
        self.assertIn("决定9条，措施10条，环节16条", out.getvalue())
        out = io.StringIO()
        with self.captureOnCommitCallbacks(execute=True):
            call_command("refresh_statistics", "--enqueue", stdout=out)
        self.assertIn("已放入任务队列", out.getvalue())
        self.assertEqual(run_jobs(), 1)
        self.assertEqual(SummaryRefresh.objects.count(), 2)


@override_settings(REPORTS_SOURCE="summary")
class SummaryQueryCountTests(PersonasMixin, TestCase):
    def count(self) -> int:
        self.client.force_login(self.case_officer)
        with CaptureQueriesContext(connections[selectors.statistics_db()]) as queries:
            response = self.client.get(reverse("reports:statistics"), {"year": dataset.YEAR})
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_few_and_many_cases_make_the_same_queries(self):
        """The live page's queries and one more: the latest refresh."""
        dataset.build_many(self.personas, 2)
        services.statistics_refresh()
        few = self.count()
        dataset.build_many(self.personas, 30, start=2)
        services.statistics_refresh()
        self.assertEqual(self.count(), few)
        self.assertLessEqual(few, PAGE_QUERIES_MAX + 1)


class OutsideATransactionTests(TransactionTestCase):
    """As the worker runs it: not inside another transaction (on PostgreSQL the refresh then
    reads one REPEATABLE READ snapshot)."""

    def test_the_refresh_commits_its_tables(self):
        from accountability.demo.testing import make_personas

        dataset.build(make_personas())
        record = services.statistics_refresh()
        self.assertFalse(connections["default"].in_atomic_block)
        self.assertEqual((record.decisions, record.measures, record.stays), (9, 10, 16))
        self.assertEqual(DecisionFact.objects.count(), 9)
