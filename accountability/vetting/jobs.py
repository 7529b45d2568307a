"""The background job that reads a vetting list, matches it and answers it.

It runs in the worker, away from the web process, within the limits of workbook.py and the
job's own time and memory limits; the job page (accountability/jobs) shows its progress.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accountability.common.errors import DomainError
from accountability.common.i18n import join_list
from accountability.jobs.registry import JobContext, JobOutcome, job
from accountability.vetting.models import VettingRequest
from accountability.vetting.services import MSG_LIST_REFUSED, vetting_answer

ANSWERED = _("比对完成：共 {count} 人。")


@job(label=_("党风廉政意见回复比对"), memory_mb=512)
def vetting_answer_job(ctx: JobContext, *, vetting_id: int) -> JobOutcome:
    vetting = VettingRequest.objects.defer("content").get(pk=vetting_id)
    url = reverse("vetting:detail", args=[vetting.pk])
    done = vetting_answer(vetting=vetting, progress=ctx.progress)
    if done.state == VettingRequest.State.REFUSED:
        # The refusal is kept on the request (its page lists why); the job fails with it.
        raise DomainError(MSG_LIST_REFUSED.format(errors=join_list(done.errors)), code="refused")
    count = done.entries.count()
    return JobOutcome(message=ANSWERED.format(count=count), url=url, data={"rows": count})
