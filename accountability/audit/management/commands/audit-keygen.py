"""`accountability audit-keygen --anchor-key FILE`: new keys for the audit trail.

Prints a new AUDIT_HMAC_KEY (64 hex digits) for the environment, writes a new SM2 anchor
signing key to FILE (mode 0600, refused if it exists) and prints its public key for
AUDIT_ANCHOR_PUBLIC_KEYS and for the city office. Nothing is stored in the database.
"""

import os
import secrets
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accountability.audit.anchors import new_private_key, public_key_of


class Command(BaseCommand):
    help = "生成审计日志密钥:HMAC-SM3 密钥(输出)与 SM2 锚点签名密钥(写入文件)及其公钥。"

    def add_arguments(self, parser):
        parser.add_argument("--anchor-key", metavar="FILE", help="where to write the SM2 key")

    def handle(self, *args, **options):
        self.stdout.write(f"AUDIT_HMAC_KEY={secrets.token_hex(32)}")
        if options["anchor_key"]:
            path = Path(options["anchor_key"])
            private = new_private_key()
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError as error:
                raise CommandError(f"{path} exists; not overwritten", returncode=1) from error
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(private + "\n")
            self.stdout.write(f"AUDIT_ANCHOR_KEY_FILE={path}")
            self.stdout.write(f"AUDIT_ANCHOR_PUBLIC_KEYS={public_key_of(private)}")
