"""Running the queue for real in tests: the jobs go through Redis and RQ, then run in-process.

``run_jobs()`` works the project's queue in burst mode with RQ's SimpleWorker (no fork), so a
job sees the test's database transaction; tests of the forking worker's limits start
``accountability worker --burst`` as a process of its own (PostgreSQL only, where a second
process can see the committed test data).
"""

from __future__ import annotations

from rq import SimpleWorker

from accountability.jobs.queue import connection, queue


def queued_count() -> int:
    return queue().count


def run_jobs() -> int:
    """Run every job waiting on the queue; the number of jobs run."""
    pending = queue().count
    if pending:
        SimpleWorker([queue()], connection=connection()).work(burst=True, logging_level="WARNING")
    return pending


def clear_queue() -> None:
    queue().empty()
