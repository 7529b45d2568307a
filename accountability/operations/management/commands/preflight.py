"""`accountability preflight`: refuse an unsafe production configuration (exit 1)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from accountability.operations.preflight import ERROR, preflight_problems

PASSED = "预检通过：配置可以用于生产环境。"
FAILED = "预检未通过（{count} 项错误），系统不会启动。"


class Command(BaseCommand):
    help = (
        "检查生产环境配置(DEBUG、密钥、字段密钥、审计密钥、允许的主机、数据库、HTTPS、"
        "会话超时等)，有不安全的设置时列出并以非零状态退出。"
    )

    requires_system_checks: list[str] = []

    def handle(self, *args, **options):
        problems = preflight_problems()
        for problem in problems:
            stream = self.stderr if problem.level == ERROR else self.stdout
            stream.write(str(problem))
        errors = [p for p in problems if p.level == ERROR]
        if errors:
            raise CommandError(FAILED.format(count=len(errors)), returncode=1)
        self.stdout.write(PASSED)
