"""The case list as an .xlsx workbook: the filtered list, at most EXPORT_LIMIT rows.

One row per case (number, summary, people concerned, state, date received, handling organ,
the decisions' document numbers and measures), read in a bounded number of queries. When the
filters match more cases than the limit, the sheet says so in its last line.
"""

from __future__ import annotations

import io
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from accountability.cases.models import Case, CaseParty
from accountability.common.i18n import join_list

#: At most this many cases in one export (a larger list is narrowed with the filters first).
EXPORT_LIMIT = 10_000
CHUNK = 2_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

WIDTHS = {"A": 22, "B": 48, "C": 20, "D": 14, "E": 12, "F": 24, "G": 28, "H": 36}


def headers() -> list[str]:
    return [
        gettext("案件编号"),
        gettext("问题线索摘要"),
        gettext("被调查人"),
        gettext("状态"),
        gettext("收到日期"),
        gettext("办理机关"),
        gettext("发文字号"),
        gettext("追究措施"),
    ]


def _with_people(cases: QuerySet[Case]) -> QuerySet[Case]:
    parties = CaseParty.objects.select_related(
        "person", "decision", "decision__current_version"
    ).order_by("id")
    return cases.prefetch_related(Prefetch("parties", queryset=parties))


def _row(case: Case) -> list[Any]:
    people, numbers, measures = [], [], []
    for party in case.parties.all():
        people.append(party.person.name)
        try:
            decision = party.decision
        except ObjectDoesNotExist:
            continue
        if decision.document_number:
            numbers.append(decision.document_number)
        if decision.measures:
            measures.append(f"{party.person.name}：{join_list(decision.measures)}")
    return [
        case.number,
        case.summary,
        join_list(people),
        str(case.get_state_display()),
        case.received_on,
        case.handling_organ.name,
        join_list(numbers),
        "；".join(measures),
    ]


def workbook_bytes(cases: QuerySet[Case], *, total: int) -> tuple[bytes, int]:
    """The workbook of ``cases`` (at most EXPORT_LIMIT of them) and how many rows it holds."""
    book = Workbook()
    sheet = book.active
    sheet.title = gettext("案件清单")
    sheet.append(headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="center")
    rows = 0
    # In chunks: two queries per CHUNK cases, so that no IN list grows past a database's limit.
    for start in range(0, min(total, EXPORT_LIMIT), CHUNK):
        chunk = list(_with_people(cases[start : min(start + CHUNK, EXPORT_LIMIT)]))
        for case in chunk:
            sheet.append(_row(case))
            sheet.cell(row=sheet.max_row, column=5).number_format = "yyyy-mm-dd"
        rows += len(chunk)
        if len(chunk) < CHUNK:
            break
    if total > rows:
        sheet.append([])
        sheet.append(
            [
                gettext(
                    "符合条件的案件共{total}件，仅导出前{limit}件；请缩小查询条件后分批导出。"
                ).format(total=total, limit=EXPORT_LIMIT)
            ]
        )
    for column, width in WIDTHS.items():
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), rows


def filename() -> str:
    return gettext("案件清单.xlsx")
