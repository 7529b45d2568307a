"""`accountability verify-anchor FILE --public-key HEX`: check an anchor's SM2 signature.

Needs no database: the city office checks the files it keeps with the public key it was
given (it cannot sign one itself).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accountability.audit.anchors import AnchorError, anchor_parse


class Command(BaseCommand):
    help = "校验审计锚点文件的 SM2 签名(不需要数据库)。"

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--public-key",
            action="append",
            default=[],
            help="trusted SM2 public key, 128 hex digits (default: the configured ones)",
        )

    def handle(self, *args, **options):
        from accountability.audit.anchors import _normal_public

        trusted = {_normal_public(k) for k in options["public_key"]} or None
        for name in options["files"]:
            path = Path(name)
            try:
                text = path.read_text(encoding="utf-8")
                anchor = anchor_parse(text, name=path.name, trusted=trusted)
            except (OSError, AnchorError) as error:
                raise CommandError(getattr(error, "message", str(error)), returncode=1) from error
            self.stdout.write(
                _("锚点 {name} 签名有效:{at} 审计日志共 {seq} 条,末条校验码 {hash}").format(
                    name=path.name, at=anchor.at, seq=anchor.seq, hash=anchor.hash
                )
            )
