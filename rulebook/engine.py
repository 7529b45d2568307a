"""assess(): the facts of one person's case → the rulebook's result, explained.

assess() reads as the regulation does: which version (第十九条), who and what
(第五条至第八条), the tier (第十条), the factors (第十四条, 第十五条), the appeal
period (第十六条) and the restrictions (第十七条). Each step asks its rule
module; the rules look their answers up in the version's compiled tables
(rulebook.compiled), built once per version.

The outcome is computed at once; the explanation is told from a compact trace
(Trace: the versions, the facts, the tier) when it is first asked for, walking
the same steps in the same order. assess(..., explain=False) leaves it untold,
for batches that need only the outcome; assess() tells it before returning.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import Any

from rulebook import regulation
from rulebook.calendar import HolidayCalendar
from rulebook.compiled import Rules, TierRule
from rulebook.dates import china_today, zh
from rulebook.errors import RulebookError
from rulebook.model import Assessment, Facts, Narrative, Told
from rulebook.rules import appeal, factors, restrictions, subject, tiers
from rulebook.rules import versions as choice
from rulebook.versions import Rulebook, RulebookVersion, load


def assess(facts: Facts, *, rulebook: Rulebook | None = None, explain: bool = True) -> Assessment:
    """The rulebook's result for one person, with the articles and readings it used.

    With explain=False the explanation is told only when asked for (the outcome is the same).
    """
    book = rulebook or load()
    # 第十九条: the version in force at the conduct, or the one at the decision if lighter.
    old, new = _versions_in_force(book, facts)
    version = old if old is new else _lighter_of(old, new, facts)
    rules = version.rules
    # 第五条至第八条: a subject of 第五条, in a circumstance of 第八条.
    subject.check_subject(rules, facts)
    # 第十条: the tier of the severity (构成违纪: at least 严重) and its measures.
    tier = tiers.tier_rule(rules, facts)
    # 第十四条: lighter (减轻 opens the tier below); 第十五条: heavier, item (一) by the count.
    factors.check_factors(rules, facts)
    count = factors.accountable_in_year(rules, facts)
    heavier = bool(facts.heavier) or count >= rules.repeat_threshold
    adjustments = rules.adjustments[bool(facts.lighter), heavier]
    reduced = tier.reduced if facts.lighter else ()
    # 第十六条: the appeal period from receipt (15 days), by the official calendar.
    deadline = appeal.appeal_deadline(rules, facts, book.calendar)
    # 第十七条: what the measures imposed cost afterwards.
    found = restrictions.restrictions(rules, facts)
    result = Assessment(
        version.id,
        tier.name,
        tier.measures,
        adjustments,
        reduced,
        count,
        deadline,
        found,
        Trace(book.calendar, old, new, version, facts, tier),
    )
    if explain:
        result.trace.tell(result)
    return result


def assess_many(
    batch: Iterable[Facts], *, rulebook: Rulebook | None = None, explain: bool = False
) -> Iterator[Assessment]:
    """assess() over a batch (say, every stored decision under a draft version), untold."""
    book = rulebook or load()
    for facts in batch:
        yield assess(facts, rulebook=book, explain=explain)


def _versions_in_force(book: Rulebook, facts: Facts) -> tuple[RulebookVersion, RulebookVersion]:
    """The versions in force at the conduct and at the decision."""
    occurred, decided = facts.occurred_on, facts.decided_on
    if occurred is not None and occurred > decided:
        raise RulebookError("occurred_on", f"行为发生日期{zh(occurred)}晚于决定日期{zh(decided)}")
    new = book.version_at(decided)
    if occurred is None:  # without a date of conduct, the decision's version is the conduct's
        return new, new
    return book.version_at(occurred, field="occurred_on"), new


def _lighter_of(old: RulebookVersion, new: RulebookVersion, facts: Facts) -> RulebookVersion:
    """从旧兼从轻: the facts must be valid under the old version; the new one applies if it can
    assess them and is lighter."""
    old_key = _severity_key(old.rules, facts)
    try:
        new_key: tuple[int, int, int] | None = _severity_key(new.rules, facts)
    except RulebookError:
        new_key = None
    return choice.lighter_version(old, new, old_key, new_key)


def _severity_key(rules: Rules, facts: Facts) -> tuple[int, int, int]:
    subject.check_subject(rules, facts)
    key = tiers.tier_rule(rules, facts).severity_key
    factors.check_factors(rules, facts)
    factors.check_earlier(facts)
    restrictions.check_imposed(rules, facts)
    return key


class Trace:
    """What assess() found, enough to tell why: the versions, the facts and the tier."""

    __slots__ = ("_told", "calendar", "facts", "new", "old", "tier", "version")

    def __init__(
        self,
        calendar: HolidayCalendar,
        old: RulebookVersion,
        new: RulebookVersion,
        version: RulebookVersion,
        facts: Facts,
        tier: TierRule,
    ) -> None:
        self.calendar = calendar
        self.old = old
        self.new = new
        self.version = version
        self.facts = facts
        self.tier = tier
        self._told: Told | None = None

    def tell(self, result: Assessment) -> Told:
        """The explanation, step by step in the order of assess(), told once."""
        if self._told is None:
            self._told = _tell(self, result)
        return self._told


def _tell(trace: Trace, result: Assessment) -> Told:
    version, facts, tier = trace.version, trace.facts, trace.tier.tier
    story = Narrative()
    reason = choice.reason(version, trace.old, trace.new, facts)
    story.step(reason, version.ref, interpretations=("version_choice",))
    subject.explain_subject(version, facts, story)
    tiers.explain_tier(version, facts, tier, story)
    factors.explain_lighter(version, facts, tier, story)
    factors.explain_heavier(version, facts, tier, story)
    repeat = factors.explain_repeat(version, facts, result.accountable_in_year, story)
    if facts.lighter and (facts.heavier or repeat):
        factors.explain_both(story)
    appeal.explain_appeal(version, facts, result.appeal_deadline, trace.calendar, story)
    open_measures = tier.measures + result.reduced_measures
    restrictions.explain_measures(version, facts, tier, open_measures, story)
    restrictions.explain_restrictions(result.restrictions, facts, story)
    return Told(
        explanation=tuple(story.explanation),
        citations=tuple(sorted(story.citations, key=regulation.SORT_KEYS.__getitem__)),
        interpretations=tuple(version.interpretations[k] for k in story.interpretations),
        warnings=tuple(story.warnings),
        version_reason=reason,
    )


_FIELDS = frozenset(
    {
        "role",
        "circumstance",
        "conditions",
        "severity",
        "violates_discipline",
        "lighter",
        "heavier",
        "earlier_decisions",
        "occurred_on",
        "decided_on",
        "received_on",
        "imposed",
    }
)


_DATE_FORMAT = "须为 YYYY-MM-DD 格式,如 2026-03-01"


def _date(data: Mapping[str, Any], key: str) -> date | None:
    raw = data.get(key)
    if raw is None:
        return None
    if type(raw) is str:
        try:
            return date.fromisoformat(raw)
        except ValueError:
            pass
    raise RulebookError(key, f"“{raw}”不是有效日期,{_DATE_FORMAT}")


def _text(data: Mapping[str, Any], key: str) -> str:
    raw = data.get(key)
    if type(raw) is not str or not raw:
        raise RulebookError(key, "必填,须为文字")
    return raw


def _list(data: Mapping[str, Any], key: str, kind: type, what: str) -> tuple[Any, ...]:
    raw = data.get(key)
    if raw is None or raw == []:
        return ()
    if type(raw) is not list:
        raise RulebookError(key, "须为列表")
    for value in raw:
        if type(value) is not kind:
            raise RulebookError(key, f"须为{what}的列表")
    return tuple(raw)


def _dates(data: Mapping[str, Any], key: str) -> tuple[date, ...]:
    values = _list(data, key, str, "日期")
    try:
        return tuple(date.fromisoformat(v) for v in values)
    except ValueError:
        bad = next(v for v in values if not _is_date(v))
        raise RulebookError(key, f"“{bad}”不是有效日期,{_DATE_FORMAT}") from None


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def facts_from_dict(data: Mapping[str, Any], *, today: date | None = None) -> Facts:
    """Facts from the JSON form of issue 2's contract; bad input raises RulebookError."""
    if not isinstance(data, Mapping):
        raise RulebookError(None, "输入须为 JSON 对象")
    if not _FIELDS.issuperset(data):
        unknown = next(key for key in data if key not in _FIELDS)
        raise RulebookError(unknown, f"未知字段,可用字段:{'、'.join(sorted(_FIELDS))}")
    circumstance = data.get("circumstance")
    if type(circumstance) is not int:
        raise RulebookError("circumstance", "必填,须为第八条的项号(1–9 的整数)")
    discipline = data.get("violates_discipline", False)
    if type(discipline) is not bool:
        raise RulebookError("violates_discipline", "须为 true 或 false")
    decided = _date(data, "decided_on") or today or china_today()
    return Facts(
        role=_text(data, "role"),
        circumstance=circumstance,
        severity=_text(data, "severity"),
        decided_on=decided,
        conditions=_list(data, "conditions", str, "文字"),
        violates_discipline=discipline,
        lighter=_list(data, "lighter", int, "项号(整数)"),
        heavier=_list(data, "heavier", int, "项号(整数)"),
        earlier_decisions=_dates(data, "earlier_decisions"),
        occurred_on=_date(data, "occurred_on"),
        received_on=_date(data, "received_on"),
        imposed=_list(data, "imposed", str, "文字"),
    )


def assess_dict(
    data: Mapping[str, Any], *, rulebook: Rulebook | None = None, today: date | None = None
) -> dict[str, Any]:
    """The JSON contract of `accountability assess`: a dict in, a dict out."""
    return assess(facts_from_dict(data, today=today), rulebook=rulebook).to_dict()
