"""Work the system does on a schedule, without anyone asking (setting JOBS_PERIODIC).

    JOBS_PERIODIC = {"audit-anchor": ("accountability.audit.services.audit_anchor_create", 3600)}

Each entry is a function run by the worker every so many seconds. The worker schedules the
first run when it starts; each run schedules the next one, whatever its outcome, under a fixed
job id (per queue), so that several workers or restarts never multiply the schedule. A failure
is logged (the function itself audits what it does).
"""

from __future__ import annotations

import importlib
import logging
from datetime import timedelta

from django.conf import settings

from accountability.jobs.queue import queue, queue_name

logger = logging.getLogger(__name__)

#: The first run after the worker starts, so that a restart loop does not run everything at once.
FIRST_RUN_DELAY = timedelta(seconds=60)


def periodic_table() -> dict[str, tuple[str, int]]:
    return dict(getattr(settings, "JOBS_PERIODIC", {}))


def job_id(name: str) -> str:
    """The fixed id of ``name``'s next run. RQ's job ids are global to the Redis database, so
    the id names the queue too: two systems (or two test runs) sharing one Redis each keep
    their own schedule."""
    return f"periodic-{queue_name()}-{name}"


def schedule(name: str, delay: timedelta) -> None:
    queue().enqueue_in(
        delay,
        "accountability.jobs.periodic.run",
        name,
        job_id=job_id(name),
        description=f"periodic {name}",
        result_ttl=3600,
        failure_ttl=7 * 24 * 3600,
    )


def schedule_all() -> list[str]:
    """Schedule every periodic entry not already waiting; the names scheduled."""
    registry = queue().scheduled_job_registry
    waiting = set(registry.get_job_ids())
    scheduled = []
    for name in periodic_table():
        if job_id(name) not in waiting:
            schedule(name, FIRST_RUN_DELAY)
            scheduled.append(name)
    return scheduled


def run(name: str) -> None:
    """Run the periodic entry ``name`` once, then schedule its next run."""
    table = periodic_table()
    if name not in table:
        logger.warning("periodic job %s is no longer configured", name)
        return
    path, every = table[name]
    try:
        module_name, _, function_name = path.rpartition(".")
        getattr(importlib.import_module(module_name), function_name)()
    except Exception:
        logger.exception("periodic job %s (%s) failed", name, path)
    finally:
        schedule(name, timedelta(seconds=int(every)))
