"""The static check finds incomplete or uncited tables."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import rulebook
from rulebook.check import check_rulebook, check_tables
from rulebook.versions import Tier, load_version, shipped_version_dirs


def test_the_shipped_and_hypothetical_versions_pass(revised_book: rulebook.Rulebook) -> None:
    reports = check_rulebook(revised_book)
    assert [r.problems for r in reports] == [[], [], []]
    combinations = 7 * 9 * 4 * 2 * 8 * 4 * 2
    # plus each measure of each tier imposed alone, on two days
    assert reports[1].combinations == combinations + 2 * (4 + 7 + 12 + 13)
    assert reports[2].combinations == combinations + 2 * (5 + 4 + 12 + 13)


def test_an_empty_tier_is_found() -> None:
    version = load_version(shipped_version_dirs()[0])
    tiers = dict(version.tiers)
    tiers["较轻"] = Tier("较轻", 1, "第十条", ())
    broken = dataclasses.replace(version, tiers=tiers)
    assert "tier 较轻: 措施为空" in check_tables(broken)


def test_an_uncited_value_is_found(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    shutil.copytree(shipped_version_dirs()[0], folder)
    path = folder / "measures.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            'name = "通报"\nkind = "问责处理"\nrank = 4\nref = "第十条"',
            'name = "通报"\nkind = "问责处理"\nrank = 4\nref = "第二十条"',
        ),
        encoding="utf-8",
    )
    problems = check_tables(load_version(folder))
    assert "measure 通报: 引用“第二十条”不是本办法的条款" in problems


def test_versions_with_the_same_date_are_found() -> None:
    version = load_version(shipped_version_dirs()[0])
    twin = dataclasses.replace(version, id="twin")
    book = rulebook.Rulebook([version, twin], rulebook.load().calendar)
    assert "规则版本施行日期须严格递增" in check_rulebook(book)[0].problems[0]


def test_a_setting_without_words_is_found() -> None:
    version = load_version(shipped_version_dirs()[0])
    window = version.interpretations["repeat_window"]
    unlabelled = dataclasses.replace(window, value_labels={"months": "回溯的月数"})
    broken = dataclasses.replace(
        version, interpretations={**version.interpretations, "repeat_window": unlabelled}
    )
    assert (
        "interpretation repeat_window: 设置值“include_start”缺少文字说明(value_labels)"
        in check_tables(broken)
    )
    assert not [p for p in check_tables(version) if "value_labels" in p]


def test_settings_read_as_words() -> None:
    window = load_version(shipped_version_dirs()[0]).interpretations["repeat_window"]
    assert window.settings() == [("回溯的月数", "12"), ("回溯至的当日计入", "是")]
