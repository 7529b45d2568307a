"""The roster as an Excel workbook: one sheet, a header row, one person a row.

Import validates every row before writing anything, and reports each problem
with its row number, column and a Chinese message; export writes the same
layout, so import(export(x)) changes nothing.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from zipfile import BadZipFile

from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from accountability.common.i18n import join_list
from accountability.people.models import Organisation, Person

SHEET_TITLE = "干部名册"


@dataclass(frozen=True)
class Column:
    header: str
    attr: str
    required: bool = False
    max_length: int = 0
    width: int = 14


COLUMNS: tuple[Column, ...] = (
    Column("姓名", "name", required=True, max_length=64, width=10),
    Column("工号", "id_number", required=True, max_length=32, width=12),
    Column("所在单位", "unit", required=True, width=28),
    Column("职务", "post", max_length=64, width=16),
    Column("职级", "rank", max_length=32, width=12),
    Column("责任主体类别", "role", required=True, width=16),
    Column("干部管理机关", "managed_by", required=True, width=18),
    Column("性别", "gender", width=6),
    Column("出生年份", "birth_year", width=10),
    Column("中共党员", "is_party_member", width=10),
    Column("在职", "is_active", width=8),
)
HEADERS = tuple(c.header for c in COLUMNS)

YES, NO = "是", "否"
MIN_BIRTH_YEAR = 1940

NOT_XLSX = _("文件不是有效的 Excel (.xlsx) 工作簿。")
NO_ROWS = _("文件中没有人员数据行。")
MISSING_HEADER = _("缺少列“{column}”。")
REQUIRED = _("{column}不能为空。")
TOO_LONG = _("{column}不能超过 {max_length} 个字符。")
UNKNOWN_ORG = _("找不到单位“{value}”，请填写单位代码或完整名称。")
AMBIGUOUS_ORG = _("单位名称“{value}”不唯一，请改填单位代码。")
BAD_ROLE = _("责任主体类别“{value}”不是第五条所列类别之一：{choices}。")
BAD_GENDER = _("性别只能填写“男”或“女”。")
BAD_YEAR = _("出生年份应为 {min_year} 至 {max_year} 之间的年份。")
BAD_BOOL = _("{column}只能填写“是”或“否”。")
DUPLICATE_NUMBER = _("工号“{value}”与第 {other} 行重复。")
OUT_OF_AUTHORITY = _("干部管理机关“{value}”不在您的管理权限内。")
PERSON_OUT_OF_AUTHORITY = _("工号“{value}”的人员不在您的管理权限内，不能修改。")


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ParsedRoster:
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class _OrgIndex:
    def __init__(self) -> None:
        self.by_code: dict[str, Organisation] = {}
        self.by_name: dict[str, list[Organisation]] = {}
        for org in Organisation.objects.all():
            self.by_code[org.code] = org
            self.by_name.setdefault(org.name, []).append(org)

    def resolve(self, value: str) -> tuple[Organisation | None, str]:
        if value in self.by_code:
            return self.by_code[value], ""
        matches = self.by_name.get(value, [])
        if len(matches) == 1:
            return matches[0], ""
        if matches:
            return None, AMBIGUOUS_ORG.format(value=value)
        return None, UNKNOWN_ORG.format(value=value)

    def label(self, org: Organisation) -> str:
        """The name when it identifies the unit, else the code."""
        return org.name if len(self.by_name.get(org.name, [])) == 1 else org.code


def _role_value(value: str) -> str | None:
    for choice_value, label in Person.Role.choices:
        if value in (choice_value, str(label)):
            return choice_value
    return None


def _bool_value(value: str, default: bool) -> bool | None:
    if value == "":
        return default
    if value in (YES, "Y", "y", "1", "TRUE", "True", "true"):
        return True
    if value in (NO, "N", "n", "0", "FALSE", "False", "false"):
        return False
    return None


def parse_roster(content: bytes, *, allowed_managers: set[int] | None = None) -> ParsedRoster:
    """Read and validate every row; never writes.

    allowed_managers, when given, is the set of organisation ids the importer
    may assign as 干部管理机关 (and whose people they may change).
    """
    result = ParsedRoster()
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, ValueError, OSError, TypeError):
        result.errors.append(RowError(0, "", NOT_XLSX))
        return result
    sheet = workbook.active
    rows = sheet.iter_rows(values_only=True)
    header = [_text(v) for v in next(rows, ())]
    positions: dict[str, int] = {}
    for column in COLUMNS:
        if column.header in header:
            positions[column.attr] = header.index(column.header)
        elif column.required:
            result.errors.append(
                RowError(1, column.header, MISSING_HEADER.format(column=column.header))
            )
    if result.errors:
        workbook.close()
        return result

    orgs = _OrgIndex()
    existing = {
        p.id_number: p.managed_by_id for p in Person.objects.only("id_number", "managed_by_id")
    }
    seen_numbers: dict[str, int] = {}
    max_year = date.today().year
    choices = join_list(Person.Role.values)
    for row_number, raw in enumerate(rows, start=2):
        cells = {
            attr: _text(raw[index]) if index < len(raw) else "" for attr, index in positions.items()
        }
        if not any(cells.values()):
            continue
        errors: list[RowError] = []

        def error(column: Column, message: str, errors=errors, row_number=row_number) -> None:
            errors.append(RowError(row_number, column.header, message))

        values: dict[str, Any] = {}
        for column in COLUMNS:
            value = cells.get(column.attr, "")
            if column.required and not value:
                error(column, REQUIRED.format(column=column.header))
                continue
            if column.max_length and len(value) > column.max_length:
                error(column, TOO_LONG.format(column=column.header, max_length=column.max_length))
                continue
            if column.attr in ("unit", "managed_by"):
                org, message = orgs.resolve(value)
                if org is None:
                    error(column, message)
                    continue
                if (
                    column.attr == "managed_by"
                    and allowed_managers is not None
                    and org.pk not in allowed_managers
                ):
                    error(column, OUT_OF_AUTHORITY.format(value=value))
                    continue
                values[column.attr] = org
            elif column.attr == "role":
                role = _role_value(value)
                if role is None:
                    error(column, BAD_ROLE.format(value=value, choices=choices))
                    continue
                values["role"] = role
            elif column.attr == "gender":
                if value not in ("", *Person.Gender.values):
                    error(column, BAD_GENDER)
                    continue
                values["gender"] = value
            elif column.attr == "birth_year":
                if value == "":
                    values["birth_year"] = None
                    continue
                if not value.isdigit() or not MIN_BIRTH_YEAR <= int(value) <= max_year:
                    error(column, BAD_YEAR.format(min_year=MIN_BIRTH_YEAR, max_year=max_year))
                    continue
                values["birth_year"] = int(value)
            elif column.attr in ("is_party_member", "is_active"):
                flag = _bool_value(value, default=True)
                if flag is None:
                    error(column, BAD_BOOL.format(column=column.header))
                    continue
                values[column.attr] = flag
            else:
                values[column.attr] = value
        number = cells.get("id_number", "")
        if number:
            if number in seen_numbers:
                error(COLUMNS[1], DUPLICATE_NUMBER.format(value=number, other=seen_numbers[number]))
            else:
                seen_numbers[number] = row_number
            if (
                allowed_managers is not None
                and number in existing
                and existing[number] not in allowed_managers
            ):
                error(COLUMNS[1], PERSON_OUT_OF_AUTHORITY.format(value=number))
        if errors:
            result.errors.extend(errors)
        else:
            result.rows.append((row_number, values))
    workbook.close()
    if not result.rows and not result.errors:
        result.errors.append(RowError(0, "", NO_ROWS))
    return result


def roster_workbook(people) -> bytes:
    """The .xlsx bytes for these people, in the import layout."""
    orgs = _OrgIndex()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append(list(HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for person in people:
        sheet.append(
            [
                person.name,
                person.id_number,
                orgs.label(person.unit),
                person.post,
                person.rank,
                person.role,
                orgs.label(person.managed_by),
                person.gender,
                person.birth_year,
                YES if person.is_party_member else NO,
                YES if person.is_active else NO,
            ]
        )
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
