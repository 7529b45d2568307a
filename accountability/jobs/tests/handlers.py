"""Job kinds used by the tests (importable by a worker process, like any real kind)."""

from __future__ import annotations

import os
import signal
import time

from django.conf import settings

from accountability.common.errors import DomainError
from accountability.jobs.models import Job
from accountability.jobs.registry import JobContext, JobOutcome, job

REFUSAL = "第3行：身份证号格式不正确。"


@job(label="测试：计数", timeout=30)
def count_to(ctx: JobContext, *, n: int) -> JobOutcome:
    for i in range(n):
        ctx.progress(i + 1, n, f"已处理{i + 1}条")
    return JobOutcome(message=f"共{n}条", url="/jobs/done/", data={"n": n})


@job(label="测试：拒绝")
def refuse(ctx: JobContext) -> None:
    raise DomainError(REFUSAL, field="file", code="row_invalid")


@job(label="测试：第一次失败")
def fail_first_time(ctx: JobContext) -> JobOutcome:
    if Job.objects.get(pk=ctx.job_id).attempts < 2:
        raise DomainError(REFUSAL, field="file")
    return JobOutcome(message="第二次成功")


@job(label="测试：出错")
def crash(ctx: JobContext) -> None:
    raise RuntimeError("secret internals /etc/passwd")


@job(label="测试：超时", timeout=1)
def sleep_long(ctx: JobContext, *, seconds: float = 5) -> None:
    time.sleep(seconds)


@job(label="测试：设定的时限", timeout=lambda: settings.TEST_JOB_SECONDS)
def sleep_configured(ctx: JobContext, *, seconds: float = 5) -> None:
    time.sleep(seconds)


@job(label="测试：内存", memory_mb=64)
def allocate(ctx: JobContext, *, mb: int = 512) -> JobOutcome:
    block = bytearray(mb << 20)
    return JobOutcome(message=str(len(block)))


@job(label="测试：进程被杀")
def die(ctx: JobContext) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


TICKS: list[str] = []


def tick() -> None:
    """A periodic function for the tests (records that it ran)."""
    TICKS.append("tick")


def tick_and_fail() -> None:
    TICKS.append("fail")
    raise RuntimeError("periodic failure")
