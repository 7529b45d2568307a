"""The scenario files: one parametrised test a scenario, no database."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

import rulebook

SCENARIOS = Path(__file__).parent / "scenarios"


def _load() -> list[Any]:
    found = []
    for path in sorted(SCENARIOS.glob("*.toml")):
        with path.open("rb") as fh:
            for scenario in tomllib.load(fh)["scenario"]:
                found.append(pytest.param(scenario, id=f"{path.stem}: {scenario['name']}"))
    return found


def _check_restrictions(
    got: list[dict[str, Any]], wanted: list[dict[str, Any]], decided_on: str
) -> None:
    """Every restriction, in order; an entry without a start starts on the decision day."""
    assert [r["kind"] for r in got] == [w["kind"] for w in wanted], got
    for restriction, expected in zip(got, wanted, strict=True):
        expected = {"start": decided_on, **expected}
        shown = {key: restriction[key] for key in expected}
        assert shown == expected, restriction


def _check(result: dict[str, Any], expect: dict[str, Any], decided_on: str) -> None:
    for key, wanted in expect.items():
        if key == "citations_include":
            assert set(wanted) <= set(result["citations"]), result["citations"]
        elif key == "interpretations_include":
            keys = [i["key"] for i in result["interpretations"]]
            assert set(wanted) <= set(keys), keys
        elif key == "explanation_contains":
            text = "".join(result["explanation"])
            for fragment in wanted:
                assert fragment in text, text
        elif key == "warnings_contain":
            text = "".join(result["warnings"])
            for fragment in wanted:
                assert fragment in text, result["warnings"]
        elif key == "restrictions":
            _check_restrictions(result["restrictions"], wanted, decided_on)
        elif key == "appeal_deadline":
            assert result["appeal_deadline"] == (wanted or None)
        else:
            assert result[key] == wanted, key


@pytest.mark.parametrize("scenario", _load())
def test_scenario(scenario: dict[str, Any], book: rulebook.Rulebook) -> None:
    expect = dict(scenario["expect"])
    field = expect.pop("error_field", None)
    fragment = expect.pop("error_contains", None)
    if field is not None:
        with pytest.raises(rulebook.RulebookError) as caught:
            rulebook.assess_dict(scenario["input"], rulebook=book)
        assert caught.value.field == field, caught.value.message
        if fragment:
            assert fragment in caught.value.message, caught.value.message
        return
    result = rulebook.assess_dict(scenario["input"], rulebook=book)
    _check(result, expect, scenario["input"].get("decided_on", ""))


def test_every_article_with_rules_has_scenarios() -> None:
    """Each rule-bearing article is exercised by at least one scenario."""
    text = "".join(p.read_text(encoding="utf-8") for p in SCENARIOS.glob("*.toml"))
    for ref in ("第八条", "第十条", "第十四条", "第十五条", "第十六条", "第十七条", "第十九条"):
        assert ref in text, ref
