"""The official holiday calendar and the counting of days (第十六条).

The State Council publishes each year's holidays and make-up working days late
in the year before. The shipped years come from the `chinesecalendar` package
(2004–2026 in release 1.11.0); an administrator adds a later year as data (a
YearSchedule, e.g. from a JSON file) without upgrading anything. A date in a
year with no schedule is still counted, by weekends alone, and the result says
so: never a silent guess.

Each calendar compiles, once, a table of the first working day on or after
every day from 1 January of its first year to 31 December of TABLE_LAST_YEAR
(or later, to cover its last scheduled year): the last day of a period is then
one lookup (`last_day`). `deadline` counts the same days one by one and says
which were skipped, for the explanation.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from rulebook.errors import RulebookError

_HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}
PACKAGE_SOURCE = "chinesecalendar 1.11.0(国务院办公厅历年部分节假日安排的通知)"
TABLE_LAST_YEAR = 2100
_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class YearSchedule:
    """One year's official schedule: statutory holidays and make-up working days."""

    year: int
    holidays: frozenset[date]
    workdays: frozenset[date] = frozenset()
    source: str = ""
    names: Mapping[date, str] = field(default_factory=dict)

    def problems(self) -> list[str]:
        found = [
            f"{d.isoformat()} 不在 {self.year} 年内"
            for d in sorted(self.holidays | self.workdays)
            if d.year != self.year
        ]
        found += [f"{d.isoformat()} 既是假日又是调休上班日" for d in self.holidays & self.workdays]
        return found


@dataclass(frozen=True, slots=True)
class Deadline:
    last_day: date
    nominal_day: date
    skipped: tuple[tuple[date, str], ...]
    missing_years: tuple[int, ...]


class HolidayCalendar:
    """Working days by the official schedules; weekends rest unless made working days."""

    def __init__(self, schedules: Iterable[YearSchedule], *, weekends_are_rest_days: bool = True):
        by_year: dict[int, YearSchedule] = {}
        for schedule in schedules:
            by_year[schedule.year] = schedule
        self.schedules: Mapping[int, YearSchedule] = dict(sorted(by_year.items()))
        self.weekends_are_rest_days = weekends_are_rest_days
        self._holidays: frozenset[date] = frozenset().union(
            *(s.holidays for s in self.schedules.values())
        )
        self._workdays: frozenset[date] = frozenset().union(
            *(s.workdays for s in self.schedules.values())
        )
        self._names: dict[date, str] = {}
        for s in self.schedules.values():
            self._names.update(s.names)
        self._base, self._next_working = self._compile()

    def _compile(self) -> tuple[int, tuple[date, ...]]:
        """The first working day on or after each day of the table's range, by ordinal."""
        first_year = min(self.schedules, default=2000)
        last_year = max(TABLE_LAST_YEAR, *self.schedules) if self.schedules else TABLE_LAST_YEAR
        first, last = date(first_year, 1, 1), date(last_year, 12, 31)
        day = last
        while not self.is_working_day(day):  # the table's last entry is a working day
            day += _ONE_DAY
        following = day
        table: list[date] = []
        day = last
        while day >= first:
            if self.is_working_day(day):
                following = day
            table.append(following)
            day -= _ONE_DAY
        table.reverse()
        return first.toordinal(), tuple(table)

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(self.schedules)

    def covers(self, year: int) -> bool:
        return year in self.schedules

    def is_working_day(self, day: date) -> bool:
        if day in self._workdays:
            return True
        if day in self._holidays:
            return False
        return not (self.weekends_are_rest_days and day.weekday() >= 5)

    def rest_reason(self, day: date) -> str:
        if day in self._holidays:
            return self._names.get(day, "法定节假日")
        return "休息日"

    def next_working_day(self, day: date) -> date:
        index = day.toordinal() - self._base
        if 0 <= index < len(self._next_working):
            return self._next_working[index]
        while not self.is_working_day(day):
            day += _ONE_DAY
        return day

    def last_day(self, start: date, days: int) -> date:
        """The last day of a period of `days` days counted from the day after `start`."""
        index = start.toordinal() + days - self._base
        if 0 <= index < len(self._next_working):
            return self._next_working[index]
        return self.next_working_day(start + timedelta(days=days))

    def deadline(self, start: date, days: int) -> Deadline:
        """Last day of a period of `days` days counted from the day after `start`, with the
        rest days it skipped and the years it crossed that have no schedule."""
        nominal = start + timedelta(days=days)
        day = nominal
        skipped: list[tuple[date, str]] = []
        while not self.is_working_day(day):
            skipped.append((day, self.rest_reason(day)))
            day += timedelta(days=1)
        years = range(nominal.year, day.year + 1)
        missing = tuple(y for y in years if y not in self.schedules)
        return Deadline(day, nominal, tuple(skipped), missing)

    def with_schedules(self, extra: Iterable[YearSchedule]) -> HolidayCalendar:
        return HolidayCalendar(
            [*self.schedules.values(), *extra],
            weekends_are_rest_days=self.weekends_are_rest_days,
        )


def package_schedules() -> tuple[YearSchedule, ...]:
    """The years shipped by the chinesecalendar package."""
    from chinese_calendar import constants  # type: ignore[import-untyped]

    holidays: dict[int, dict[date, str]] = {}
    workdays: dict[int, dict[date, str]] = {}
    for day, name in constants.holidays.items():
        holidays.setdefault(day.year, {})[day] = _HOLIDAY_NAMES_ZH.get(str(name), str(name))
    for day, name in constants.workdays.items():
        workdays.setdefault(day.year, {})[day] = _HOLIDAY_NAMES_ZH.get(str(name), str(name))
    return tuple(
        YearSchedule(
            year=year,
            holidays=frozenset(holidays[year]),
            workdays=frozenset(workdays.get(year, {})),
            source=PACKAGE_SOURCE,
            names={**holidays[year], **workdays.get(year, {})},
        )
        for year in sorted(holidays)
    )


def schedule_from_dict(data: Mapping[str, Any]) -> YearSchedule:
    """A year's schedule from its JSON form.

    {"year": 2027, "source": "国办发明电〔2026〕…号",
     "holidays": [{"date": "2027-01-01", "name": "元旦"}, …],
     "workdays": [{"date": "2027-02-07", "name": "春节"}, …]}
    """
    try:
        year = int(data["year"])
    except (KeyError, TypeError, ValueError) as exc:
        raise RulebookError("year", "节假日安排须写明年份(year)") from exc
    names: dict[date, str] = {}

    def days(key: str) -> frozenset[date]:
        found = set()
        for entry in data.get(key, []):
            try:
                day = date.fromisoformat(entry["date"])
            except (KeyError, TypeError, ValueError) as exc:
                raise RulebookError(key, f"{year}年节假日安排中有无效日期:{entry!r}") from exc
            found.add(day)
            names[day] = str(entry.get("name", ""))
        return frozenset(found)

    schedule = YearSchedule(
        year=year,
        holidays=days("holidays"),
        workdays=days("workdays"),
        source=str(data.get("source", "")),
        names=names,
    )
    problems = schedule.problems()
    if problems:
        raise RulebookError("holidays", f"{year}年节假日安排有误:" + ";".join(problems))
    return schedule


def schedules_from_path(path: Path) -> tuple[YearSchedule, ...]:
    """Schedules from a JSON file (one year or a list) or a folder of such files."""
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    found: list[YearSchedule] = []
    for file in files:
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise RulebookError("holidays", f"无法读取节假日安排文件 {file}:{exc}") from exc
        entries = data if isinstance(data, list) else [data]
        found.extend(schedule_from_dict(entry) for entry in entries)
    return tuple(found)
