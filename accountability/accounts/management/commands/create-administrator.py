"""`accountability create-administrator USERNAME --role ROLE --full-name NAME`: an
administrator account, made only here by the operator (三员分立: never through the interface)."""

from django.core.management.base import BaseCommand, CommandError

from accountability.accounts.management.activation import print_activation
from accountability.accounts.models import User, organisation_model
from accountability.accounts.services import administrator_create
from accountability.common.errors import DomainError

CREATED = "已建立管理员账号 {username}（{role}，{full_name}）。"
UNKNOWN_ORGANISATION = "单位代码“{code}”不存在。"


class Command(BaseCommand):
    help = (
        "建立系统管理员、安全管理员或审计管理员账号(仅限运维人员在服务器上执行，记入审计日志)；"
        "打印一次性激活码，由本人设置密码并绑定动态口令。"
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="用户名")
        parser.add_argument(
            "--role",
            required=True,
            choices=sorted(str(r) for r in User.ADMIN_ROLES),
            help="管理员角色",
        )
        parser.add_argument("--full-name", required=True, help="姓名(每个账号对应一名具体人员)")
        parser.add_argument("--organisation", default="", help="所属单位代码(可选)")

    def handle(self, *args, **options):
        organisation = None
        if options["organisation"]:
            organisation = organisation_model().objects.filter(code=options["organisation"]).first()
            if organisation is None:
                raise CommandError(UNKNOWN_ORGANISATION.format(code=options["organisation"]))
        try:
            user, first, second = administrator_create(
                username=options["username"],
                full_name=options["full_name"],
                role=options["role"],
                organisation=organisation,
            )
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            CREATED.format(
                username=user.username, role=user.get_role_display(), full_name=user.full_name
            )
        )
        print_activation(self.stdout, user, first, second)
