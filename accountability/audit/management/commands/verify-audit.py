"""`accountability verify-audit`: the keyed chain, its head both ways, witnesses and anchors.

Exits 1 at the first problem, naming the broken entry in a Chinese sentence.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accountability.audit.anchors import anchor_directory, anchors_load
from accountability.audit.verify import audit_chain_verify


class Command(BaseCommand):
    help = "校验审计日志(HMAC-SM3 链、链头、签名锚点),报告第一条被篡改、删除、插入或伪造的记录。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="FILE",
            help="a signed anchor to check the chain against (repeatable)",
        )
        parser.add_argument(
            "--anchor-dir",
            default=None,
            help="directory of anchors (*.json); default the AUDIT_ANCHOR_DIR setting",
        )
        parser.add_argument(
            "--no-anchor-dir", action="store_true", help="only the anchors given with --anchor"
        )

    def handle(self, *args, **options):
        directory = None
        if not options["no_anchor_dir"]:
            directory = Path(options["anchor_dir"]) if options["anchor_dir"] else anchor_directory()
        anchors, problems = anchors_load(options["anchor"], directory)
        report = audit_chain_verify(anchors=anchors, anchor_problems=problems)
        if not report.ok:
            raise CommandError(report.message, returncode=1)
        self.stdout.write(report.message)
        for note in report.notes:
            self.stdout.write(note)
