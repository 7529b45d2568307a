"""`accountability import_holidays FILE.json`: add years of the official holiday schedule.

The file is the JSON the rulebook's command line takes for extra schedules
(rulebook.calendar.schedule_from_dict): one year's object, a list of them, or a
folder of such files. Each year is saved whole or not at all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accountability.assessment.holidays import (
    FILE_TOO_LARGE,
    MAX_FILE_BYTES,
    MAX_FILES,
    TOO_MANY_FILES,
)
from accountability.assessment.services import holiday_year_create
from accountability.common.errors import DomainError
from rulebook import RulebookError
from rulebook.calendar import schedules_from_path

NO_SUCH_FILE = "找不到文件或文件夹:{path}"


class Command(BaseCommand):
    help = "导入国务院办公厅公布的年度节假日安排(JSON,格式同 rulebook 的 extra schedules)。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", help="JSON 文件(一个年度或年度列表)或存放 JSON 文件的文件夹")
        parser.add_argument("--replace", action="store_true", help="替换数据库中已有的同一年度安排")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.exists():
            raise CommandError(NO_SUCH_FILE.format(path=path))
        self._check_size(path)
        try:
            schedules = schedules_from_path(path)
        except RulebookError as err:
            raise CommandError(err.message) from err
        try:
            with transaction.atomic():
                for schedule in schedules:
                    holiday_year_create(
                        schedule=schedule, actor=None, action="import", replace=options["replace"]
                    )
                    self.stdout.write(
                        f"已导入{schedule.year}年节假日安排:放假{len(schedule.holidays)}天,"
                        f"调休上班{len(schedule.workdays)}天。"
                    )
        except DomainError as err:
            raise CommandError(err.message) from err

    @staticmethod
    def _check_size(path: Path) -> None:
        """Refuse files too large (or too many) to be a holiday schedule before reading them."""
        files = sorted(path.glob("*.json")) if path.is_dir() else [path]
        if len(files) > MAX_FILES:
            raise CommandError(str(TOO_MANY_FILES.format(limit=MAX_FILES)))
        for file in files:
            if file.stat().st_size > MAX_FILE_BYTES:
                raise CommandError(
                    str(FILE_TOO_LARGE.format(name=file.name, kb=MAX_FILE_BYTES >> 10))
                )
