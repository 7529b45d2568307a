"""The statistics as an .xlsx workbook: a cover sheet, then one sheet per table.

Each table sheet holds the table's title and reference, its headers (Chinese: the view builds
the figures in the source language), its rows and total, and the sentence saying what is
counted. Figures are numbers (not text), so that the office can go on calculating with them.
"""

from __future__ import annotations

import io
import re

from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from accountability.reports.selectors import Statistics
from accountability.reports.tables import Table

# Characters Excel refuses in a sheet name; and its 31-character limit.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SHEET_MAX = 31


def sheet_name(title: str, taken: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub("", title)[:_SHEET_MAX] or "Sheet"
    name, n = base, 2
    while name in taken:
        suffix = f"({n})"
        name = base[: _SHEET_MAX - len(suffix)] + suffix
        n += 1
    taken.add(name)
    return name


def filename(stats: Statistics) -> str:
    scope = stats.scope
    return gettext("{organ}{period}统计.xlsx").format(
        organ=scope.organ.name, period=scope.period.label
    )


def _write_table(sheet, table: Table) -> None:  # type: ignore[no-untyped-def]
    bold = Font(bold=True)
    sheet.append([f"{table.title}（{table.ref}）"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(table.headers)
    for cell in sheet[2]:
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in table.rows:
        sheet.append(["\u3000" * row.level + row.label, *row.values])
    if table.total is not None:
        sheet.append([table.total.label, *table.total.values])
        for cell in sheet[sheet.max_row]:
            cell.font = bold
    for index, column in enumerate(table.columns, start=2):
        if column.decimals:
            for (cell,) in sheet.iter_rows(min_row=3, min_col=index, max_col=index):
                cell.number_format = "0." + "0" * column.decimals
    sheet.append([])
    sheet.append([table.basis])
    sheet.column_dimensions["A"].width = 48
    for index in range(2, len(table.headers) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 14
    sheet.freeze_panes = "B3"


def workbook(stats: Statistics) -> Workbook:
    book = Workbook()
    cover = book.active
    cover.title = sheet_name(gettext("说明"), set())
    scope = stats.scope
    cover.append(
        [
            gettext("{organ}{period}责任追究工作统计").format(
                organ=scope.organ.name, period=scope.period.label
            )
        ]
    )
    cover["A1"].font = Font(bold=True, size=14)
    cover.append(
        [gettext("统计期间"), scope.period.start.isoformat(), scope.period.end.isoformat()]
    )
    cover.append([gettext("数据截至"), stats.as_of.strftime("%Y-%m-%d %H:%M")])
    cover.append([gettext("期限判断日期"), scope.today.isoformat()])
    cover.append([])
    for title, text in stats.interpretations:
        cover.append([title, text])
    cover.column_dimensions["A"].width = 28
    cover.column_dimensions["B"].width = 90
    taken = {cover.title}
    for table in stats.tables:
        _write_table(book.create_sheet(sheet_name(table.title, taken)), table)
    return book


def workbook_bytes(stats: Statistics) -> bytes:
    buffer = io.BytesIO()
    workbook(stats).save(buffer)
    return buffer.getvalue()
