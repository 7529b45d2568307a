"""A plain oracle: a case's outcome written straight from the regulation, as a baseline.

No compiled tables, no trace, no explanation: each article read from the version's tables as
they stand, the holiday calendar asked day by day. bench/assess.py times it beside the engine
and checks that both say the same for every case (a second, independent reading of the rules).
One version, the one in force at the decision (the generated cases give no date of conduct).
"""

from __future__ import annotations

from datetime import date, timedelta

from rulebook.calendar import HolidayCalendar
from rulebook.dates import add_months
from rulebook.model import Facts, Restriction
from rulebook.versions import Kind, Period, RulebookVersion

ONE_DAY = timedelta(days=1)


def outcome(version: RulebookVersion, calendar: HolidayCalendar, f: Facts) -> tuple[object, ...]:
    """(version, tier, measures, adjustments, reduced measures, count, deadline, restrictions)"""
    # 第五条: a responsible subject; 第八条: one of its nine circumstances.
    if f.role not in version.role_info or f.circumstance not in version.circumstances:
        raise ValueError("unknown role or circumstance")
    if f.circumstance == 1 and not set(f.conditions) <= set(version.conditions[f.role]):
        raise ValueError("a failing of another role")

    # 第十条: the tier of the severity; 构成违纪 puts it at 严重 at least.
    tier = version.tiers[f.severity]
    floor = version.tiers[version.discipline_floor]
    if f.violates_discipline and tier.rank < floor.rank:
        tier = floor

    # 第十四条: lighter; 减轻 opens the tier below (the referral of 涉嫌犯罪 kept).
    reduced: tuple[str, ...] = ()
    if f.lighter:
        for below in version.tiers.values():
            if below.rank == tier.rank - 1:
                kept = tuple(m for m in tier.required if m not in below.measures)
                reduced = below.measures + kept

    # 第十五条(一): this decision and those of the 12 months before it.
    window = add_months(f.decided_on, -12)
    count = 1 + sum(1 for day in f.earlier_decisions if window <= day <= f.decided_on)
    adjustments: tuple[str, ...] = ()
    if f.lighter:
        adjustments += ("从轻或者减轻",)
    if f.heavier or count >= 2:
        adjustments += ("从重",)

    # 第十六条: 15 days from the day after receipt, to the next working day.
    deadline = None
    if f.received_on is not None:
        deadline = f.received_on + timedelta(days=version.appeal_days)
        while not calendar.is_working_day(deadline):
            deadline += ONE_DAY

    # 第十七条: each imposed measure's periods; of a kind, the longest (joined where they meet).
    spans: dict[str, list[tuple[date, date, Period]]] = {}
    for measure in dict.fromkeys(f.imposed):
        for period in version.periods.get(measure, ()):
            dates = _dates(period, f.decided_on)
            if dates:
                spans.setdefault(period.kind, []).append((*dates, period))
    found = []
    for kind_name, kind_spans in spans.items():
        kind = version.kinds[kind_name]
        kind_spans.sort(key=lambda s: s[0])
        start, until, governing = kind_spans[0]
        for next_start, next_until, period in kind_spans[1:]:
            if next_start > until + ONE_DAY:
                found.append((kind.order, start, _restriction(kind, start, until, governing)))
                start, until, governing = next_start, next_until, period
            elif next_until > until:
                until, governing = next_until, period
        found.append((kind.order, start, _restriction(kind, start, until, governing)))
    restrictions = tuple(r for _, _, r in sorted(found, key=lambda x: (x[0], x[1])))

    return (
        version.id,
        tier.name,
        tier.measures,
        adjustments,
        reduced,
        count,
        deadline,
        restrictions,
    )


def _dates(period: Period, decided: date) -> tuple[date, date] | None:
    if period.from_next_year:
        start = date(decided.year + 1, 1, 1)
    else:
        start = add_months(decided, period.from_months)
    if period.years:
        return start, date(start.year + period.years - 1, 12, 31)
    if period.months:
        return start, add_months(decided, period.months) - ONE_DAY
    return None


def _restriction(kind: Kind, start: date, until: date, period: Period) -> Restriction:
    return Restriction(
        kind=kind.name,
        label=kind.label,
        bars=kind.bars,
        start=start,
        until=until,
        basis=period.basis,
        measure=period.measure,
        certainty=period.certainty,
    )
