"""`accountability remove_orphan_files`: delete attachment files that no record refers to.

A file is written before its record commits (cases/files.py); a process killed between the
two leaves a file without a record. Files younger than the grace period are left alone (their
record may still be committing). Each deletion is audited.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import transaction

from accountability.audit.services import audit_log
from accountability.cases.files import ORPHAN_GRACE, orphan_files


class Command(BaseCommand):
    help = "删除没有附件记录对应的附件文件(进程在写入文件后、保存记录前中断时留下)。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--older-than-hours",
            type=float,
            default=ORPHAN_GRACE.total_seconds() / 3600,
            help="只删除早于该小时数的文件(默认 1)",
        )
        parser.add_argument("--dry-run", action="store_true", help="只列出，不删除")

    def handle(self, *args: Any, **options: Any) -> None:
        names = orphan_files(older_than=timedelta(hours=options["older_than_hours"]))
        for name in names:
            self.stdout.write(name)
        if options["dry_run"] or not names:
            self.stdout.write(f"找到 {len(names)} 个无记录的附件文件。")
            return
        for name in names:
            default_storage.delete(name)
        with transaction.atomic():
            audit_log(
                action="delete",
                target=("cases.attachment_file", "", "无记录的附件文件"),
                changes={"files": names},
                detail=f"删除无记录的附件文件 {len(names)} 个",
            )
        self.stdout.write(f"已删除 {len(names)} 个无记录的附件文件。")
