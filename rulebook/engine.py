"""assess(): the facts of one person's case → the rulebook's result, explained.

The steps follow the regulation's order: which version (第十九条), who and what
(第五条, 第八条), the tier (第十条), the factors (第十四条, 第十五条), the appeal
period (第十六条) and the restrictions (第十七条).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from itertools import chain
from typing import Any, TypeVar

from rulebook import regulation
from rulebook.dates import china_today, zh
from rulebook.errors import RulebookError
from rulebook.model import Assessment, Facts, Part, Restriction, Trace
from rulebook.rules import appeal, factors, restrictions, subject, tiers
from rulebook.rules import versions as choice
from rulebook.versions import Interpretation, Rulebook, RulebookVersion, Tier, load

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class _Static:
    """What follows from the facts without their dates: subject, tier, factors."""

    tier: Tier
    heaviest_rank: int
    reduced: tuple[str, ...]
    lighter: bool
    heavier: bool
    part: Part


@dataclass(slots=True)
class _Draft:
    version: RulebookVersion
    tier: str
    tier_rank: int
    heaviest_rank: int
    measure_count: int
    measures: tuple[str, ...]
    adjustments: tuple[str, ...]
    reduced: tuple[str, ...]
    count: int
    deadline: date | None
    restrictions: tuple[Restriction, ...]
    parts: tuple[Part, ...]
    shape: tuple[object, ...]


def _static(version: RulebookVersion, facts: Facts) -> _Static:
    subject.check_subject(version, facts)
    tiers.check_severity(version, facts)
    factors.check_factors(version, facts)
    trace = Trace()
    subject.explain_subject(version, facts, trace)
    tier = tiers.applicable_tier(version, facts)
    tiers.explain_tier(version, facts, tier, trace)
    reduced = factors.explain_lighter(version, facts, tier, trace)
    heavier = factors.explain_heavier(version, facts, tier, trace)
    return _Static(
        tier=tier,
        heaviest_rank=max(version.catalogue[m].rank for m in tier.measures),
        reduced=reduced,
        lighter=bool(facts.lighter),
        heavier=heavier,
        part=trace.freeze(),
    )


def _repeat(version: RulebookVersion, facts: Facts, count: int) -> tuple[bool, Part]:
    trace = Trace()
    applies = factors.explain_repeat(version, facts, count, trace)
    return applies, trace.freeze()


def _both() -> Part:
    trace = Trace()
    factors.explain_both(trace)
    return trace.freeze()


def _appeal(version: RulebookVersion, facts: Facts, book: Rulebook) -> tuple[date | None, Part]:
    trace = Trace()
    deadline = appeal.appeal_deadline(version, facts, book.calendar, trace)
    return deadline, trace.freeze()


def _measure_notes(version: RulebookVersion, facts: Facts, static: _Static) -> Part:
    trace = Trace()
    open_measures = static.tier.measures + static.reduced
    restrictions.explain_measures(version, facts, static.tier, open_measures, trace)
    return trace.freeze()


def _restrictions(version: RulebookVersion, facts: Facts) -> tuple[tuple[Restriction, ...], Part]:
    trace = Trace()
    found = restrictions.restrictions(version, facts, trace)
    return found, trace.freeze()


_LIMIT = 200_000


class _Memo:
    """Results of the pure parts of an assessment, per rulebook (its data never changes).

    Every rule is a pure function of its input, so a part computed once is
    reused; a table is emptied when it grows past _LIMIT entries.
    """

    def __init__(self) -> None:
        self.static: dict[tuple[object, ...], _Static] = {}
        self.repeat: dict[tuple[object, ...], tuple[bool, Part]] = {}
        self.appeal: dict[tuple[object, ...], tuple[date | None, Part]] = {}
        self.notes: dict[tuple[object, ...], Part] = {}
        self.restrictions: dict[tuple[object, ...], tuple[tuple[Restriction, ...], Part]] = {}
        self.meta: dict[tuple[object, ...], tuple[tuple[str, ...], tuple[Interpretation, ...]]] = {}
        self.reasons: dict[tuple[object, ...], str] = {}
        self.both = _both()

    @staticmethod
    def room(table: dict[tuple[object, ...], _T]) -> dict[tuple[object, ...], _T]:
        if len(table) >= _LIMIT:
            table.clear()
        return table


def _memo(book: Rulebook) -> _Memo:
    memo = book.memo
    if memo is None or not isinstance(memo, _Memo):
        memo = book.memo = _Memo()
    return memo


def _evaluate(version: RulebookVersion, facts: Facts, book: Rulebook, memo: _Memo) -> _Draft:
    key = (
        version.id,
        facts.role,
        facts.circumstance,
        facts.conditions,
        facts.severity,
        facts.violates_discipline,
        facts.lighter,
        facts.heavier,
    )
    static = memo.static.get(key)
    if static is None:
        static = memo.room(memo.static)[key] = _static(version, facts)
    if facts.earlier_decisions:
        factors.check_earlier(facts)
    if facts.received_on is not None:
        appeal.check_receipt(facts)
    if facts.imposed:
        restrictions.check_imposed(version, facts)

    parts = [static.part]
    count = factors.accountable_in_year(version, facts)
    heavier = static.heavier
    if facts.earlier_decisions:
        rkey = (version.id, facts.decided_on, count)
        repeat = memo.repeat.get(rkey)
        if repeat is None:
            repeat = memo.room(memo.repeat)[rkey] = _repeat(version, facts, count)
        heavier = heavier or repeat[0]
        parts.append(repeat[1])
    if static.lighter and heavier:
        parts.append(memo.both)
    adjusted = ("从轻或者减轻",) if static.lighter else ()
    if heavier:
        adjusted = (*adjusted, "从重")

    deadline: date | None = None
    if facts.received_on is not None:
        akey = (version.id, facts.received_on)
        cached = memo.appeal.get(akey)
        if cached is None:
            cached = memo.room(memo.appeal)[akey] = _appeal(version, facts, book)
        deadline = cached[0]
        parts.append(cached[1])

    found: tuple[Restriction, ...] = ()
    if facts.imposed:
        nkey = (
            version.id,
            static.tier.name,
            facts.violates_discipline,
            static.reduced,
            facts.imposed,
        )
        notes = memo.notes.get(nkey)
        if notes is None:
            notes = memo.room(memo.notes)[nkey] = _measure_notes(version, facts, static)
        parts.append(notes)
        ikey = (version.id, facts.imposed, facts.decided_on)
        hit = memo.restrictions.get(ikey)
        if hit is None:
            hit = memo.room(memo.restrictions)[ikey] = _restrictions(version, facts)
        found = hit[0]
        parts.append(hit[1])

    tier = static.tier
    return _Draft(
        version=version,
        tier=tier.name,
        tier_rank=tier.rank,
        heaviest_rank=static.heaviest_rank,
        measure_count=len(tier.measures),
        measures=tier.measures,
        adjustments=adjusted,
        reduced=static.reduced,
        count=count,
        deadline=deadline,
        restrictions=found,
        parts=tuple(parts),
        # What the citations and interpretations depend on: the parts present and their keys.
        shape=(version.id, *(part.signature for part in parts)),
    )


def assess(facts: Facts, *, rulebook: Rulebook | None = None) -> Assessment:
    """The rulebook's result for one person, with the articles and readings it used."""
    book = rulebook or load()
    memo = _memo(book)
    decided_on = facts.decided_on
    conduct_day = facts.conduct_date
    if conduct_day > decided_on:
        raise RulebookError(
            "occurred_on",
            f"行为发生日期{zh(conduct_day)}晚于决定日期{zh(decided_on)}",
        )
    new = book.version_at(decided_on)
    # Without a date of conduct, the decision's version is the conduct's too.
    old = new if facts.occurred_on is None else book.version_at(conduct_day, field="occurred_on")
    if old is new:
        draft = _evaluate(old, facts, book, memo)
    else:
        draft_old = _evaluate(old, facts, book, memo)
        try:
            draft_new: _Draft | None = _evaluate(new, facts, book, memo)
        except RulebookError:
            draft_new = None
        lighter = draft_new is not None and choice.severity_key(draft_new) < choice.severity_key(
            draft_old
        )
        draft = draft_new if lighter and draft_new is not None else draft_old
    version = draft.version
    reason_key = (version.id, old.id, new.id, facts.occurred_on, facts.decided_on)
    reason = memo.reasons.get(reason_key)
    if reason is None:
        conduct, decided = zh(conduct_day), zh(facts.decided_on)
        if old is new:
            given = conduct if facts.occurred_on else None
            reason = choice.same_version_reason(old, given, decided)
        else:
            reason = choice.choice_reason(version, old, new, conduct, decided)
        memo.room(memo.reasons)[reason_key] = reason
    parts = draft.parts
    meta = memo.meta.get(draft.shape)
    if meta is None:
        cited = {version.ref, *(ref for p in parts for ref in p.citations)}
        keys = dict.fromkeys(("version_choice", *(k for p in parts for k in p.interpretations)))
        meta = memo.room(memo.meta)[draft.shape] = (
            tuple(sorted(cited, key=regulation.sort_key)),
            tuple(version.interpretations[k] for k in keys),
        )
    citations, readings = meta
    explanation = (reason, *chain.from_iterable(part.explanation for part in parts))
    warnings = tuple(chain.from_iterable(part.warnings for part in parts))
    return Assessment(
        rulebook=version.id,
        tier=draft.tier,
        measures=draft.measures,
        adjustments=draft.adjustments,
        reduced_measures=draft.reduced,
        accountable_in_year=draft.count,
        citations=citations,
        appeal_deadline=draft.deadline,
        restrictions=draft.restrictions,
        interpretations=readings,
        explanation=explanation,
        warnings=warnings,
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
