"""`accountability verify-audit`: recompute the audit chain, exit 1 at the first broken entry."""

from django.core.management.base import BaseCommand, CommandError

from accountability.audit.selectors import audit_chain_verify


class Command(BaseCommand):
    help = "校验审计日志哈希链(SM3),报告第一条被篡改、删除或插入的记录。"

    def handle(self, *args, **options):
        report = audit_chain_verify()
        if not report.ok:
            raise CommandError(report.message, returncode=1)
        self.stdout.write(report.message)
