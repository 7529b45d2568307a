"""`accountability worker`: run the background jobs (RQ on Redis) until stopped."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from redis.exceptions import RedisError

from accountability.jobs.periodic import schedule_all
from accountability.jobs.queue import connection, queue
from accountability.jobs.runner import Worker


class Command(BaseCommand):
    help = "运行后台任务（文书生成、PDF转换、上传文件解析），直到被停止。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--burst",
            action="store_true",
            help="处理完队列中已有的任务后退出（用于测试和批处理）。",
        )
        parser.add_argument("--name", default=None, help="工作进程名称（默认自动生成）。")

    def handle(self, *args, **options):
        try:
            connection().ping()
        except RedisError as exc:
            raise CommandError(f"无法连接任务队列（REDIS_URL）：{exc}") from exc
        burst = options["burst"]
        if not burst:
            schedule_all()
        connections.close_all()
        worker = Worker([queue()], connection=connection(), name=options["name"])
        worker.work(burst=burst, with_scheduler=not burst, logging_level="WARNING")
