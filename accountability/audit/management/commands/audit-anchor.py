"""`accountability audit-anchor`: sign the chain head, write the anchor file, print it.

Run it periodically (the job queue calls accountability.audit.services.audit_anchor_create;
or cron, e.g. ``17 * * * * accountability audit-anchor > /dev/null``) and hand the files to
the city office, which keeps them with the public key.
"""

from django.core.management.base import BaseCommand, CommandError

from accountability.audit.anchors import AnchorError
from accountability.audit.services import audit_anchor_create


class Command(BaseCommand):
    help = "生成审计日志锚点:对链头(序号、校验码、条数、时间)做 SM2 签名,写入锚点目录并输出。"

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=None, help="default: the AUDIT_ANCHOR_DIR setting")

    def handle(self, *args, **options):
        try:
            anchor = audit_anchor_create(directory=options["dir"])
        except AnchorError as error:
            raise CommandError(error.message, returncode=1) from error
        self.stdout.write(anchor.as_json())
