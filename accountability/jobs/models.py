"""Background jobs: slow work (documents, PDF conversion, parsing uploaded files) done by a
worker beside the web server, never inside a request or a database transaction.

A Job row is what the user sees: what was asked, by whom, how far it has got, and its result
or the reason it failed. The queue itself (RQ on Redis) only carries the job's id; the row is
the record, so a job survives a restart of Redis or of the worker, and a failed one can be
retried with the same parameters.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("处理中")
        SUCCEEDED = "succeeded", _("已完成")
        FAILED = "failed", _("失败")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    #: Dotted path of the handler (a function decorated with ``accountability.jobs.registry.job``).
    kind = models.CharField(_("任务类型"), max_length=200)
    label = models.CharField(_("任务"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    params = models.JSONField(_("参数"), default=dict, blank=True)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.QUEUED)
    progress_done = models.PositiveIntegerField(_("已完成"), default=0)
    progress_total = models.PositiveIntegerField(_("总量"), default=0)
    message = models.CharField(_("进度说明"), max_length=300, blank=True)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    #: Where the result can be seen (a path on this site), once the job has succeeded.
    result_url = models.CharField(_("结果链接"), max_length=300, blank=True)
    error = models.TextField(_("失败原因"), blank=True)
    error_code = models.CharField(_("错误代码"), max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(_("执行次数"), default=0)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at"]
        indexes = [
            # The user's own jobs, newest first (selectors.job_list_for_user).
            models.Index(fields=["owner", "-created_at"], name="jobs_owner_created_idx"),
        ]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def finished(self) -> bool:
        return self.state in (self.State.SUCCEEDED, self.State.FAILED)

    @property
    def percent(self) -> int | None:
        """Progress in per cent, or None while the total is not known."""
        if self.state == self.State.SUCCEEDED:
            return 100
        if not self.progress_total:
            return None
        return min(100, self.progress_done * 100 // self.progress_total)
