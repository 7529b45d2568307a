"""Reads of the assessment app: the holiday years on record and the regulation's layout."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext

from accountability.assessment.holidays import package_years
from accountability.assessment.models import HolidayDay, HolidayYear
from rulebook import regulation


@dataclass(frozen=True)
class YearRow:
    year: int
    origin: str  # "package" | "database"
    source: str
    holidays: int
    workdays: int
    entered_by: str = ""
    entered_at: Any = None


def holiday_years_list(*, calendar: Any) -> list[YearRow]:
    """Every year the calendar covers: the package's and those entered in the database."""
    rows: dict[int, YearRow] = {}
    for year, schedule in calendar.schedules.items():
        rows[year] = YearRow(
            year=year,
            origin="package",
            source=schedule.source,
            holidays=len(schedule.holidays),
            workdays=len(schedule.workdays),
        )
    entered = HolidayYear.objects.select_related("entered_by").order_by("year")
    for entry in entered:
        days = list(entry.days.values_list("kind", flat=True))
        by = entry.entered_by
        rows[entry.year] = YearRow(
            year=entry.year,
            origin="database",
            source=entry.source,
            holidays=sum(1 for k in days if k == HolidayDay.Kind.HOLIDAY),
            workdays=sum(1 for k in days if k == HolidayDay.Kind.WORKDAY),
            entered_by=(getattr(by, "full_name", "") or by.get_username())
            if by
            else gettext("命令行导入"),
            entered_at=entry.entered_at,
        )
    return [rows[y] for y in sorted(rows, reverse=True)]


def holiday_year_days(*, calendar: Any, year: int) -> list[dict[str, Any]] | None:
    """The days of one year's schedule (None when the calendar does not cover it)."""
    schedule = calendar.schedules.get(year)
    if schedule is None:
        return None
    names = dict(schedule.names)
    days = [{"date": d, "kind": "holiday", "name": names.get(d, "")} for d in schedule.holidays]
    days += [{"date": d, "kind": "workday", "name": names.get(d, "")} for d in schedule.workdays]
    return sorted(days, key=lambda d: d["date"])


def is_package_year(year: int) -> bool:
    return year in package_years()


def regulation_blocks() -> list[dict[str, Any]]:
    """Articles as blocks for the page: paragraphs and runs of items, each item with its anchor."""
    found = []
    for article in regulation.ARTICLES:
        items = {f"({regulation.chinese_number(i.number)})": i for i in article.items}
        blocks: list[dict[str, Any]] = []
        for line in article.text.splitlines():
            item = next((i for prefix, i in items.items() if line.startswith(prefix)), None)
            if item is not None:
                entry = {
                    "label": f"({regulation.chinese_number(item.number)})",
                    "ref": item.ref,
                    "anchor": regulation.anchor(item.ref),
                    "text": item.text,
                }
                if blocks and blocks[-1]["kind"] == "items":
                    blocks[-1]["items"].append(entry)
                else:
                    blocks.append({"kind": "items", "items": [entry]})
            else:
                blocks.append({"kind": "p", "text": line})
        found.append(
            {
                "number": article.number,
                "ref": article.ref,
                "anchor": regulation.anchor(article.ref),
                "blocks": blocks,
            }
        )
    return found
