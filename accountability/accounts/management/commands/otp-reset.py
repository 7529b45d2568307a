"""`accountability otp-reset USERNAME`: remove a user's second factor from the command line
(the security administrator does the same on the account page)."""

from django.core.management.base import BaseCommand, CommandError

from accountability.accounts.models import User
from accountability.accounts.services import USER_NOT_FOUND, otp_reset
from accountability.common.errors import DomainError

DONE = "已重置 {username} 的双因素认证(动态口令和恢复码)；下次登录时须重新绑定。"


class Command(BaseCommand):
    help = "重置用户的双因素认证(仅限运维人员，记入审计日志)：删除动态口令和恢复码。"

    def add_arguments(self, parser):
        parser.add_argument("username", help="用户名")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(str(USER_NOT_FOUND).format(username=options["username"]))
        try:
            otp_reset(actor=None, user=user)
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(DONE.format(username=user.username))
