"""`accountability rulebook check`: prove each version's tables complete and consistent.

Every role × circumstance × severity × 违纪 × factor combination must yield
exactly one tier and a non-empty list of measures; every value must be cited
(an article of the regulation, or a named source for the higher rules); every
restriction must be of a declared kind with a period that can be counted;
version dates must be ordered and the holiday schedules well formed. A version
that inherits is checked on its merged tables, so what it leaves out is proven
complete too.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date

from rulebook import regulation
from rulebook.engine import assess
from rulebook.errors import RulebookError
from rulebook.model import Facts
from rulebook.versions import BARS, Period, Rulebook, RulebookVersion

REQUIRED_INTERPRETATIONS = (
    "version_choice",
    "head_roles_in_8_1",
    "repeat_window",
    "lighter_and_heavier",
    "discipline_floor",
    "appeal_counting",
    "appeal_period_county",
    "higher_regulation_prevails",
    "restriction_counting",
    "restriction_kinds",
    "unconfirmed_periods",
)


@dataclass
class Report:
    version: str
    combinations: int = 0
    problems: list[str] = field(default_factory=list)
    #: For a version that inherits: the parent and the tables the version states itself.
    inherits: str | None = None
    stated: tuple[str, ...] = ()


def _cited(ref: str, where: str, problems: list[str]) -> None:
    if not regulation.exists(ref):
        problems.append(f"{where}: 引用“{ref}”不是本办法的条款")


def check_tables(version: RulebookVersion) -> list[str]:
    problems: list[str] = []
    _cited(version.ref, "version", problems)
    _cited(version.appeal_ref, "appeal", problems)
    _cited(version.conditions_ref, "conditions", problems)
    _cited(version.discipline_ref, "rules discipline_ref", problems)
    _cited(version.lighter_ref, "lighter", problems)
    _cited(version.heavier_ref, "heavier", problems)
    if version.appeal_days <= 0:
        problems.append("appeal: 申诉期限须为正数")
    for key, value in (
        ("appeal.form", version.appeal_form),
        ("lighter.adjustment", version.lighter_adjustment),
        ("heavier.adjustment", version.heavier_adjustment),
    ):
        if not value:
            problems.append(f"{key}: 不能为空")
    for role in version.role_info.values():
        _cited(role.ref, f"role {role.name}", problems)
        _cited(role.duties_ref, f"role {role.name}", problems)
        if not version.condition_groups.get(role.condition_group):
            problems.append(f"role {role.name}: 第八条第(一)项无对应情形组“{role.condition_group}”")
    for circumstance in version.circumstances.values():
        _cited(circumstance.ref, f"circumstance {circumstance.item}", problems)
        if not circumstance.summary:
            problems.append(f"circumstance {circumstance.item}: 缺少摘要")
    for entry in version.catalogue.values():
        _cited(entry.ref, f"measure {entry.name}", problems)
    ranks = sorted(t.rank for t in version.tiers.values())
    if ranks != list(range(1, len(ranks) + 1)):
        problems.append(f"tiers: 档次序号须为连续的 1..n,实为 {ranks}")
    for tier in version.tiers.values():
        _cited(tier.ref, f"tier {tier.name}", problems)
        if not tier.measures:
            problems.append(f"tier {tier.name}: 措施为空")
        for name in (*tier.measures, *tier.required):
            if name not in version.catalogue:
                problems.append(f"tier {tier.name}: 未知措施“{name}”")
        if len(set(tier.measures)) != len(tier.measures):
            problems.append(f"tier {tier.name}: 措施重复")
    if version.discipline_floor not in version.tiers:
        problems.append(f"rules: 违纪最低档“{version.discipline_floor}”不存在")
    for table, name in ((version.lighter, "lighter"), (version.heavier, "heavier")):
        for factor in table.values():
            _cited(factor.ref, f"{name} {factor.item}", problems)
    if version.repeat_item not in version.heavier:
        problems.append("heavier: 缺少“一年内2次以上”项")
    for kind in version.kinds.values():
        if not kind.label:
            problems.append(f"kind {kind.name}: 缺少名称")
        if not kind.name.isascii() or not kind.name.isidentifier():
            problems.append(f"kind {kind.name}: 机器名须为英文标识符")
        unknown = [b for b in kind.bars if b not in BARS]
        if unknown:
            problems.append(f"kind {kind.name}: 未知的 bars {unknown},可选:{'、'.join(BARS)}")
    for measure, periods in version.periods.items():
        if measure not in version.catalogue:
            problems.append(f"restrictions: 未知措施“{measure}”")
        for p in periods:
            problems.extend(
                f"restrictions {measure}/{p.kind}: {x}" for x in _period_problems(version, p)
            )
        kinds = [p.kind for p in periods]
        if len(set(kinds)) != len(kinds):
            problems.append(f"restrictions {measure}: 同类影响期重复")
    for key in REQUIRED_INTERPRETATIONS:
        if key not in version.interpretations:
            problems.append(f"interpretations: 缺少解释“{key}”")
    for interpretation in version.interpretations.values():
        _cited(interpretation.ref, f"interpretation {interpretation.key}", problems)
        if not interpretation.text:
            problems.append(f"interpretation {interpretation.key}: 缺少说明")
        problems.extend(
            f"interpretation {interpretation.key}: 设置值“{name}”缺少文字说明(value_labels)"
            for name in interpretation.value
            if not interpretation.value_labels.get(name)
        )
    return problems


def _period_problems(version: RulebookVersion, p: Period) -> list[str]:
    found = []
    if p.kind not in version.kinds:
        found.append("未声明的影响期种类(restrictions.toml [[kind]])")
    if not p.basis:
        found.append("缺少依据")
    if p.certainty not in {"V", "P", "U"}:
        found.append("可靠性须为 V、P 或 U")
    if (p.months is None) == (p.years is None):
        found.append("months 与 years 须且只须有一项")
    if p.months == 0 and p.certainty != "U":
        found.append("months = 0(不设影响期)只能是本版本的设置(U)")
    if (p.months is not None and p.months < 0) or (p.years is not None and p.years < 1):
        found.append("期限须为正数")
    if p.from_months and p.from_next_year:
        found.append("from_months 与 from_next_year 只能有一项")
    if p.months and p.from_months >= p.months:
        found.append("起算月数须小于届满月数")
    if p.months and p.from_next_year and p.months < 12:
        found.append("自次年起算的影响期须至少届满于决定后12个月")
    return found


def _subsets(items: list[int]) -> list[tuple[int, ...]]:
    return [c for n in range(len(items) + 1) for c in itertools.combinations(items, n)]


def check_combinations(version: RulebookVersion, rulebook: Rulebook, report: Report) -> None:
    day = max(version.effective_from, date(version.effective_from.year, 6, 1))
    lighter = _subsets(sorted(version.lighter))
    heavier = _subsets(sorted(k for k, f in version.heavier.items() if not f.automatic))
    single = Rulebook([version], rulebook.calendar)
    for role, item, severity, discipline, light, heavy, repeat in itertools.product(
        version.roles,
        sorted(version.circumstances),
        version.severities,
        (False, True),
        lighter,
        heavier,
        (False, True),
    ):
        conditions = version.conditions[role][:1] if item == 1 else ()
        facts = Facts(
            role=role,
            circumstance=item,
            severity=severity,
            decided_on=day,
            conditions=conditions,
            violates_discipline=discipline,
            lighter=light,
            heavier=heavy,
            earlier_decisions=(day,) if repeat else (),
        )
        report.combinations += 1
        where = f"{role}/第{item}项/{severity}/违纪={discipline}/从轻={light}/从重={heavy}"
        try:
            result = assess(facts, rulebook=single)
        except RulebookError as exc:
            report.problems.append(f"{where}: {exc.message}")
            continue
        if result.tier not in version.tiers:
            report.problems.append(f"{where}: 档次“{result.tier}”不存在")
        if not result.measures:
            report.problems.append(f"{where}: 措施为空")
        if (
            discipline
            and version.tiers[result.tier].rank < version.tiers[version.discipline_floor].rank
        ):
            report.problems.append(f"{where}: 构成违纪却低于“{version.discipline_floor}”档")
        if not result.explanation or not all(regulation.exists(c) for c in result.citations):
            report.problems.append(f"{where}: 说明或引用不完整")
    check_measures(version, single, day, report)


def check_measures(version: RulebookVersion, single: Rulebook, day: date, report: Report) -> None:
    """Each measure imposed alone (on a day and on 31 December): every period counted."""
    for tier in version.tiers.values():
        for measure in tier.measures:
            for decided in (day, date(day.year, 12, 31)):
                facts = Facts(
                    role=version.roles[0],
                    circumstance=max(version.circumstances),
                    severity=tier.name,
                    decided_on=decided,
                    imposed=(measure,),
                )
                report.combinations += 1
                where = f"{tier.name}/{measure}/{decided.isoformat()}"
                try:
                    result = assess(facts, rulebook=single)
                except RulebookError as exc:
                    report.problems.append(f"{where}: {exc.message}")
                    continue
                expected = sum(1 for p in version.periods.get(measure, ()) if p.months != 0)
                if len(result.restrictions) != expected:
                    report.problems.append(
                        f"{where}: 影响期 {len(result.restrictions)} 项,应为 {expected} 项"
                    )
                for r in result.restrictions:
                    if not decided <= r.start <= r.until or not r.label:
                        report.problems.append(f"{where}: 影响期“{r.kind}”的起止日期或名称有误")


def check_rulebook(rulebook: Rulebook) -> list[Report]:
    reports = []
    ids = [v.id for v in rulebook.versions]
    dates = [v.effective_from for v in rulebook.versions]
    order = Report("(versions)")
    if len(set(ids)) != len(ids):
        order.problems.append(f"规则版本编号重复:{ids}")
    if len(set(dates)) != len(dates) or dates != sorted(dates):
        order.problems.append(f"规则版本施行日期须严格递增:{[d.isoformat() for d in dates]}")
    for schedule in rulebook.calendar.schedules.values():
        order.problems.extend(f"节假日 {schedule.year}: {p}" for p in schedule.problems())
    reports.append(order)
    for version in rulebook.versions:
        report = Report(version.id, inherits=version.inherits, stated=version.stated)
        report.problems.extend(check_tables(version))
        if not report.problems:
            check_combinations(version, rulebook, report)
        reports.append(report)
    return reports
