"""`accountability refresh_statistics`: rebuild the statistics' summary tables.

Run by a scheduler (cron, a systemd timer) with ``--enqueue``, so that the worker does the
work; without it the rebuild runs in this process (an administrator's console).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from accountability.reports import services


class Command(BaseCommand):
    help = "刷新统计汇总表（REPORTS_SOURCE=summary 时统计页面读取汇总表）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="放入后台任务队列，由工作进程执行（定时任务使用）。",
        )

    def handle(self, *args, **options):
        if options["enqueue"]:
            from accountability.jobs.services import job_enqueue
            from accountability.reports.jobs import refresh_summary

            job = job_enqueue(handler=refresh_summary)
            self.stdout.write(f"已放入任务队列：{job.pk}")
            return
        record = services.statistics_refresh()
        as_of = timezone.localtime(record.started_at)
        self.stdout.write(
            f"统计汇总表已刷新（数据截至 {as_of:%Y-%m-%d %H:%M:%S}）："
            f"决定{record.decisions}条，措施{record.measures}条，环节{record.stays}条。"
        )
