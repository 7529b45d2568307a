"""`accountability deactivate-administrator USERNAME [--reactivate]`: stop (or restore) an
administrator account; the interface cannot."""

from django.core.management.base import BaseCommand, CommandError

from accountability.accounts.services import administrator_set_active
from accountability.common.errors import DomainError

DEACTIVATED = "已停用管理员账号 {username}。"
REACTIVATED = "已启用管理员账号 {username}。"


class Command(BaseCommand):
    help = "停用(或以 --reactivate 重新启用)管理员账号(仅限运维人员，记入审计日志)。"

    def add_arguments(self, parser):
        parser.add_argument("username", help="管理员用户名")
        parser.add_argument("--reactivate", action="store_true", help="重新启用")

    def handle(self, *args, **options):
        active = options["reactivate"]
        try:
            user = administrator_set_active(username=options["username"], active=active)
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write((REACTIVATED if active else DEACTIVATED).format(username=user.username))
