"""`accountability import_roster FILE.xlsx`: import a roster; nothing is saved if any row fails.

The file is checked with the limits of the web upload (roster.py: size, size once
decompressed, rows, columns, time), in this process.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accountability.people.roster import FILE_TOO_LARGE, roster_limits
from accountability.people.services import RosterImportError, roster_import


class Command(BaseCommand):
    help = "导入干部名册(.xlsx)：逐行校验，任何一行有错误则整个文件不导入。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="名册文件(.xlsx)")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        limits = roster_limits()
        if path.stat().st_size > limits.upload_bytes:
            raise CommandError(str(FILE_TOO_LARGE.format(mb=limits.upload_mb)))
        try:
            result = roster_import(content=path.read_bytes(), actor=None, filename=path.name)
        except RosterImportError as exc:
            for error in exc.errors:
                where = f"第 {error.row} 行" if error.row else "文件"
                column = f"【{error.column}】" if error.column else ""
                self.stderr.write(f"{where}{column}{error.message}")
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"已导入：新增 {len(result.created)} 人，修改 {len(result.updated)} 人，"
            f"未变 {len(result.unchanged)} 人。"
        )
