"""Holiday schedules from the database, for the rulebook's period counting.

`extra_schedules()` turns the years an administrator entered (HolidayYear /
HolidayDay) into `rulebook.calendar.YearSchedule`s;
`accountability.assessment.current.current_rulebook()` loads the rulebook with
them, so that an appeal deadline in such a year is counted with its holidays
and carries no "schedule missing" warning.

`parse_schedule_text()` reads a year's schedule as pasted from the State
Council notice, one date (or range) a line:

    2027-01-01 元旦 休
    2027-02-06 至 2027-02-12 春节 休
    2027-02-14 班

Every line that cannot be read is reported with its number; nothing is saved
unless all lines are good.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from django.utils.translation import gettext_lazy as _

from accountability.assessment.models import HolidayDay, HolidayYear
from accountability.common.errors import DomainError
from rulebook.calendar import YearSchedule

HOLIDAY = HolidayDay.Kind.HOLIDAY
WORKDAY = HolidayDay.Kind.WORKDAY

MAX_RANGE_DAYS = 31
FIRST_YEAR = 2004
LAST_YEAR = 2100
# Limits of a pasted or imported schedule: a year's notice has about forty lines of a few
# dozen characters; these leave ample room and keep a hostile paste cheap to refuse.
#: Characters of the pasted text.
MAX_TEXT_CHARS = 20_000
#: Lines of the pasted text (a year has at most 366 days).
MAX_LINES = 400
#: Characters of one line.
MAX_LINE_CHARS = 200
#: Errors listed for one paste; the rest are counted.
MAX_REPORTED_ERRORS = 30
#: Bytes of one JSON file for import_holidays, and JSON files read from one folder.
MAX_FILE_BYTES = 1 << 20
MAX_FILES = 200

LINE_BAD_FORMAT = _(
    "第{line}行：无法识别“{text}”，应写作“日期 [节日名称] 休/班”，如“2027-01-01 元旦 休”。"
)
LINE_BAD_DATE = _("第{line}行：“{text}”不是有效日期。")
LINE_WRONG_YEAR = _("第{line}行：{day}不在{year}年内。")
LINE_NO_KIND = _("第{line}行：须注明“休”(放假)或“班”(调休上班)。")
LINE_TWO_KINDS = _("第{line}行：“休”和“班”只能注明一个。")
LINE_DUPLICATE = _("第{line}行：{day}与第{first}行重复。")
LINE_RANGE_ORDER = _("第{line}行：起始日期{start}晚于结束日期{end}。")
LINE_RANGE_TOO_LONG = _("第{line}行：日期区间超过{limit}天，请检查。")
NO_HOLIDAYS = _("未填写任何放假日期：每行一个日期或日期区间，注明“休”或“班”。")
YEAR_OUT_OF_RANGE = _("年份应在{first}至{last}之间。")
TEXT_TOO_LONG = _("放假和调休上班日期不能超过{limit}个字符。")
TOO_MANY_LINES = _("放假和调休上班日期不能超过{limit}行。")
LINE_TOO_LONG = _("第{line}行超过{limit}个字符，请每行只写一个日期或日期区间。")
MORE_ERRORS = _("另有{count}处错误未列出。")
FILE_TOO_LARGE = _("节假日安排文件{name}超过{kb}KB的上限。")
TOO_MANY_FILES = _("文件夹中的节假日安排文件超过{limit}个的上限。")

_KIND_WORDS = {
    "休": HOLIDAY,
    "假": HOLIDAY,
    "放假": HOLIDAY,
    "休息": HOLIDAY,
    "holiday": HOLIDAY,
    "班": WORKDAY,
    "上班": WORKDAY,
    "调休上班": WORKDAY,
    "补班": WORKDAY,
    "workday": WORKDAY,
}
_DATE = r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
_LINE = re.compile(
    rf"^(?P<start>{_DATE})(?:\s*(?:至|到|~|～|—|–|--)\s*(?P<end>{_DATE}))?(?P<rest>.*)$"
)
_DATE_PARTS = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


class ScheduleTextError(DomainError):
    """A pasted schedule with lines that cannot be used; `errors` lists each one."""

    def __init__(self, errors: list[str]) -> None:
        errors = [str(error) for error in errors]
        super().__init__("；".join(errors), field="text", code="holiday_schedule_invalid")
        self.errors = errors


@dataclass(frozen=True, slots=True)
class ParsedDay:
    day: date
    kind: str
    name: str
    line: int


def _to_date(text: str) -> date | None:
    match = _DATE_PARTS.search(text)
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def parse_schedule_text(text: str, *, year: int) -> list[ParsedDay]:
    """The days of a pasted schedule for `year`; ScheduleTextError lists every bad line.

    The text is refused whole beyond MAX_TEXT_CHARS characters or MAX_LINES lines, and a
    line beyond MAX_LINE_CHARS characters is an error of its own; at most
    MAX_REPORTED_ERRORS errors are listed, the rest counted.
    """
    text = str(text or "")
    if len(text) > MAX_TEXT_CHARS:
        raise ScheduleTextError([TEXT_TOO_LONG.format(limit=MAX_TEXT_CHARS)])
    lines = text.splitlines()
    if len(lines) > MAX_LINES:
        raise ScheduleTextError([TOO_MANY_LINES.format(limit=MAX_LINES)])
    errors: list[str] = []
    days: list[ParsedDay] = []
    first_line: dict[date, int] = {}
    for number, raw in enumerate(lines, start=1):
        line = raw.replace("\u3000", " ").replace("\x00", "").strip()
        if not line or line.startswith("#"):
            continue
        if len(line) > MAX_LINE_CHARS:
            errors.append(LINE_TOO_LONG.format(line=number, limit=MAX_LINE_CHARS))
            continue
        match = _LINE.match(line)
        if not match:
            errors.append(LINE_BAD_FORMAT.format(line=number, text=line))
            continue
        start = _to_date(match.group("start"))
        end = _to_date(match.group("end")) if match.group("end") else start
        if start is None or end is None:
            bad = match.group("start") if start is None else match.group("end")
            errors.append(LINE_BAD_DATE.format(line=number, text=bad.strip()))
            continue
        words = match.group("rest").replace(",", " ").replace("，", " ").split()
        kinds = {_KIND_WORDS[w] for w in words if w in _KIND_WORDS}
        name = " ".join(w for w in words if w not in _KIND_WORDS)
        if not kinds:
            errors.append(LINE_NO_KIND.format(line=number))
            continue
        if len(kinds) > 1:
            errors.append(LINE_TWO_KINDS.format(line=number))
            continue
        kind = kinds.pop()
        if start > end:
            errors.append(LINE_RANGE_ORDER.format(line=number, start=start, end=end))
            continue
        if (end - start).days >= MAX_RANGE_DAYS:
            errors.append(LINE_RANGE_TOO_LONG.format(line=number, limit=MAX_RANGE_DAYS))
            continue
        day = start
        while day <= end:
            if day.year != year:
                errors.append(LINE_WRONG_YEAR.format(line=number, day=day.isoformat(), year=year))
            elif day in first_line:
                errors.append(
                    LINE_DUPLICATE.format(line=number, day=day.isoformat(), first=first_line[day])
                )
            else:
                first_line[day] = number
                days.append(ParsedDay(day, kind, name, number))
            day += timedelta(days=1)
    if not errors and not any(d.kind == HOLIDAY for d in days):
        errors.append(NO_HOLIDAYS)
    if len(errors) > MAX_REPORTED_ERRORS:
        hidden = len(errors) - MAX_REPORTED_ERRORS
        errors = [*errors[:MAX_REPORTED_ERRORS], MORE_ERRORS.format(count=hidden)]
    if errors:
        raise ScheduleTextError(errors)
    return sorted(days, key=lambda d: d.day)


def schedule_from_days(year: int, days: list[ParsedDay], source: str) -> YearSchedule:
    return YearSchedule(
        year=year,
        holidays=frozenset(d.day for d in days if d.kind == HOLIDAY),
        workdays=frozenset(d.day for d in days if d.kind == WORKDAY),
        source=source,
        names={d.day: d.name for d in days if d.name},
    )


@cache
def package_years() -> tuple[int, ...]:
    """The years the chinesecalendar package covers (through the rulebook)."""
    from rulebook.calendar import package_schedules

    return tuple(s.year for s in package_schedules())


def extra_schedules() -> tuple[YearSchedule, ...]:
    """The schedules entered in the database, one per year."""
    holidays: dict[int, set[date]] = {}
    workdays: dict[int, set[date]] = {}
    names: dict[int, dict[date, str]] = {}
    sources: dict[int, str] = {}
    for year, source in HolidayYear.objects.values_list("year", "source"):
        sources[year] = source
        holidays[year], workdays[year], names[year] = set(), set(), {}
    rows = HolidayDay.objects.values_list("schedule__year", "date", "kind", "name")
    for year, day, kind, name in rows:
        (holidays if kind == HOLIDAY else workdays)[year].add(day)
        if name:
            names[year][day] = name
    return tuple(
        YearSchedule(
            year=year,
            holidays=frozenset(holidays[year]),
            workdays=frozenset(workdays[year]),
            source=sources[year],
            names=names[year],
        )
        for year in sorted(sources)
    )
