"""Periodic work: scheduled once whatever the number of workers, rescheduled after each run."""

from __future__ import annotations

import importlib
import tempfile
from pathlib import Path

from django.conf import settings
from django.test import TestCase, override_settings

from accountability.audit.services import audit_log
from accountability.jobs import periodic
from accountability.jobs.queue import queue
from accountability.jobs.testing import clear_queue
from accountability.jobs.tests import handlers

TABLE = {
    "tick": ("accountability.jobs.tests.handlers.tick", 120),
    "fails": ("accountability.jobs.tests.handlers.tick_and_fail", 300),
}


def scheduled() -> list[str]:
    return sorted(queue().scheduled_job_registry.get_job_ids())


@override_settings(JOBS_PERIODIC=TABLE)
class PeriodicTests(TestCase):
    def setUp(self) -> None:
        clear_queue()
        for job_id in queue().scheduled_job_registry.get_job_ids():
            queue().scheduled_job_registry.remove(job_id, delete_job=True)
        handlers.TICKS.clear()

    def test_each_entry_is_scheduled_once_however_often_workers_start(self):
        self.assertEqual(sorted(periodic.schedule_all()), ["fails", "tick"])
        self.assertEqual(periodic.schedule_all(), [])
        self.assertEqual(scheduled(), [periodic.job_id("fails"), periodic.job_id("tick")])

    def test_a_run_does_the_work_and_schedules_the_next(self):
        periodic.run("tick")
        self.assertEqual(handlers.TICKS, ["tick"])
        self.assertEqual(scheduled(), [periodic.job_id("tick")])

    def test_a_failing_run_is_logged_and_still_scheduled_again(self):
        with self.assertLogs("accountability.jobs.periodic", "ERROR"):
            periodic.run("fails")
        self.assertEqual(handlers.TICKS, ["fail"])
        self.assertEqual(scheduled(), [periodic.job_id("fails")])


class ConfiguredPeriodicWorkTests(TestCase):
    def test_every_configured_function_exists(self):
        for name, (path, every) in settings.JOBS_PERIODIC.items():
            module, _, function = path.rpartition(".")
            self.assertTrue(callable(getattr(importlib.import_module(module), function)), name)
            self.assertGreater(every, 0, name)

    def test_the_audit_anchor_is_signed_on_schedule(self):
        clear_queue()
        audit_log(action="login", target=("accounts.user", "1", "x"))
        with tempfile.TemporaryDirectory() as folder, override_settings(AUDIT_ANCHOR_DIR=folder):
            periodic.run("audit-anchor")
            self.assertEqual(len(list(Path(folder).glob("anchor-*.json"))), 1)
        self.assertIn(periodic.job_id("audit-anchor"), scheduled())
        queue().scheduled_job_registry.remove(periodic.job_id("audit-anchor"), delete_job=True)

    def test_the_id_names_the_queue(self):
        with override_settings(JOBS_QUEUE="county-a"):
            a = periodic.job_id("audit-anchor")
        with override_settings(JOBS_QUEUE="county-b"):
            b = periodic.job_id("audit-anchor")
        self.assertNotEqual(a, b)
        self.assertIn("county-a", a)
