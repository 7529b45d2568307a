"""The roster as an Excel workbook: one sheet, a header row, one person a row.

Import validates every row before writing anything, and reports each problem
with its row number, column and a Chinese message; export writes the same
layout, so import(export(x)) changes nothing.

An uploaded workbook is untrusted. It is read with limits, each a named setting
(``roster_limits``): the upload's size, its size once decompressed (the zip's
entries are checked before openpyxl opens anything), the number of parts, rows
and columns, and the time spent. openpyxl parses the XML through defusedxml, so
a DTD with entities (billion laughs, external entities) is refused. Every
failure is a file-level error (row 0) with a Chinese message, never an
exception; the web page runs the parse in a background job (people/jobs.py).
"""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from xml.etree.ElementTree import ParseError
from zipfile import BadZipFile

import openpyxl
from defusedxml import DefusedXmlException
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
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

# Limits of an uploaded workbook (settings, with these defaults).
#: ROSTER_MAX_UPLOAD_MB: the file as uploaded (a county roster is well under 1 MB).
DEFAULT_MAX_UPLOAD_MB = 5
#: ROSTER_MAX_UNCOMPRESSED_MB: all parts once decompressed; 20,000 rows of 11 columns as
#: inline strings are about 15 MB of XML.
DEFAULT_MAX_UNCOMPRESSED_MB = 64
#: ROSTER_MAX_ROWS: rows of the sheet (header included), far above any county's cadres.
DEFAULT_MAX_ROWS = 20_000
#: ROSTER_MAX_COLUMNS: columns read in a row; the layout has 11.
DEFAULT_MAX_COLUMNS = 50
#: ROSTER_MAX_SECONDS: time to check the whole file.
DEFAULT_MAX_SECONDS = 120
#: Parts of the zip: a workbook saved by Excel, WPS or LibreOffice has about ten to thirty.
MAX_ZIP_ENTRIES = 500
#: How often (rows) the parse reports progress and looks at the clock.
CHECK_EVERY_ROWS = 500

NOT_XLSX = _("文件不是有效的 Excel (.xlsx) 工作簿。")
NO_SHEET = _("工作簿中没有工作表。")
UNSAFE_XML = _("文件含有 XML 实体声明(DTD)，Excel 工作簿不应含有，已拒绝读取。")
TOO_LARGE_UNCOMPRESSED = _("文件解压后超过 {mb} MB 的上限。")
TOO_MANY_ENTRIES = _("文件包含的部件超过 {limit} 个的上限，不是正常的 Excel 工作簿。")
TOO_MANY_ROWS = _("名册不能超过 {limit} 行(含列名行)。")
TOO_MANY_COLUMNS = _("名册不能超过 {limit} 列。")
TOO_SLOW = _("名册处理时间超过 {seconds} 秒的上限，请拆分后分批导入。")
FILE_TOO_LARGE = _("文件过大：名册文件不能超过 {mb} MB。")
PROGRESS = _("已检查 {done} 行")
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


@dataclass(frozen=True)
class RosterLimits:
    upload_bytes: int
    uncompressed_bytes: int
    rows: int
    columns: int
    seconds: float

    @property
    def upload_mb(self) -> int:
        return self.upload_bytes >> 20

    @property
    def uncompressed_mb(self) -> int:
        return self.uncompressed_bytes >> 20


def roster_limits() -> RosterLimits:
    """The limits in force (settings ROSTER_MAX_*)."""

    def setting(name: str, default: int) -> int:
        return int(getattr(settings, name, default))

    return RosterLimits(
        upload_bytes=setting("ROSTER_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB) << 20,
        uncompressed_bytes=setting("ROSTER_MAX_UNCOMPRESSED_MB", DEFAULT_MAX_UNCOMPRESSED_MB) << 20,
        rows=setting("ROSTER_MAX_ROWS", DEFAULT_MAX_ROWS),
        columns=setting("ROSTER_MAX_COLUMNS", DEFAULT_MAX_COLUMNS),
        seconds=setting("ROSTER_MAX_SECONDS", DEFAULT_MAX_SECONDS),
    )


class _Refused(Exception):
    """A file-level refusal inside the parse (becomes one RowError at row 0)."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = str(message)


def _check_archive(content: bytes, limits: RosterLimits) -> None:
    """Refuse a zip whose parts would inflate beyond the limit, before anything reads them.

    The sizes are those the archive declares; zipfile never returns more than the declared
    size of a part (and a part that inflates to less fails its CRC), so they bound the work.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
    except (BadZipFile, ValueError, OSError, EOFError):
        raise _Refused(NOT_XLSX) from None
    if len(entries) > MAX_ZIP_ENTRIES:
        raise _Refused(TOO_MANY_ENTRIES.format(limit=MAX_ZIP_ENTRIES))
    if sum(entry.file_size for entry in entries) > limits.uncompressed_bytes:
        raise _Refused(TOO_LARGE_UNCOMPRESSED.format(mb=limits.uncompressed_mb))


#: What openpyxl and the zip layer raise on a malformed or hostile workbook.
_READ_ERRORS = (
    InvalidFileException,
    BadZipFile,
    KeyError,
    ValueError,
    OSError,
    TypeError,
    AttributeError,
    IndexError,
    EOFError,
    ParseError,
    zipfile.LargeZipFile,
)


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


def _caused_by(error: BaseException | None, kind: type[BaseException]) -> bool:
    """Whether ``error`` or an exception it was raised from is a ``kind`` (openpyxl wraps
    what its XML parser raised in a ValueError)."""
    seen = 0
    while error is not None and seen < 20:
        if isinstance(error, kind):
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False


def parse_roster(
    content: bytes,
    *,
    allowed_managers: set[int] | None = None,
    progress: Callable[..., None] | None = None,
    limits: RosterLimits | None = None,
) -> ParsedRoster:
    """Read and validate every row within the limits; never writes, never raises for the file.

    allowed_managers, when given, is the set of organisation ids the importer
    may assign as 干部管理机关 (and whose people they may change). progress, when
    given, is called as progress(done, total, message) while rows are checked.
    """
    if not openpyxl.DEFUSEDXML:
        raise ImproperlyConfigured("defusedxml must be installed to read uploaded workbooks")
    limits = limits or roster_limits()
    result = ParsedRoster()
    try:
        _check_archive(content, limits)
        _parse(content, result, allowed_managers, progress, limits)
    except _Refused as refusal:
        result = ParsedRoster(errors=[RowError(0, "", refusal.message)])
    except (DefusedXmlException, *_READ_ERRORS) as error:
        message = UNSAFE_XML if _caused_by(error, DefusedXmlException) else NOT_XLSX
        result = ParsedRoster(errors=[RowError(0, "", str(message))])
    if not result.rows and not result.errors:
        result.errors.append(RowError(0, "", NO_ROWS))
    return result


def _parse(
    content: bytes,
    result: ParsedRoster,
    allowed_managers: set[int] | None,
    progress: Callable[..., None] | None,
    limits: RosterLimits,
) -> None:
    started = time.monotonic()
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheet = workbook.active
        if sheet is None or not hasattr(sheet, "iter_rows"):
            raise _Refused(NO_SHEET)
        declared = sheet.max_row if isinstance(sheet.max_row, int) else None
        if declared is not None and declared > limits.rows:
            raise _Refused(TOO_MANY_ROWS.format(limit=limits.rows))
        if isinstance(sheet.max_column, int) and sheet.max_column > limits.columns:
            raise _Refused(TOO_MANY_COLUMNS.format(limit=limits.columns))
        # One row more than allowed is read, to tell "at the limit" from "over it"; columns
        # past the limit are never materialised.
        rows = sheet.iter_rows(max_row=limits.rows + 1, max_col=limits.columns, values_only=True)
        header_cells = next(rows, ())
        if len(header_cells) >= limits.columns and header_cells[-1] is not None:
            raise _Refused(TOO_MANY_COLUMNS.format(limit=limits.columns))
        header = [_text(v) for v in header_cells]
        _check_rows(header, rows, result, allowed_managers, progress, limits, started, declared)
    finally:
        workbook.close()


def _check_rows(
    header: list[str],
    rows: Any,
    result: ParsedRoster,
    allowed_managers: set[int] | None,
    progress: Callable[..., None] | None,
    limits: RosterLimits,
    started: float,
    declared: int | None,
) -> None:
    positions: dict[str, int] = {}
    for column in COLUMNS:
        if column.header in header:
            positions[column.attr] = header.index(column.header)
        elif column.required:
            result.errors.append(
                RowError(1, column.header, MISSING_HEADER.format(column=column.header))
            )
    if result.errors:
        return

    orgs = _OrgIndex()
    existing = {
        p.id_number: p.managed_by_id for p in Person.objects.only("id_number", "managed_by_id")
    }
    seen_numbers: dict[str, int] = {}
    max_year = date.today().year
    choices = join_list(Person.Role.values)
    total = max(0, declared - 1) if declared else None
    checked = 0
    for row_number, raw in enumerate(rows, start=2):
        if row_number > limits.rows:
            raise _Refused(TOO_MANY_ROWS.format(limit=limits.rows))
        checked += 1
        if checked % CHECK_EVERY_ROWS == 0:
            if time.monotonic() - started > limits.seconds:
                raise _Refused(TOO_SLOW.format(seconds=limits.seconds))
            if progress is not None:
                progress(checked, total, PROGRESS.format(done=checked))
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
    if time.monotonic() - started > limits.seconds:
        raise _Refused(TOO_SLOW.format(seconds=limits.seconds))
    if progress is not None:
        progress(checked, checked, PROGRESS.format(done=checked))


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
