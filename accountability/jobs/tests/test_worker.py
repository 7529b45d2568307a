"""The forking worker as it runs in production: a process of its own, a horse per job, limits.

These start ``accountability worker --burst`` against the test database, so they need a
database a second process can open: PostgreSQL (CI runs the suite on it). On SQLite the test
database lives in this process's memory and the tests skip, saying so.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from accountability.jobs import services
from accountability.jobs.models import Job
from accountability.jobs.runner import MSG_LOST
from accountability.jobs.testing import clear_queue
from accountability.jobs.tests import handlers

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker_env():
    if connection.vendor != "postgresql":
        pytest.skip("a worker process needs a database it can open: run on PostgreSQL")
    clear_queue()
    db = connection.settings_dict
    env = dict(os.environ)
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    env.update(
        DATABASE_URL=f"postgres://{db['USER']}@{host}:{port}/{db['NAME']}",
        JOBS_QUEUE=settings.JOBS_QUEUE,
        REDIS_URL=settings.REDIS_URL,
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    yield env
    clear_queue()


def run_worker(env: dict[str, str]) -> None:
    script = Path(sys.executable).with_name("accountability")
    subprocess.run([str(script), "worker", "--burst"], env=env, check=True, timeout=120)


def test_the_worker_runs_a_job_in_a_horse_of_its_own(worker_env):
    job = services.job_enqueue(handler=handlers.count_to, params={"n": 3})
    run_worker(worker_env)
    job.refresh_from_db()
    assert (job.state, job.progress_done, job.message) == (Job.State.SUCCEEDED, 3, "共3条")


def test_a_job_over_its_memory_limit_is_stopped_and_says_so(worker_env):
    job = services.job_enqueue(handler=handlers.allocate, params={"mb": 1024})
    run_worker(worker_env)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.error == "处理所需内存超过64MB的限制，任务已停止。"


def test_a_job_over_its_time_limit_is_stopped_and_says_so(worker_env):
    job = services.job_enqueue(handler=handlers.sleep_long, params={"seconds": 30})
    run_worker(worker_env)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.error == "处理时间超过1秒的限制，任务已停止。"


def test_a_horse_that_dies_leaves_a_failed_job_not_a_running_one(worker_env):
    job = services.job_enqueue(handler=handlers.die)
    run_worker(worker_env)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.error == str(MSG_LOST)
