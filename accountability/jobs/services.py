"""Submitting and retrying background jobs.

``job_enqueue`` is called inside the caller's transaction: the Job row is written with it and
the job reaches the queue only once that transaction commits, so a worker never sees a job for
a change that was rolled back. When the queue cannot be reached the job is marked failed with
a message saying so, and can be retried; the page that asked for it still answers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from redis.exceptions import RedisError

from accountability.audit.services import audit_log
from accountability.common.errors import DomainError, PermissionDenied
from accountability.jobs.models import Job
from accountability.jobs.queue import queue
from accountability.jobs.registry import JobOutcome, kind_of, resolve

logger = logging.getLogger(__name__)

MSG_QUEUE_UNAVAILABLE = _("后台任务队列暂时无法连接，任务未能开始；请稍后点击“重试”。")
MSG_NOT_FAILED = _("只有失败的任务可以重试（当前状态：{state}）。")
MSG_NOT_OWNER = _("只有发起任务的人可以重试该任务。")


def _submit(job: Job) -> None:
    """Put ``job`` on the queue; a queue that cannot be reached fails the job visibly."""
    kind = resolve(job.kind)
    try:
        queue().enqueue(
            "accountability.jobs.runner.perform",
            str(job.pk),
            job_id=f"{job.pk}-{job.attempts}",
            job_timeout=kind.effective_timeout(),
            meta={"memory_mb": kind.effective_memory_mb()},
            result_ttl=3600,
            failure_ttl=7 * 24 * 3600,
            description=str(job.label),
        )
    except RedisError:
        logger.exception("could not enqueue job %s", job.pk)
        Job.objects.filter(pk=job.pk, state=Job.State.QUEUED).update(
            state=Job.State.FAILED,
            error=str(MSG_QUEUE_UNAVAILABLE),
            error_code="queue_unavailable",
            finished_at=timezone.now(),
        )


def job_enqueue(
    *,
    handler: Callable[..., JobOutcome | None],
    owner: Any = None,
    params: dict[str, Any] | None = None,
    label: str = "",
) -> Job:
    """A Job row for ``handler(**params)``, queued when the current transaction commits."""
    kind = kind_of(handler)
    job = Job.objects.create(
        kind=kind.path,
        label=str(label or kind.label)[:200],
        owner=owner if getattr(owner, "is_authenticated", False) else None,
        params=params or {},
    )
    transaction.on_commit(lambda: _submit(job))
    return job


@transaction.atomic
def job_retry(*, job: Job, actor: Any, request: Any = None) -> Job:
    """Run a failed job again with the same parameters (its owner only)."""
    locked = Job.objects.select_for_update().get(pk=job.pk)
    if locked.owner_id is None or locked.owner_id != getattr(actor, "pk", None):
        raise PermissionDenied(MSG_NOT_OWNER)
    if locked.state != Job.State.FAILED:
        raise DomainError(
            MSG_NOT_FAILED.format(state=locked.get_state_display()), field="state", code="state"
        )
    locked.state = Job.State.QUEUED
    locked.error = ""
    locked.error_code = ""
    locked.progress_done = 0
    locked.message = ""
    locked.started_at = None
    locked.finished_at = None
    locked.save(
        update_fields=[
            "state",
            "error",
            "error_code",
            "progress_done",
            "message",
            "started_at",
            "finished_at",
        ]
    )
    audit_log(
        actor=actor,
        action="update",
        target=("jobs.job", str(locked.pk), str(locked.label)),
        changes={"state": [str(Job.State.FAILED), str(Job.State.QUEUED)]},
        detail="重试后台任务",
        request=request,
    )
    transaction.on_commit(lambda: _submit(locked))
    return locked
