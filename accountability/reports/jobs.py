"""The background job that rebuilds the statistics' summary tables (services.statistics_refresh)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accountability.jobs.registry import JobContext, JobOutcome, job
from accountability.reports.services import statistics_refresh

MSG_DONE = _("统计汇总表已刷新：决定{decisions}条，措施{measures}条，环节{stays}条。")


@job(label=_("刷新统计汇总表"), timeout=3600, memory_mb=512)
def refresh_summary(ctx: JobContext) -> JobOutcome:
    record = statistics_refresh(progress=ctx.progress)
    return JobOutcome(
        message=str(MSG_DONE).format(
            decisions=record.decisions, measures=record.measures, stays=record.stays
        ),
        url=reverse("reports:statistics"),
        data={"decisions": record.decisions, "measures": record.measures, "stays": record.stays},
    )
