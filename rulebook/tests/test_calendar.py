"""The holiday calendar: shipped years, a year added as data, a missing year warned."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

import rulebook
from rulebook.calendar import YearSchedule, schedule_from_dict, schedules_from_path

# A test schedule for 2027, NOT the official one (not published when this was
# written): enough to show that a year added as data is used.
TEST_2027 = {
    "year": 2027,
    "source": "测试数据",
    "holidays": [
        {"date": "2027-01-01", "name": "元旦"},
        {"date": "2027-01-02", "name": "元旦"},
        {"date": "2027-01-03", "name": "元旦"},
    ],
    "workdays": [],
}
CASE = {
    "role": "具体承办人",
    "circumstance": 3,
    "severity": "较轻",
    "decided_on": "2026-12-15",
    "received_on": "2026-12-17",
}


def test_shipped_years_run_from_2004_to_2026(book: rulebook.Rulebook) -> None:
    assert book.calendar.years[0] == 2004
    assert book.calendar.covers(2026)
    assert not book.calendar.covers(2027)


def test_holiday_names_are_chinese(book: rulebook.Rulebook) -> None:
    assert book.calendar.rest_reason(date(2026, 10, 1)) == "国庆节"
    assert book.calendar.rest_reason(date(2026, 2, 17)) == "春节"


def test_make_up_working_days_are_working_days(book: rulebook.Rulebook) -> None:
    assert book.calendar.is_working_day(date(2026, 9, 20))  # a Sunday
    assert not book.calendar.is_working_day(date(2026, 10, 5))  # a Monday in the holiday


def test_without_2027_the_deadline_is_counted_by_weekends_with_a_warning() -> None:
    result = rulebook.assess_dict(CASE)
    assert result["appeal_deadline"] == "2027-01-01"
    assert result["warnings"] == [
        "2027年的法定节假日安排尚未录入,申诉期限仅按周六、周日推算;"
        "请在“节假日安排”中录入2027年安排后重新计算。"
    ]


def test_a_year_added_as_data_is_used_without_warning() -> None:
    book = rulebook.load(extra_schedules=[schedule_from_dict(TEST_2027)])
    result = rulebook.assess_dict(CASE, rulebook=book)
    assert result["appeal_deadline"] == "2027-01-04"
    assert result["warnings"] == []
    assert "元旦" in "".join(result["explanation"])


def test_schedules_load_from_a_folder(tmp_path: Path) -> None:
    (tmp_path / "2027.json").write_text(json.dumps(TEST_2027), encoding="utf-8")
    (found,) = schedules_from_path(tmp_path)
    assert found.year == 2027
    assert date(2027, 1, 2) in found.holidays


def test_a_date_outside_its_year_is_refused() -> None:
    bad = {**TEST_2027, "holidays": [{"date": "2028-01-01", "name": "元旦"}]}
    with pytest.raises(rulebook.RulebookError) as caught:
        schedule_from_dict(bad)
    assert "2028-01-01 不在 2027 年内" in caught.value.message


def test_a_day_both_holiday_and_workday_is_refused() -> None:
    schedule = YearSchedule(2027, frozenset({date(2027, 1, 1)}), frozenset({date(2027, 1, 1)}))
    assert schedule.problems() == ["2027-01-01 既是假日又是调休上班日"]


def test_an_invalid_date_is_refused() -> None:
    with pytest.raises(rulebook.RulebookError) as caught:
        schedule_from_dict({**TEST_2027, "workdays": [{"date": "2027-13-01"}]})
    assert caught.value.field == "workdays"
