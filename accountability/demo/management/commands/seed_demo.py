"""`accountability seed_demo`: the demo commission, its people and one login per role."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accountability.demo.cases import seed_cases
from accountability.demo.documents import seed_documents
from accountability.demo.registry import seed_registry

DEMO_URL = "http://127.0.0.1:8000"
DEMO_OTP_HINT = (
    "标“需要”的账号登录时须输入动态口令(双因素认证)。没有手机时，另开一个终端运行\n"
    "  .venv/bin/accountability demo-otp 用户名\n"
    "显示该账号当前的动态口令(仅 DEBUG 演示环境可用)。"
)
REFUSED_WITHOUT_DEBUG = (
    "DJANGO_DEBUG 为 false：演示账号使用公开的演示密码，不能在正式环境创建。"
    "确需加载演示数据时请加 --force。"
)


class Command(BaseCommand):
    help = "加载演示数据(可重复执行)：单位、干部、每个角色一个演示账号，以及演示案件和文书。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="在 DJANGO_DEBUG=false 时也创建演示账号(公开密码，仅限演示环境)。",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(REFUSED_WITHOUT_DEBUG)
        logins = seed_registry()
        for line in (seed_cases(), seed_documents()):
            if line:
                self.stdout.write(line)

        self.stdout.write("")
        self.stdout.write(f"责任追究管理系统: {DEMO_URL}")
        self.stdout.write("")
        self.stdout.write("演示账号(密码均为 {}):".format(logins[0].password if logins else ""))
        width = max(len(login.username) for login in logins)
        # "用户名" is three characters but six columns wide, "动态口令" eight.
        self.stdout.write("  用户名" + " " * (width - 6 + 2) + "密码" + " " * 8 + "动态口令  角色")
        for login in logins:
            otp = "需要" if login.second_factor else "—"
            self.stdout.write(
                f"  {login.username.ljust(width)}  {login.password:<10}  "
                f"{otp}{' ' * (10 - 2 * len(otp) if login.second_factor else 9)}"
                f"{login.role_label}({login.full_name})"
            )
        self.stdout.write("")
        if any(login.second_factor for login in logins):
            self.stdout.write(DEMO_OTP_HINT)
            self.stdout.write("")
