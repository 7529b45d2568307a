"""Running a job in the worker: the handler, its limits, and what the user is told.

The worker (``accountability worker``) forks a work horse per job, as RQ does. In the horse the
address space is capped (the job kind's ``memory_mb`` above what the horse already has), RQ's
timer stops the job at its ``timeout``, and every outcome ends on the Job row:

* the handler returned: 已完成, with its message and link;
* it raised DomainError: 失败, with that message (a user's file was refused, for instance);
* it ran out of time or memory: 失败, saying which limit stopped it;
* anything else: 失败, with an error number for the administrator (the traceback is logged,
  never shown);
* the horse died (killed by the kernel, a crash in a C library): the worker marks it 失败.
"""

from __future__ import annotations

import logging
import os
import resource
import time
import uuid
from typing import Any

from django.db import connections
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rq import Worker as RQWorker
from rq.timeouts import JobTimeoutException

from accountability.audit.services import audit_log
from accountability.common.errors import DomainError
from accountability.common.i18n import source_language
from accountability.jobs.models import Job
from accountability.jobs.registry import JobContext, JobOutcome, UnknownJobKind, resolve

logger = logging.getLogger(__name__)

MSG_TIMEOUT = _("处理时间超过{seconds}秒的限制，任务已停止。")
MSG_MEMORY = _("处理所需内存超过{mb}MB的限制，任务已停止。")
MSG_INTERNAL = _("后台任务出错（错误编号{ref}），请联系系统管理员。")
MSG_LOST = _("后台任务意外终止（可能超过内存限制），请重试或联系系统管理员。")
MSG_UNKNOWN_KIND = _("未知的任务类型，无法执行。")

#: The progress hook writes at most this often (seconds), so a loop may call it freely.
PROGRESS_INTERVAL = 0.5


class _Progress:
    def __init__(self, job_id: str) -> None:
        self.job_id = job_id
        self.last = 0.0

    def __call__(self, done: int, total: int | None = None, message: str = "") -> None:
        now = time.monotonic()
        final = total is not None and done >= total
        if not final and now - self.last < PROGRESS_INTERVAL:
            return
        self.last = now
        fields: dict[str, Any] = {"progress_done": max(0, int(done))}
        if total is not None:
            fields["progress_total"] = max(0, int(total))
        if message:
            fields["message"] = str(message)[:300]
        Job.objects.filter(pk=self.job_id).update(**fields)


def _finish(job_id: str, **fields: Any) -> None:
    Job.objects.filter(pk=job_id).update(finished_at=timezone.now(), **fields)


def _fail(job_id: str, message: Any, code: str) -> None:
    """Mark the job failed with ``message``; the failure is audited in the owner's name."""
    with source_language():
        text = str(message)
    _finish(job_id, state=Job.State.FAILED, error=text, error_code=code)
    job = Job.objects.select_related("owner").get(pk=job_id)
    audit_log(
        actor=job.owner,
        action="update",
        target=("jobs.job", str(job.pk), str(job.label)),
        outcome="failure",
        changes={"state": [str(Job.State.RUNNING), str(Job.State.FAILED)], "code": code},
        detail=text,
    )


def perform(job_id: str) -> None:
    """Run the job ``job_id`` once (the RQ job function). Never raises for a handler's failure.

    The work horse starts without a database connection (the worker closes its own before it
    forks) and exits after the job, so nothing here opens or closes connections itself.
    """
    claimed = Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
        state=Job.State.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        return  # already run, retried elsewhere or gone: nothing to do twice
    job = Job.objects.get(pk=job_id)
    try:
        kind = resolve(job.kind)
    except UnknownJobKind:
        logger.error("job %s has an unknown kind %s", job_id, job.kind)
        _fail(job_id, MSG_UNKNOWN_KIND, "unknown_kind")
        return
    context = JobContext(job_id=str(job.pk), owner_id=job.owner_id, progress=_Progress(job_id))
    try:
        outcome = kind.handler(context, **job.params)
    except DomainError as error:
        _fail(job_id, error.message, error.code)
    except JobTimeoutException:
        _fail(job_id, MSG_TIMEOUT.format(seconds=kind.effective_timeout()), "timeout")
    except MemoryError:
        _fail(job_id, MSG_MEMORY.format(mb=kind.effective_memory_mb()), "memory")
    except Exception:
        ref = uuid.uuid4().hex[:8]
        logger.exception("job %s (%s) failed, error number %s", job_id, job.kind, ref)
        _fail(job_id, MSG_INTERNAL.format(ref=ref), "internal")
    else:
        outcome = outcome or JobOutcome()
        _finish(
            job_id,
            state=Job.State.SUCCEEDED,
            message=str(outcome.message)[:300],
            result_url=outcome.url[:300],
            result=outcome.data,
            progress_done=F("progress_total"),
        )


def _address_space() -> int:
    """This process's current virtual memory size in bytes (Linux)."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        pages = int(statm.read().split()[0])
    return pages * os.sysconf("SC_PAGE_SIZE")


def limit_memory(extra_mb: int) -> None:
    """Cap the address space at what the process has now plus ``extra_mb`` (children inherit)."""
    limit = _address_space() + (int(extra_mb) << 20)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


class Worker(RQWorker):
    """RQ's forking worker with the project's limits and bookkeeping.

    Database connections are closed before each fork, so the horse opens its own and never
    shares a socket with the worker; the horse caps its memory; when a horse dies without
    finishing (killed by the kernel or a signal), the Job row is marked failed.
    """

    def fork_work_horse(self, job: Any, queue: Any) -> None:
        connections.close_all()
        super().fork_work_horse(job, queue)

    def main_work_horse(self, job: Any, queue: Any) -> None:
        memory_mb = (job.meta or {}).get("memory_mb")
        if memory_mb:
            limit_memory(int(memory_mb))
        super().main_work_horse(job, queue)

    def handle_job_failure(self, job: Any, queue: Any, *args: Any, **kwargs: Any) -> None:
        super().handle_job_failure(job, queue, *args, **kwargs)
        if self.is_horse or not job.args:
            return
        try:
            Job.objects.filter(pk=job.args[0], state=Job.State.RUNNING).update(
                state=Job.State.FAILED,
                error=str(MSG_LOST),
                error_code="lost",
                finished_at=timezone.now(),
            )
        finally:
            connections.close_all()
