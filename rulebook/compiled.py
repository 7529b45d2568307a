"""A version's tables compiled once for assess(): each rule evaluated over its small domain.

The regulation's inputs that choose an outcome are few and finite: 7 roles × 9
circumstances, 4 severities × 违纪 or not, a handful of factor items, some twenty
measures. compile_rules() runs the rules of rulebook/rules over them once per
version and keeps the answers in dicts, so that assess() looks up what the rule
says instead of working it out again: the rules stay the single statement of
the regulation, the tables are their values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rulebook.rules import factors, tiers
from rulebook.versions import Circumstance, Kind, Period, Role, RulebookVersion, Tier


@dataclass(frozen=True, slots=True)
class TierRule:
    """第十条 for one (情节, 构成违纪): the tier that applies and the measures it opens."""

    severity: str
    violates_discipline: bool
    tier: Tier
    name: str
    measures: tuple[str, ...]
    #: 减轻 (第十四条): the tier below's measures, with what the tier requires kept.
    reduced: tuple[str, ...]
    kept: tuple[str, ...]
    below: Tier | None
    #: For 从旧兼从轻 (第十九条): tier, heaviest open measure, number of measures.
    severity_key: tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class PeriodRule:
    """One period of restrictions.toml, ready to count: what its Restriction carries, and how.

    `fields` are the Restriction's fields but its dates (kind, label, bars, basis, measure,
    certainty). The period starts on the decision day, `from_months` months after it or on
    1 January after it (`from_next_year`); it ends after `months` months or in its `years`-th
    calendar year (restrictions.period_dates says it in full).
    """

    fields: tuple[str, str, tuple[str, ...], str, str, str]
    #: The kind's place in the order a result lists restrictions.
    order: int
    from_months: int
    from_next_year: bool
    months: int
    years: int


@dataclass(frozen=True, slots=True)
class Rules:
    """One version's tables as dicts and sets, built by compile_rules()."""

    version: RulebookVersion
    roles: Mapping[str, Role]
    circumstances: Mapping[int, Circumstance]
    #: The item of 第八条 whose failings are named per role (第八条第(一)项), and those failings.
    conditions_item: int
    conditions: Mapping[str, frozenset[str]]
    tiers: Mapping[tuple[str, bool], TierRule]
    lighter: frozenset[int]
    heavier: frozenset[int]
    #: (any lighter factor, any heavier factor) → the adjustments named by factors.toml.
    adjustments: Mapping[tuple[bool, bool], tuple[str, ...]]
    repeat_months: int
    repeat_include_start: bool
    repeat_threshold: int
    appeal_days: int
    catalogue: frozenset[str]
    #: Every measure of the catalogue → the periods it restricts by (none with months = 0),
    #: in the order of the kinds; () for a measure that costs nothing afterwards.
    periods: Mapping[str, tuple[PeriodRule, ...]]


def compile_rules(version: RulebookVersion) -> Rules:
    conditions_item = next(
        (c.item for c in version.circumstances.values() if c.ref == version.conditions_ref), 1
    )
    tier_rules = {
        (severity, discipline): _tier_rule(version, severity, discipline)
        for severity in version.tiers
        for discipline in (False, True)
    }
    repeat = version.interpretations["repeat_window"].value
    return Rules(
        version=version,
        roles=version.role_info,
        circumstances=version.circumstances,
        conditions_item=conditions_item,
        conditions={name: frozenset(allowed) for name, allowed in version.conditions.items()},
        tiers=tier_rules,
        lighter=frozenset(version.lighter),
        heavier=frozenset(k for k, f in version.heavier.items() if not f.automatic),
        adjustments={
            (lighter, heavier): factors.adjustments(version, lighter=lighter, heavier=heavier)
            for lighter in (False, True)
            for heavier in (False, True)
        },
        repeat_months=int(repeat.get("months", 12)),
        repeat_include_start=bool(repeat.get("include_start", True)),
        repeat_threshold=version.repeat_threshold,
        appeal_days=version.appeal_days,
        catalogue=frozenset(version.catalogue),
        periods={measure: _period_rules(version, measure) for measure in version.catalogue},
    )


def _period_rules(version: RulebookVersion, measure: str) -> tuple[PeriodRule, ...]:
    periods = sorted(version.periods.get(measure, ()), key=lambda p: version.kinds[p.kind].order)
    return tuple(_period_rule(p, version.kinds[p.kind]) for p in periods if p.months != 0)


def _period_rule(period: Period, kind: Kind) -> PeriodRule:
    return PeriodRule(
        fields=(kind.name, kind.label, kind.bars, period.basis, period.measure, period.certainty),
        order=kind.order,
        from_months=period.from_months,
        from_next_year=period.from_next_year,
        months=period.months or 0,
        years=period.years or 0,
    )


def _tier_rule(version: RulebookVersion, severity: str, discipline: bool) -> TierRule:
    tier = tiers.applicable_tier(version, severity, discipline)
    below, reduced, kept = factors.reduced_measures(version, tier)
    heaviest = max((version.catalogue[m].rank for m in tier.measures), default=0)
    return TierRule(
        severity=severity,
        violates_discipline=discipline,
        tier=tier,
        name=tier.name,
        measures=tier.measures,
        reduced=reduced,
        kept=kept,
        below=below,
        severity_key=(tier.rank, heaviest, len(tier.measures)),
    )
