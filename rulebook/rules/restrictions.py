"""What a measure costs afterwards (第十七条).

第十七条 在责任追究中,错误情形被认定为情节较重、情节严重或构成违纪,受到通报、诫勉以上问责
处理或纪律处分的,按《中国共产党问责条例》和《中国共产党纪律处分条例》相关规定,取消相应评优
评先和提拔使用资格。

The periods are the higher regulations' (tables/…/restrictions.toml, each with
its source and certainty). Where the county text and a higher rule differ (a
诫勉谈话 at the 较轻 tier), the higher rule prevails (interpretation
higher_regulation_prevails). Several measures: the longest period of each kind
governs.
"""

from __future__ import annotations

from datetime import date, timedelta

from rulebook.dates import add_months, zh
from rulebook.errors import RulebookError
from rulebook.model import Facts, Restriction, Trace
from rulebook.versions import Period, RulebookVersion, Tier


def check_imposed(version: RulebookVersion, facts: Facts) -> None:
    for name in facts.imposed:
        if name not in version.catalogue:
            raise RulebookError(
                "imposed", f"未知的措施“{name}”,可选:{'、'.join(version.measure_names)}"
            )


def _until(period: Period, decided_on: date) -> date | None:
    if period.span == "current_year":
        return date(decided_on.year, 12, 31)
    if period.span == "current_and_next_year":
        return date(decided_on.year + 1, 12, 31)
    if period.months:
        return add_months(decided_on, period.months) - timedelta(days=1)
    return None


def explain_measures(
    version: RulebookVersion,
    facts: Facts,
    tier: Tier,
    open_measures: tuple[str, ...],
    trace: Trace,
) -> None:
    """Which rule gives each imposed measure its cost; warnings for measures off the tier."""
    outside = [m for m in facts.imposed if m not in open_measures]
    if outside:
        trace.warnings.append(
            f"所处措施{'、'.join(outside)}不在“{tier.name}”档(含减轻后)可适用的措施之内,请核对。"
        )
    missing = [m for m in tier.required if m not in facts.imposed]
    if missing:
        trace.warnings.append(f"“{tier.name}”档应当{'、'.join(missing)},所处措施中未列明。")
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
        trace.step(
            f"受到{name}处理,{ref_text}:" + ";".join(p.basis for p in periods) + "。",
            *refs,
            interpretations=reading,
        )


def restrictions(version: RulebookVersion, facts: Facts, trace: Trace) -> tuple[Restriction, ...]:
    """The restrictions of the imposed measures, the longest of each kind, explained."""
    best: dict[str, tuple[date, Period]] = {}
    for name in facts.imposed:
        for period in version.periods.get(name, ()):
            until = _until(period, facts.decided_on)
            if until is None:
                continue
            current = best.get(period.kind)
            if current is None or until > current[0]:
                best[period.kind] = (until, period)
    if not best:
        return ()
    found = tuple(
        Restriction(kind, until, period.basis, period.measure, period.certainty)
        for kind, (until, period) in sorted(best.items())
    )
    trace.step(
        "影响期(同类以最长者为准):" + ";".join(f"{r.kind}至{zh(r.until)}" for r in found) + "。",
        interpretations=("higher_regulation_prevails", "restriction_counting"),
    )
    return found
