"""The list of names (an .xlsx upload or lines typed on the page) and the reply as .xlsx.

An uploaded list is untrusted and is read in the worker (jobs.py) within the limits of the
roster import (people/roster.py: the file's size, its size once decompressed, checked from the
zip directory before openpyxl opens anything, the columns and the time; defusedxml refuses a
DTD), and with a row limit of its own (setting VETTING_MAX_ROWS, default 10,000). The sheet has
a header row naming the columns 姓名 (required), 工号 and 单位 (or 所在单位), in any order.

Typed lines: one person a line, ``姓名,工号,单位`` (comma, Chinese comma, tab or spaces; the
工号 and the unit may be left out).
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import openpyxl
from defusedxml import DefusedXmlException
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font

from accountability.people.roster import (
    _READ_ERRORS,
    NO_SHEET,
    NOT_XLSX,
    TOO_MANY_COLUMNS,
    UNSAFE_XML,
    RosterLimits,
    _caused_by,
    _check_archive,
    _Refused,
    _text,
    roster_limits,
)
from accountability.vetting.answers import ListRow

DEFAULT_MAX_ROWS = 10_000
CHECK_EVERY_ROWS = 500

NAME, NUMBER, UNIT = "姓名", "工号", "单位"
HEADER_ALIASES = {NAME: NAME, NUMBER: NUMBER, "身份证号": NUMBER, UNIT: UNIT, "所在单位": UNIT}

TOO_MANY_ROWS = _("名单不能超过 {limit} 人。")
NO_NAME_COLUMN = _("名单缺少“姓名”列。")
NO_ROWS = _("名单中没有人员。")
TOO_SLOW = _("名单处理时间超过 {seconds} 秒的上限，请拆分后分批提交。")
LINE_WITHOUT_NAME = _("第 {row} 行没有姓名。")
CHECKED = _("已读取 {done} 行")


@dataclass
class ParsedList:
    rows: list[ListRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def vetting_limits() -> RosterLimits:
    """The roster's limits, with the list's own row limit (setting VETTING_MAX_ROWS)."""
    rows = int(getattr(settings, "VETTING_MAX_ROWS", DEFAULT_MAX_ROWS))
    return replace(roster_limits(), rows=rows + 1)


def _cell(value: Any, limit: int) -> str:
    return _text(value).replace("\x00", "")[:limit]


def parse_lines(text: str, *, limit: int | None = None) -> ParsedList:
    """The typed list: one person a line."""
    limit = limit or int(getattr(settings, "VETTING_MAX_ROWS", DEFAULT_MAX_ROWS))
    result = ParsedList()
    lines = [line.strip() for line in text.replace("\x00", "").splitlines()]
    lines = [line for line in lines if line]
    if len(lines) > limit:
        result.errors.append(str(TOO_MANY_ROWS).format(limit=limit))
        return result
    for number, line in enumerate(lines, start=1):
        # Separated by commas or tabs, an empty field keeps its place (姓名,,单位).
        separated = re.search(r"[,，\t]", line)
        parts = [p.strip() for p in re.split(r"[,，\t]" if separated else r"\s+", line)]
        if not parts[0]:
            result.errors.append(str(LINE_WITHOUT_NAME).format(row=number))
            continue
        name = parts[0][:64]
        id_number = parts[1][:32] if len(parts) > 1 else ""
        unit = parts[2][:128] if len(parts) > 2 else ""
        result.rows.append(ListRow(number, name, id_number, unit))
    if not result.rows:
        result.errors.append(str(NO_ROWS))
    return result


def parse_workbook(
    content: bytes,
    *,
    progress: Callable[..., None] | None = None,
    limits: RosterLimits | None = None,
) -> ParsedList:
    """Read the uploaded list within the limits; never raises for the file."""
    if not openpyxl.DEFUSEDXML:
        raise ImproperlyConfigured("defusedxml must be installed to read uploaded workbooks")
    limits = limits or vetting_limits()
    result = ParsedList()
    try:
        _check_archive(content, limits)
        _parse(content, result, progress, limits)
    except _Refused as refusal:
        result = ParsedList(errors=[refusal.message])
    except (DefusedXmlException, *_READ_ERRORS) as error:
        message = UNSAFE_XML if _caused_by(error, DefusedXmlException) else NOT_XLSX
        result = ParsedList(errors=[str(message)])
    if not result.rows and not result.errors:
        result.errors.append(str(NO_ROWS))
    return result


def _parse(
    content: bytes,
    result: ParsedList,
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
            raise _Refused(TOO_MANY_ROWS.format(limit=limits.rows - 1))
        if isinstance(sheet.max_column, int) and sheet.max_column > limits.columns:
            raise _Refused(TOO_MANY_COLUMNS.format(limit=limits.columns))
        rows = sheet.iter_rows(max_row=limits.rows + 1, max_col=limits.columns, values_only=True)
        header = [HEADER_ALIASES.get(_text(v), "") for v in next(rows, ())]
        if NAME not in header:
            raise _Refused(NO_NAME_COLUMN)
        at = {name: header.index(name) for name in (NAME, NUMBER, UNIT) if name in header}
        total = (declared - 1) if declared else None
        for index, values in enumerate(rows, start=1):
            if index >= limits.rows:
                raise _Refused(TOO_MANY_ROWS.format(limit=limits.rows - 1))

            def cell(name: str, limit: int, values: Sequence[Any] = values) -> str:
                position = at.get(name)
                if position is None or position >= len(values):
                    return ""
                return _cell(values[position], limit)

            name = cell(NAME, 64)
            id_number, unit = cell(NUMBER, 32), cell(UNIT, 128)
            if not name and not id_number and not unit:
                continue
            if not name:
                result.errors.append(str(LINE_WITHOUT_NAME).format(row=index + 1))
                continue
            result.rows.append(ListRow(index, name, id_number, unit))
            if index % CHECK_EVERY_ROWS == 0:
                if time.monotonic() - started > limits.seconds:
                    raise _Refused(TOO_SLOW.format(seconds=int(limits.seconds)))
                if progress is not None:
                    progress(index, total, str(CHECKED).format(done=index))
    finally:
        workbook.close()


def list_template() -> bytes:
    """An empty list with its header row, for the page's download link."""
    book = Workbook()
    sheet = book.active
    sheet.title = "名单"
    sheet.append([NAME, NUMBER, UNIT])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def reply_workbook(
    request: Any, entries: Sequence[Any], *, finding_text: Callable[..., str]
) -> bytes:
    """The reply as a workbook: each person's answer and what it rests on, then who confirmed
    and who signed."""
    book = Workbook()
    sheet = book.active
    sheet.title = gettext("意见回复")
    sheet.append([gettext("党风廉政意见回复")])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(
        [
            gettext("来函文号"),
            request.reference or "—",
            pgettext("vetting", "事项"),
            str(request.get_purpose_display()),
            gettext("拟任用或评优日期"),
            request.intended_on.isoformat(),
        ]
    )
    sheet.append([])
    headers = [
        gettext("序号"),
        gettext("姓名"),
        gettext("工号"),
        gettext("单位"),
        gettext("匹配方式"),
        gettext("意见"),
        gettext("依据"),
    ]
    sheet.append(headers)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for entry in entries:
        person = entry.person
        sheet.append(
            [
                entry.row,
                person.name if person else entry.name,
                person.id_number if person else entry.id_number,
                person.unit.name if person else entry.unit_text,
                str(entry.get_match_display()),
                str(entry.get_answer_display()),
                "\n".join(t for t in (finding_text(f) for f in entry.findings) if t),
            ]
        )
        sheet.cell(sheet.max_row, 7).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.append([])

    def who(user: Any, at: Any) -> str:
        if user is None:
            return "—"
        name = user.full_name or user.username
        return f"{name} {at:%Y-%m-%d %H:%M}" if at else name

    sheet.append([gettext("确认人"), who(request.confirmed_by, request.confirmed_at)])
    sheet.append([gettext("签发人"), who(request.signed_by, request.signed_at)])
    for column, width in zip("ABCDEFG", (8, 10, 14, 28, 14, 12, 70), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
