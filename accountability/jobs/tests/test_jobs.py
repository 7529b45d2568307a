"""Jobs go through the real queue (Redis, RQ) and end on their row: done, refused or failed."""

from __future__ import annotations

import os
import signal

from django.test import TestCase, override_settings
from django.urls import reverse

from accountability.audit.models import AuditEntry
from accountability.common.errors import DomainError, PermissionDenied
from accountability.demo.testing import PersonasMixin
from accountability.jobs import runner, services
from accountability.jobs.models import Job
from accountability.jobs.testing import clear_queue, queued_count, run_jobs
from accountability.jobs.tests import handlers

#: The job page's queries: the session, the user and their second-factor device, the job, and
#: the session saved again (SESSION_SAVE_EVERY_REQUEST, in a savepoint); none depends on how
#: many jobs there are.
PAGE_QUERIES = 7


class QueueTestCase(PersonasMixin, TestCase):
    def setUp(self) -> None:
        clear_queue()
        self.addCleanup(clear_queue)

    def enqueue(self, handler, **params) -> Job:
        with self.captureOnCommitCallbacks(execute=True):
            job = services.job_enqueue(handler=handler, owner=self.case_officer, params=params)
        return job


class EnqueueTests(QueueTestCase):
    def test_a_job_reaches_the_queue_only_when_its_transaction_commits(self):
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            job = services.job_enqueue(
                handler=handlers.count_to, owner=self.case_officer, params={"n": 3}
            )
            self.assertEqual(queued_count(), 0)
        self.assertEqual(len(callbacks), 1)
        callbacks[0]()
        self.assertEqual(queued_count(), 1)
        job.refresh_from_db()
        self.assertEqual(job.state, Job.State.QUEUED)
        self.assertEqual(job.label, "测试：计数")
        self.assertEqual(job.kind, "accountability.jobs.tests.handlers.count_to")

    def test_a_rolled_back_change_queues_nothing(self):
        class Abort(Exception):
            pass

        from django.db import transaction

        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            try:
                with transaction.atomic():
                    services.job_enqueue(handler=handlers.count_to, params={"n": 1})
                    raise Abort
            except Abort:
                pass
        self.assertEqual(callbacks, [])
        self.assertEqual(queued_count(), 0)
        self.assertFalse(Job.objects.exists())

    def test_a_handler_that_is_not_a_job_kind_is_refused_at_once(self):
        with self.assertRaises(LookupError):
            services.job_enqueue(handler=print, params={})


class OutcomeTests(QueueTestCase):
    def test_a_job_runs_and_records_its_progress_and_result(self):
        job = self.enqueue(handlers.count_to, n=5)
        self.assertEqual(run_jobs(), 1)
        job.refresh_from_db()
        self.assertEqual(job.state, Job.State.SUCCEEDED)
        self.assertEqual((job.progress_done, job.progress_total, job.percent), (5, 5, 100))
        self.assertEqual(job.message, "共5条")
        self.assertEqual(job.result, {"n": 5})
        self.assertEqual(job.result_url, "/jobs/done/")
        self.assertEqual(job.attempts, 1)
        self.assertIsNotNone(job.started_at)
        self.assertIsNotNone(job.finished_at)

    def test_a_refusal_is_shown_as_its_message(self):
        job = self.enqueue(handlers.refuse)
        run_jobs()
        job.refresh_from_db()
        self.assertEqual(job.state, Job.State.FAILED)
        self.assertEqual(job.error, handlers.REFUSAL)
        self.assertEqual(job.error_code, "row_invalid")

    def test_an_unexpected_error_gives_a_reference_and_hides_the_internals(self):
        job = self.enqueue(handlers.crash)
        with self.assertLogs("accountability.jobs.runner", "ERROR") as logs:
            run_jobs()
        job.refresh_from_db()
        self.assertEqual(job.state, Job.State.FAILED)
        self.assertEqual(job.error_code, "internal")
        self.assertNotIn("passwd", job.error)
        self.assertIn("请联系系统管理员", job.error)
        reference = job.error.split("错误编号")[1][:8]
        self.assertIn(reference, "\n".join(logs.output))

    def test_a_job_that_runs_too_long_is_stopped(self):
        job = self.enqueue(handlers.sleep_long, seconds=5)
        run_jobs()
        job.refresh_from_db()
        self.assertEqual(job.state, Job.State.FAILED)
        self.assertEqual(job.error, "处理时间超过1秒的限制，任务已停止。")

    @override_settings(TEST_JOB_SECONDS=1)
    def test_a_limit_can_come_from_a_setting_read_when_the_job_is_queued(self):
        job = self.enqueue(handlers.sleep_configured, seconds=5)
        run_jobs()
        job.refresh_from_db()
        self.assertEqual(job.state, Job.State.FAILED)
        self.assertEqual(job.error, "处理时间超过1秒的限制，任务已停止。")

    def test_a_job_is_run_once_even_if_delivered_twice(self):
        job = self.enqueue(handlers.count_to, n=1)
        runner.perform(str(job.pk))
        runner.perform(str(job.pk))
        job.refresh_from_db()
        self.assertEqual(job.attempts, 1)

    @override_settings(REDIS_URL="redis://127.0.0.1:1/0")
    def test_an_unreachable_queue_fails_the_job_visibly_instead_of_the_page(self):
        with self.assertLogs("accountability.jobs.services", "ERROR"):
            job = self.enqueue(handlers.count_to, n=1)
        job.refresh_from_db()
        self.assertEqual(job.state, Job.State.FAILED)
        self.assertEqual(job.error_code, "queue_unavailable")
        self.assertEqual(job.error, str(services.MSG_QUEUE_UNAVAILABLE))


class RetryTests(QueueTestCase):
    def test_the_owner_retries_a_failed_job_with_the_same_parameters(self):
        job = self.enqueue(handlers.fail_first_time)
        run_jobs()
        job.refresh_from_db()
        self.assertEqual(job.state, Job.State.FAILED)
        with self.captureOnCommitCallbacks(execute=True):
            services.job_retry(job=job, actor=self.case_officer)
        run_jobs()
        job.refresh_from_db()
        self.assertEqual((job.state, job.attempts, job.error), (Job.State.SUCCEEDED, 2, ""))
        self.assertEqual(job.message, "第二次成功")
        entry = AuditEntry.objects.filter(target_type="jobs.job").latest("seq")
        self.assertEqual(entry.actor_id, self.case_officer.pk)

    def test_only_the_owner_may_retry(self):
        job = self.enqueue(handlers.refuse)
        run_jobs()
        with self.assertRaisesMessage(PermissionDenied, str(services.MSG_NOT_OWNER)):
            services.job_retry(job=job, actor=self.office_head)

    def test_a_job_that_has_not_failed_cannot_be_retried(self):
        job = self.enqueue(handlers.count_to, n=1)
        run_jobs()
        with self.assertRaisesMessage(DomainError, "只有失败的任务可以重试（当前状态：已完成）。"):
            services.job_retry(job=job, actor=self.case_officer)


class PageTests(QueueTestCase):
    def test_the_page_shows_progress_and_refreshes_itself_while_the_job_runs(self):
        job = self.enqueue(handlers.count_to, n=4)
        Job.objects.filter(pk=job.pk).update(
            state=Job.State.RUNNING, progress_done=1, progress_total=4, message="已处理1条"
        )
        self.client.force_login(self.case_officer)
        with self.assertNumQueries(PAGE_QUERIES):
            response = self.client.get(reverse("jobs:job", args=[job.pk]))
        self.assertContains(
            response, '<progress id="job-progress" class="job__progress" max="100" value="25">'
        )
        self.assertContains(response, "进度：25%（1/4）")
        self.assertContains(response, '<meta http-equiv="refresh" content="2">')
        self.assertContains(response, "已处理1条")

    def test_a_finished_job_links_its_result_and_stops_refreshing(self):
        job = self.enqueue(handlers.count_to, n=2)
        run_jobs()
        self.client.force_login(self.case_officer)
        response = self.client.get(reverse("jobs:job", args=[job.pk]))
        self.assertContains(response, 'href="/jobs/done/"')
        self.assertNotContains(response, 'http-equiv="refresh"')

    def test_a_failed_job_says_why_and_offers_a_retry(self):
        job = self.enqueue(handlers.refuse)
        run_jobs()
        self.client.force_login(self.case_officer)
        response = self.client.get(reverse("jobs:job", args=[job.pk]))
        self.assertContains(response, handlers.REFUSAL)
        self.assertContains(response, reverse("jobs:retry", args=[job.pk]))
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("jobs:retry", args=[job.pk]))
        self.assertRedirects(response, reverse("jobs:job", args=[job.pk]))
        self.assertEqual(queued_count(), 1)

    def test_the_json_form_gives_the_same_facts(self):
        job = self.enqueue(handlers.count_to, n=2)
        run_jobs()
        self.client.force_login(self.case_officer)
        data = self.client.get(reverse("jobs:job", args=[job.pk]), {"format": "json"}).json()
        self.assertEqual(data["state"], "succeeded")
        self.assertEqual(data["percent"], 100)
        self.assertEqual(data["state_label"], "已完成")

    def test_someone_else_s_job_is_not_found(self):
        job = self.enqueue(handlers.count_to, n=1)
        self.client.force_login(self.office_head)
        response = self.client.get(reverse("jobs:job", args=[job.pk]))
        self.assertEqual(response.status_code, 404)
        response = self.client.post(reverse("jobs:retry", args=[job.pk]))
        self.assertEqual(response.status_code, 404)


class MemoryLimitTests(TestCase):
    def test_the_kernel_refuses_a_work_horse_more_memory_than_its_limit(self):
        """The mechanism the worker uses in each horse, exercised in a forked child."""
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            code = 1
            try:
                runner.limit_memory(64)
                bytearray(512 << 20)
            except MemoryError:
                code = 3
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        self.assertTrue(os.WIFEXITED(status))
        self.assertEqual(os.WEXITSTATUS(status), 3)
        self.assertFalse(os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL)


def test_each_test_process_works_a_queue_of_its_own():
    """Never the application's queue, nor another test process's (see conftest.py)."""
    from django.conf import settings

    from accountability.jobs.queue import queue_name

    assert queue_name() == settings.JOBS_QUEUE == f"test-{os.getpid()}"
