"""`accountability demo-otp USERNAME`: the current TOTP code of a demo account, for trying
the demo without a phone. Refused unless DEBUG is on, and for any account outside the demo."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accountability.demo.registry import demo_totp_code

REFUSED_WITHOUT_DEBUG = "DJANGO_DEBUG 为 false：demo-otp 只用于演示环境，正式环境不能显示动态口令。"
NOT_A_DEMO_ACCOUNT = "“{username}”不是演示账号，或没有演示用的动态口令。"


class Command(BaseCommand):
    help = "显示演示账号当前的动态口令(仅 DEBUG 演示环境)。"

    def add_arguments(self, parser):
        parser.add_argument("username", help="演示账号用户名，如 officer、sysadmin")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(REFUSED_WITHOUT_DEBUG)
        code = demo_totp_code(options["username"])
        if code is None:
            raise CommandError(NOT_A_DEMO_ACCOUNT.format(username=options["username"]))
        self.stdout.write(code)
