"""Properties that hold for every case, checked on generated ones (hypothesis)."""

from __future__ import annotations

import itertools
import json
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

import rulebook
from rulebook import regulation
from rulebook.model import Facts
from rulebook.tests.conftest import HYPOTHETICAL
from rulebook.versions import shipped_version_dirs

BOOK = rulebook.load()
VERSION = BOOK.versions[0]
TIER_RANK = {name: tier.rank for name, tier in VERSION.tiers.items()}
DAYS = st.dates(min_value=date(2020, 10, 30), max_value=date(2026, 12, 31))


@st.composite
def facts(draw: st.DrawFn) -> Facts:
    role = draw(st.sampled_from(VERSION.roles))
    item = draw(st.sampled_from(sorted(VERSION.circumstances)))
    conditions: tuple[str, ...] = ()
    if item == 1:
        allowed = VERSION.conditions[role]
        conditions = tuple(draw(st.lists(st.sampled_from(allowed), min_size=1, unique=True)))
    decided = draw(DAYS)
    earlier = draw(st.lists(st.dates(min_value=date(2019, 1, 1), max_value=decided), max_size=4))
    received = draw(
        st.one_of(st.none(), st.dates(min_value=decided, max_value=decided + timedelta(days=60)))
    )
    return Facts(
        role=role,
        circumstance=item,
        severity=draw(st.sampled_from(VERSION.severities)),
        decided_on=decided,
        conditions=conditions,
        violates_discipline=draw(st.booleans()),
        lighter=tuple(draw(st.lists(st.sampled_from([1, 2, 3]), unique=True))),
        heavier=tuple(draw(st.lists(st.sampled_from([2, 3]), unique=True))),
        earlier_decisions=tuple(earlier),
        received_on=received,
        imposed=tuple(draw(st.lists(st.sampled_from(VERSION.measure_names), max_size=3))),
    )


def _with(f: Facts, **changes: object) -> Facts:
    return f._replace(**changes)


@given(facts())
def test_heavier_factors_never_lower_the_tier(f: Facts) -> None:
    base = rulebook.assess(_with(f, heavier=()), rulebook=BOOK)
    heavy = rulebook.assess(_with(f, heavier=(2, 3)), rulebook=BOOK)
    assert TIER_RANK[heavy.tier] >= TIER_RANK[base.tier]
    assert "从重" in heavy.adjustments


@given(facts())
def test_violating_discipline_never_yields_a_tier_below_serious(f: Facts) -> None:
    result = rulebook.assess(_with(f, violates_discipline=True), rulebook=BOOK)
    assert TIER_RANK[result.tier] >= TIER_RANK["严重"]


@given(facts())
def test_the_tier_is_never_below_the_severity(f: Facts) -> None:
    result = rulebook.assess(f, rulebook=BOOK)
    assert TIER_RANK[result.tier] >= TIER_RANK[f.severity]
    assert result.measures


@given(facts().filter(lambda f: f.received_on is not None))
def test_the_appeal_deadline_is_a_working_day_and_not_early(f: Facts) -> None:
    result = rulebook.assess(f, rulebook=BOOK)
    assert f.received_on is not None and result.appeal_deadline is not None
    nominal = f.received_on + timedelta(days=15)
    assert result.appeal_deadline >= nominal
    assert BOOK.calendar.is_working_day(result.appeal_deadline)
    day = nominal
    while day < result.appeal_deadline:
        assert not BOOK.calendar.is_working_day(day)
        day += timedelta(days=1)


@given(facts(), st.dates(min_value=date(2019, 1, 1), max_value=date(2026, 12, 31)))
def test_one_more_earlier_decision_never_lowers_the_count(f: Facts, extra: date) -> None:
    if extra > f.decided_on:
        extra = f.decided_on
    before = rulebook.assess(f, rulebook=BOOK).accountable_in_year
    after = rulebook.assess(
        _with(f, earlier_decisions=(*f.earlier_decisions, extra)), rulebook=BOOK
    ).accountable_in_year
    assert before <= after <= before + 1


@given(facts())
def test_the_count_reaching_two_always_makes_it_heavier(f: Facts) -> None:
    result = rulebook.assess(f, rulebook=BOOK)
    assert (result.accountable_in_year >= 2) <= ("从重" in result.adjustments)


@given(facts())
def test_restrictions_run_from_the_decision_on(f: Facts) -> None:
    result = rulebook.assess(f, rulebook=BOOK)
    by_kind: dict[str, list[rulebook.Restriction]] = {}
    for restriction in result.restrictions:
        assert f.decided_on <= restriction.start <= restriction.until
        assert restriction.measure in f.imposed
        assert restriction.kind in VERSION.kinds and restriction.label
        by_kind.setdefault(restriction.kind, []).append(restriction)
    for spans in by_kind.values():  # periods of a kind that meet or overlap are one
        for before, after in itertools.pairwise(spans):
            assert after.start > before.until + timedelta(days=1)


@given(facts())
def test_every_result_cites_real_articles_and_serialises(f: Facts) -> None:
    result = rulebook.assess(f, rulebook=BOOK)
    assert all(regulation.exists(ref) for ref in result.citations)
    assert "第十条" in result.citations and "第十九条" in result.citations
    assert result.explanation[0].startswith("依第十九条")
    assert {i.key for i in result.interpretations} >= {"version_choice"}
    json.dumps(result.to_dict(), ensure_ascii=False)


@settings(max_examples=50)
@given(facts())
def test_the_dict_contract_round_trips(f: Facts) -> None:
    data = {
        "role": f.role,
        "circumstance": f.circumstance,
        "conditions": list(f.conditions),
        "severity": f.severity,
        "violates_discipline": f.violates_discipline,
        "lighter": list(f.lighter),
        "heavier": list(f.heavier),
        "earlier_decisions": [d.isoformat() for d in f.earlier_decisions],
        "decided_on": f.decided_on.isoformat(),
        "received_on": f.received_on.isoformat() if f.received_on else None,
        "imposed": list(f.imposed),
    }
    assert rulebook.assess_dict(data, rulebook=BOOK) == rulebook.assess(f, rulebook=BOOK).to_dict()


# --- the fast path (explain=False) gives the explained path's result ------------------------

REVISED = rulebook.load(version_dirs=[*shipped_version_dirs(), HYPOTHETICAL])


@st.composite
def any_facts(draw: st.DrawFn) -> Facts:
    """Facts under either version (conduct before, decision after 2027-01-01), some invalid."""
    base = draw(facts())
    decided = draw(st.dates(min_value=date(2020, 10, 30), max_value=date(2028, 12, 31)))
    occurred = draw(st.one_of(st.none(), st.dates(min_value=date(2020, 10, 30), max_value=decided)))
    received = draw(
        st.one_of(
            st.none(),
            st.dates(min_value=decided - timedelta(days=2), max_value=decided + timedelta(days=40)),
        )
    )
    earlier = tuple(d for d in base.earlier_decisions if d <= decided)
    changed = base._replace(
        decided_on=decided, occurred_on=occurred, received_on=received, earlier_decisions=earlier
    )
    if draw(st.integers(0, 9)) == 0:  # now and then a fact no version accepts
        changed = draw(
            st.sampled_from(
                [
                    changed._replace(role="科长"),
                    changed._replace(severity="特别严重"),
                    changed._replace(imposed=("罚款",)),
                    changed._replace(lighter=(4,)),
                    changed._replace(earlier_decisions=(decided + timedelta(days=1),)),
                    changed._replace(decided_on=date(2020, 10, 29)),
                ]
            )
        )
    return changed


def _outcome(f: Facts, *, explain: bool) -> object:
    try:
        result = rulebook.assess(f, rulebook=REVISED, explain=explain)
    except rulebook.RulebookError as exc:
        return ("error", exc.field, exc.message)
    return result


@settings(max_examples=300)
@given(any_facts())
def test_the_fast_path_gives_the_explained_result(f: Facts) -> None:
    explained = _outcome(f, explain=True)
    fast = _outcome(f, explain=False)
    if not isinstance(explained, rulebook.Assessment):  # both refused, with the same error
        assert fast == explained
        return
    assert isinstance(fast, rulebook.Assessment)
    assert fast.outcome() == explained.outcome()
    assert (fast.tier, fast.measures, fast.adjustments) == (
        explained.tier, explained.measures, explained.adjustments,
    )  # fmt: skip
    assert (fast.appeal_deadline, fast.restrictions) == (
        explained.appeal_deadline,
        explained.restrictions,
    )
    # told when asked, the fast result says what the explained one said
    assert fast.to_dict() == explained.to_dict()


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)), st.integers(-60, 60))
def test_months_end_on_the_corresponding_day_or_the_months_last(day: date, months: int) -> None:
    """民法典 art 202, read with the standard library's calendar."""
    import calendar

    from rulebook.dates import add_months

    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    expected = date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
    assert add_months(day, months) == expected
