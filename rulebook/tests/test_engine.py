"""assess() with and without its explanation; assess_many() over a batch."""

from __future__ import annotations

from datetime import date

import rulebook
from rulebook.model import Facts

CASE = Facts(
    role="部门负责人",
    circumstance=4,
    severity="较重",
    decided_on=date(2026, 11, 10),
    received_on=date(2026, 11, 12),
    imposed=("免职",),
)


def test_without_explain_nothing_is_told_until_asked(book: rulebook.Rulebook) -> None:
    """explain=False returns the outcome; the sentences are rendered on first access."""
    fast = rulebook.assess(CASE, rulebook=book, explain=False)
    assert fast.trace._told is None  # type: ignore[attr-defined]
    assert fast.appeal_deadline == date(2026, 11, 27)
    assert [r.kind for r in fast.restrictions] == ["no_leading_post", "no_higher_post", "no_grade"]
    assert fast.explanation[0].startswith("依第十九条")
    assert fast.trace._told is not None  # type: ignore[attr-defined]
    assert fast.to_dict() == rulebook.assess(CASE, rulebook=book).to_dict()


def test_assess_many_gives_each_result_of_assess(book: rulebook.Rulebook) -> None:
    batch = [CASE, CASE._replace(severity="较轻", imposed=()), CASE._replace(lighter=(1,))]
    many = list(rulebook.assess_many(batch, rulebook=book))
    assert [r.outcome() for r in many] == [
        rulebook.assess(f, rulebook=book).outcome() for f in batch
    ]
    assert many[2].adjustments == ("从轻或者减轻",)


def test_the_adjustments_and_the_appeal_form_come_from_the_tables(
    book: rulebook.Rulebook,
) -> None:
    """factors.toml's `adjustment` and version.toml's appeal `form` are what the result says."""
    version = book.versions[0]
    result = rulebook.assess(CASE._replace(lighter=(1,), heavier=(2,)), rulebook=book)
    assert result.adjustments == (version.lighter_adjustment, version.heavier_adjustment)
    assert f"提出{version.appeal_form}申诉" in "".join(result.explanation)


def test_violating_discipline_cites_the_discipline_rule(book: rulebook.Rulebook) -> None:
    """measures.toml's discipline_ref is cited when 构成违纪 lifts the tier."""
    version = book.versions[0]
    result = rulebook.assess(CASE._replace(violates_discipline=True, imposed=()), rulebook=book)
    assert result.tier == "严重"
    assert version.discipline_ref in result.citations
