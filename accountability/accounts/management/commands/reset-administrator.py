"""`accountability reset-administrator USERNAME`: a new activation code for an administrator
who lost their password (the old one stops working)."""

from django.core.management.base import BaseCommand, CommandError

from accountability.accounts.management.activation import print_activation
from accountability.accounts.services import administrator_reset
from accountability.common.errors import DomainError

RESET = "已作废管理员 {username} 的密码。"


class Command(BaseCommand):
    help = "重置管理员账号的密码(仅限运维人员，记入审计日志)：原密码作废，打印一次性激活码。"

    def add_arguments(self, parser):
        parser.add_argument("username", help="管理员用户名")

    def handle(self, *args, **options):
        try:
            user, first, second = administrator_reset(username=options["username"])
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(RESET.format(username=user.username))
        print_activation(self.stdout, user, first, second)
