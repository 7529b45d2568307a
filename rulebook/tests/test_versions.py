"""第十九条 and 从旧兼从轻, with a hypothetical revision in force from 2027-01-01.

The revision (tests/data/versions/zx-2027-hypothetical) drops 责令辞职、降职、免职
from the 较重 tier, adds 通报 to the 较轻 tier and gives 30 days to appeal:
lighter for a 较重 case, heavier for a 较轻 one. Adding it took data, no code:
it inherits from zx-2020-10-30 and states only those changes.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import rulebook
from rulebook.check import check_rulebook
from rulebook.tests.conftest import HYPOTHETICAL
from rulebook.versions import shipped_version_dirs

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


# --- a version that inherits states only what it changes -------------------------------------


def test_the_revision_states_only_what_it_changes(revised_book: rulebook.Rulebook) -> None:
    """Its folder holds version.toml and measures.toml; the rest is the parent's, merged."""
    shipped, revised = revised_book.versions
    assert sorted(p.name for p in HYPOTHETICAL.iterdir()) == ["measures.toml", "version.toml"]
    assert (revised.inherits, revised.stated) == ("zx-2020-10-30", ("version", "measures"))
    assert revised.tiers["较重"].measures == ("通报", "诫勉", "停职检查", "调整职务")
    assert revised.tiers["较重"].rank == shipped.tiers["较重"].rank  # inherited field
    assert revised.appeal_days == 30 and revised.appeal_to == shipped.appeal_to
    assert revised.title == shipped.title
    assert revised.periods == shipped.periods
    assert revised.kinds == shipped.kinds
    assert revised.interpretations == shipped.interpretations
    assert revised.role_info == shipped.role_info


def _child(tmp_path: Path, version: str, **tables: str) -> Path:
    folder = tmp_path / "child"
    folder.mkdir()
    head = 'inherits = "zx-2020-10-30"\nid = "child"\neffective_from = 2028-01-01\n'
    (folder / "version.toml").write_text(head + version, encoding="utf-8")
    for name, text in tables.items():
        (folder / f"{name}.toml").write_text(text, encoding="utf-8")
    return folder


def test_an_entry_can_be_removed_by_name(tmp_path: Path) -> None:
    """`removed = true` drops the parent's entry of that name (a period by measure and kind)."""
    removal = '[[period]]\nmeasure = "通报"\nkind = "no_award"\nremoved = true\n'
    folder = _child(tmp_path, 'source = "测试"\n', restrictions=removal)
    book = rulebook.load(version_dirs=[*shipped_version_dirs(), folder])
    assert [p.kind for p in book.versions[1].periods["通报"]] == ["no_promotion"]
    result = rulebook.assess_dict(
        {
            "role": "部门负责人",
            "circumstance": 4,
            "severity": "较重",
            "decided_on": "2028-03-10",
            "imposed": ["通报"],
        },
        rulebook=book,
    )
    assert (result["rulebook"], result["restrictions"]) == ("child", [])


def test_removing_an_entry_the_parent_lacks_is_an_error(tmp_path: Path) -> None:
    removal = '[[period]]\nmeasure = "通报"\nkind = "no_leading_post"\nremoved = true\n'
    folder = _child(tmp_path, "", restrictions=removal)
    with pytest.raises(rulebook.RulebookError) as caught:
        rulebook.load(version_dirs=[*shipped_version_dirs(), folder])
    assert "要删除的条目不存在" in caught.value.message


def test_a_parent_that_is_not_loaded_is_an_error(tmp_path: Path) -> None:
    folder = _child(tmp_path, "")
    with pytest.raises(rulebook.RulebookError) as caught:
        rulebook.load(version_dirs=[folder])
    assert "继承的版本“zx-2020-10-30”未载入" in caught.value.message


def test_a_new_entry_must_be_complete(tmp_path: Path) -> None:
    """A tier the parent lacks gets no fields from it: without a rank it is refused."""
    tier = '[[tier]]\nname = "特别严重"\nref = "第十条"\nmeasures = ["开除"]\n'
    folder = _child(tmp_path, "", measures=tier)
    with pytest.raises(rulebook.RulebookError) as caught:
        rulebook.load(version_dirs=[*shipped_version_dirs(), folder])
    assert "数据不完整" in caught.value.message


def test_the_check_proves_the_merged_tables(tmp_path: Path) -> None:
    """A change citing an article the regulation lacks is found in the merged tables."""
    change = '[[measure]]\nname = "通报"\nref = "第二十条"\n'
    folder = _child(tmp_path, "", measures=change)
    book = rulebook.load(version_dirs=[*shipped_version_dirs(), folder])
    reports = check_rulebook(book)
    assert reports[1].problems == []
    assert reports[2].problems == ["measure 通报: 引用“第二十条”不是本办法的条款"]
