"""What a measure costs afterwards (第十七条).

第十七条 在责任追究中,错误情形被认定为情节较重、情节严重或构成违纪,受到通报、诫勉以上问责
处理或纪律处分的,按《中国共产党问责条例》和《中国共产党纪律处分条例》相关规定,取消相应评优
评先和提拔使用资格。

The periods are the higher regulations' (tables/…/restrictions.toml, each with
its source and certainty), each of the kind its source names (不得安排领导职务,
不得担任高于原任职务层次的职务, 不得提拔使用 …: [[kind]], each saying whether it
bars a promotion or an award, interpretation restriction_kinds). Where the
county text and a higher rule differ (a 诫勉谈话 at the 较轻 tier), the higher
rule prevails (interpretation higher_regulation_prevails). Several measures:
the longest period of each kind governs; periods of a kind that meet or overlap
are joined.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from rulebook.dates import add_months, zh
from rulebook.errors import RulebookError
from rulebook.model import Facts, Narrative, Restriction
from rulebook.versions import RulebookVersion, Tier

if TYPE_CHECKING:
    from rulebook.compiled import PeriodRule, Rules

_ONE_DAY = timedelta(days=1)
# Builds a Restriction from its fields in order, as Restriction._make does, at half the cost.
_new = tuple.__new__


def check_imposed(rules: Rules, facts: Facts) -> None:
    for name in facts.imposed:
        if name not in rules.catalogue:
            _unknown(rules, name)


def _unknown(rules: Rules, name: str) -> None:
    raise RulebookError(
        "imposed", f"未知的措施“{name}”,可选:{'、'.join(rules.version.measure_names)}"
    )


def period_dates(period: PeriodRule, decided_on: date) -> tuple[date, date]:
    """First and last day of `period` for a decision on `decided_on`.

    It starts on the decision day, `from_months` months later, or on 1 January of the next
    year (`from_next_year`); it ends the day before the day `months` months after the
    decision, or on 31 December of its `years`-th calendar year (1: the year it starts in).
    """
    if period.from_next_year:
        start = date(decided_on.year + 1, 1, 1)
    elif period.from_months:
        start = add_months(decided_on, period.from_months)
    else:
        start = decided_on
    if period.years:
        return start, date(start.year + period.years - 1, 12, 31)
    return start, add_months(decided_on, period.months) - _ONE_DAY


def restrictions(rules: Rules, facts: Facts) -> tuple[Restriction, ...]:
    """The restrictions of the imposed measures, the longest of each kind."""
    imposed = facts.imposed
    if not imposed:
        return ()
    decided = facts.decided_on
    if len(imposed) == 1:  # one measure: its periods are one of each kind, in order
        plan = rules.periods.get(imposed[0])
        if plan is None:
            _unknown(rules, imposed[0])
        found = []
        for period in plan or ():
            start, until = period_dates(period, decided)
            found.append(_new(Restriction, (*period.fields, start, until)))
        return tuple(found)
    check_imposed(rules, facts)
    # Several measures: every period, by kind and start; of a kind, those that meet or
    # overlap become one, named by the one that ends last.
    spans: list[tuple[int, date, date, int, PeriodRule]] = []
    for name in dict.fromkeys(imposed):
        for period in rules.periods.get(name, ()):
            start, until = period_dates(period, decided)
            spans.append((period.order, start, until, len(spans), period))
    if not spans:
        return ()
    spans.sort()
    joined: list[Restriction] = []
    order, start, until, _, governing = spans[0]
    for next_order, next_start, next_until, _, period in spans[1:]:
        if next_order == order and next_start <= until + _ONE_DAY:
            if next_until > until:
                until, governing = next_until, period
            continue
        joined.append(_new(Restriction, (*governing.fields, start, until)))
        order, start, until, governing = next_order, next_start, next_until, period
    joined.append(_new(Restriction, (*governing.fields, start, until)))
    return tuple(joined)


def explain_measures(
    version: RulebookVersion,
    facts: Facts,
    tier: Tier,
    open_measures: tuple[str, ...],
    story: Narrative,
) -> None:
    """Which rule gives each imposed measure its cost; warnings for measures off the tier."""
    if not facts.imposed:
        return
    outside = [m for m in facts.imposed if m not in open_measures]
    if outside:
        story.warnings.append(
            f"所处措施{'、'.join(outside)}不在“{tier.name}”档(含减轻后)可适用的措施之内,请核对。"
        )
    missing = [m for m in tier.required if m not in facts.imposed]
    if missing:
        story.warnings.append(f"“{tier.name}”档应当{'、'.join(missing)},所处措施中未列明。")
    in_reach = tier.name in version.restriction_tiers or facts.violates_discipline
    for name in dict.fromkeys(facts.imposed):
        periods = version.periods.get(name)
        if not periods:
            continue
        if in_reach and version.catalogue[name].rank >= version.restriction_min_rank:
            ref_text = "依第十七条及上位规定"
            refs: tuple[str, ...] = (version.restrictions_ref,)
            reading: tuple[str, ...] = ("restriction_counting",)
        else:
            ref_text = "第十七条未涉及此情形,依上位规定(以上位规定为准)"
            refs = ()
            reading = ("higher_regulation_prevails", "restriction_counting")
        if any(p.certainty == "U" for p in periods):
            reading = (*reading, "unconfirmed_periods")
        story.step(
            f"受到{name}处理,{ref_text}:" + ";".join(p.basis for p in periods) + "。",
            *refs,
            interpretations=reading,
        )


def explain_restrictions(found: tuple[Restriction, ...], facts: Facts, story: Narrative) -> None:
    if not found:
        return
    story.step(
        "影响期(同类以最长者为准):" + ";".join(_period_text(r, facts) for r in found) + "。",
        interpretations=("higher_regulation_prevails", "restriction_counting", "restriction_kinds"),
    )


def _period_text(restriction: Restriction, facts: Facts) -> str:
    if restriction.start == facts.decided_on:
        return f"{zh(restriction.until)}前{restriction.label}"
    return f"{zh(restriction.start)}至{zh(restriction.until)}{restriction.label}"
