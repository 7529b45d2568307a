"""`accountability serve`: the production start-up: preflight, migration check, collectstatic,
then gunicorn (config/gunicorn.conf.py) and any other process of launcher.PROCESSES."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

from accountability.operations.db import close_all_connections
from accountability.operations.launcher import development_specs, process_specs, supervise
from accountability.operations.preflight import ERROR, preflight_problems

PREFLIGHT_FAILED = "预检未通过，系统不会启动："
UNMIGRATED = (
    "数据库还有 {count} 个迁移未执行（{first} 等）：请先运行 accountability migrate，"
    "或用 accountability serve --migrate。"
)
DEV_ONLY = "--dev 只用于开发演示：DJANGO_DEBUG 为假时请直接运行 accountability serve。"
READY = "预检通过，数据库已是最新结构，静态文件已收集到 {root}。"


class Command(BaseCommand):
    help = (
        "生产环境启动：预检配置，检查数据库迁移，收集静态文件，"
        "然后启动 gunicorn(config/gunicorn.conf.py)并守护它。"
    )

    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("--migrate", action="store_true", help="先执行未执行的数据库迁移")
        parser.add_argument(
            "--check", action="store_true", help="只做启动前的检查和准备，不启动服务"
        )
        parser.add_argument(
            "--dev",
            metavar="ADDRESS",
            help="开发演示：在 ADDRESS(如 127.0.0.1:8000)启动开发服务器和后台任务进程"
            "（仅限 DJANGO_DEBUG 为真时）",
        )

    def handle(self, *args, **options):
        from django.conf import settings

        if options["dev"]:
            if not settings.DEBUG:
                raise CommandError(DEV_ONLY, returncode=2)
            close_all_connections()
            self.stdout.flush()
            status = supervise(development_specs(options["dev"]), log=self.stdout.write)
            if status:
                raise CommandError(f"服务已停止（状态 {status}）。", returncode=status)
            return
        problems = preflight_problems()
        for warning in (p for p in problems if p.level != ERROR):
            self.stdout.write(str(warning))
        errors = [p for p in problems if p.level == ERROR]
        if errors:
            lines = [PREFLIGHT_FAILED, *(str(p) for p in errors)]
            raise CommandError("\n".join(lines), returncode=1)
        if options["migrate"]:
            call_command("migrate", interactive=False, verbosity=1, stdout=self.stdout)
        connection = connections["default"]
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            first = plan[0][0]
            raise CommandError(
                UNMIGRATED.format(count=len(plan), first=f"{first.app_label}.{first.name}"),
                returncode=1,
            )
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(READY.format(root=settings.STATIC_ROOT))
        specs = process_specs()
        if options["check"]:
            for spec in specs:
                self.stdout.write(f"{spec.name}: {' '.join(spec.argv)}")
            return
        close_all_connections()
        self.stdout.flush()
        status = supervise(specs, log=self.stdout.write)
        if status:
            raise CommandError(f"服务已停止（状态 {status}）。", returncode=status)
