"""第十九条 and 从旧兼从轻, with a hypothetical revision in force from 2027-01-01.

The revision (tests/data/versions/zx-2027-hypothetical) drops 责令辞职、降职、免职
from the 较重 tier, adds 通报 to the 较轻 tier and gives 30 days to appeal:
lighter for a 较重 case, heavier for a 较轻 one. Adding it took data, no code.
"""

from __future__ import annotations

from datetime import date

import pytest

import rulebook

CASE = {"role": "部门负责人", "circumstance": 4, "occurred_on": "2026-06-01"}


def test_revision_is_loaded_in_date_order(revised_book: rulebook.Rulebook) -> None:
    assert [v.id for v in revised_book.versions] == ["zx-2020-10-30", "zx-2027-hypothetical"]
    assert revised_book.version_at(date(2026, 12, 31)).id == "zx-2020-10-30"
    assert revised_book.version_at(date(2027, 1, 1)).id == "zx-2027-hypothetical"


def test_a_lighter_new_version_applies_to_older_conduct(revised_book: rulebook.Rulebook) -> None:
    result = rulebook.assess_dict(
        {**CASE, "severity": "较重", "decided_on": "2027-03-01"}, rulebook=revised_book
    )
    assert result["rulebook"] == "zx-2027-hypothetical"
    assert result["measures"] == ["通报", "诫勉", "停职检查", "调整职务"]
    assert "新版本对本案处理较轻,适用新版本" in result["explanation"][0]
    assert result["interpretations"][0]["key"] == "version_choice"


def test_a_heavier_new_version_does_not_apply_to_older_conduct(
    revised_book: rulebook.Rulebook,
) -> None:
    result = rulebook.assess_dict(
        {**CASE, "severity": "较轻", "decided_on": "2027-03-01"}, rulebook=revised_book
    )
    assert result["rulebook"] == "zx-2020-10-30"
    assert "通报" not in result["measures"]
    assert "适用行为时的版本" in result["explanation"][0]


def test_conduct_under_the_new_version_uses_it(revised_book: rulebook.Rulebook) -> None:
    result = rulebook.assess_dict(
        {
            **CASE,
            "occurred_on": "2027-01-01",
            "severity": "较轻",
            "decided_on": "2027-03-01",
            "received_on": "2027-03-02",
        },
        rulebook=revised_book,
    )
    assert result["rulebook"] == "zx-2027-hypothetical"
    assert "通报" in result["measures"]
    assert "30日内" in "".join(result["explanation"])


def test_the_version_settings_drive_the_appeal_period(revised_book: rulebook.Rulebook) -> None:
    old = rulebook.assess_dict(
        {
            **CASE,
            "occurred_on": "2026-01-05",
            "severity": "较轻",
            "decided_on": "2026-01-05",
            "received_on": "2026-01-05",
        },
        rulebook=revised_book,
    )
    assert old["appeal_deadline"] == "2026-01-20"


def test_the_shipped_book_has_one_version(book: rulebook.Rulebook) -> None:
    assert [v.id for v in book.versions] == ["zx-2020-10-30"]
    version = book.versions[0]
    assert version.effective_from == date(2020, 10, 30)
    assert version.appeal_days == 15


def test_a_day_before_the_first_version_is_an_error(book: rulebook.Rulebook) -> None:
    with pytest.raises(rulebook.RulebookError) as caught:
        book.version_at(date(2020, 10, 29))
    assert caught.value.field == "decided_on"
