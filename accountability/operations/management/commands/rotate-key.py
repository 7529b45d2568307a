"""`accountability rotate-key`: re-encrypt every stored ciphertext with the current field key."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from accountability.common.errors import DomainError
from accountability.operations.keys import RotationReport, field_keys_rotate

DONE = "已完成：{done} 条记录改用密钥“{key_id}”加密，没有剩余使用旧密钥的密文。"
PROGRESS = "已重新加密 {done} / {total} 条记录"
CONFIG_ERROR = "字段密钥配置有误，未做任何改动：{detail}"
STOPPED = "{message}（已完成的 {done} 条已保存；补充密钥后重新执行本命令即可继续。）"
NO_USER = "找不到用户“{username}”。"


class Command(BaseCommand):
    help = (
        "用当前字段密钥(FIELD_KEY_ID)重新加密所有已存储的密文(举报人信息等)。"
        "分批进行，每批一个事务并记入审计日志；中断后重新执行即可继续。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=200, help="每批记录数(默认 200)")
        parser.add_argument("--user", default="", help="记入审计日志的操作人(用户名)")

    def handle(self, *args, **options):
        from accountability.accounts.models import User

        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(NO_USER.format(username=options["user"]))
        if options["batch_size"] < 1:
            raise CommandError("--batch-size 至少为 1。")
        report = RotationReport(current="")

        def progress(current: RotationReport) -> None:
            report.done, report.total, report.current = current.done, current.total, current.current
            self.stdout.write(PROGRESS.format(done=current.done, total=current.total))

        try:
            result = field_keys_rotate(
                batch_size=options["batch_size"], actor=actor, progress=progress
            )
        except ImproperlyConfigured as error:
            raise CommandError(CONFIG_ERROR.format(detail=error), returncode=2) from None
        except DomainError as error:
            raise CommandError(
                STOPPED.format(message=error.message, done=report.done), returncode=1
            ) from None
        self.stdout.write(DONE.format(done=result.done, key_id=result.current))
