"""Rulebook versions: the county text's tables as in force from a date (第十九条).

A version is a folder of TOML tables under tables/versions/<id>/ (version,
subjects, measures, factors, restrictions, interpretations). Adding a revised
county text is adding a folder and its tests, not changing code.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from rulebook import regulation
from rulebook.calendar import HolidayCalendar, YearSchedule, package_schedules
from rulebook.dates import zh
from rulebook.errors import RulebookError

SHIPPED_VERSIONS = Path(str(resources.files("rulebook") / "tables" / "versions"))


@dataclass(frozen=True, slots=True)
class Role:
    name: str
    label: str
    ref: str
    duties_ref: str
    condition_group: str


@dataclass(frozen=True, slots=True)
class Circumstance:
    item: int
    ref: str
    summary: str
    text: str


@dataclass(frozen=True, slots=True)
class Factor:
    item: int
    ref: str
    text: str
    automatic: bool = False


@dataclass(frozen=True, slots=True)
class Measure:
    name: str
    kind: str
    rank: int
    ref: str
    basis: str = ""


@dataclass(frozen=True, slots=True)
class Tier:
    name: str
    rank: int
    ref: str
    measures: tuple[str, ...]
    required: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Period:
    """How long a measure bars a kind of advancement (第十七条 and the higher rules)."""

    measure: str
    kind: str
    certainty: str
    basis: str
    months: int | None = None
    span: str | None = None


@dataclass(frozen=True, slots=True)
class Interpretation:
    key: str
    title: str
    ref: str
    text: str
    value: Mapping[str, Any]
    json: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "json", self.as_dict())

    def as_dict(self) -> dict[str, str]:
        return {"key": self.key, "title": self.title, "ref": self.ref, "text": self.text}


@dataclass(frozen=True, slots=True)
class RulebookVersion:
    id: str
    title: str
    effective_from: date
    ref: str
    source: str
    assumption: str
    appeal_days: int
    appeal_ref: str
    appeal_to: str
    role_info: Mapping[str, Role]
    condition_groups: Mapping[str, tuple[str, ...]]
    conditions_ref: str
    circumstances: Mapping[int, Circumstance]
    catalogue: Mapping[str, Measure]
    tiers: Mapping[str, Tier]
    discipline_floor: str
    referral_tier: str
    lighter: Mapping[int, Factor]
    heavier: Mapping[int, Factor]
    lighter_ref: str
    heavier_ref: str
    repeat_item: int
    repeat_threshold: int
    periods: Mapping[str, tuple[Period, ...]]
    restrictions_ref: str
    restriction_tiers: frozenset[str]
    restriction_min_rank: int
    interpretations: Mapping[str, Interpretation]

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(self.role_info)

    @property
    def conditions(self) -> dict[str, tuple[str, ...]]:
        """Art 8(1)'s failings open to each role."""
        return {
            name: self.condition_groups.get(role.condition_group, ())
            for name, role in self.role_info.items()
        }

    @property
    def severities(self) -> tuple[str, ...]:
        return tuple(self.tiers)

    @property
    def measures(self) -> dict[str, tuple[Measure, ...]]:
        return {t.name: tuple(self.catalogue[m] for m in t.measures) for t in self.tiers.values()}

    @property
    def measure_names(self) -> tuple[str, ...]:
        return tuple(self.catalogue)

    def tier_below(self, tier: str) -> Tier | None:
        rank = self.tiers[tier].rank
        below = [t for t in self.tiers.values() if t.rank == rank - 1]
        return below[0] if below else None

    def label(self) -> str:
        return f"“{self.id}”({zh(self.effective_from)}起施行)"


def _read(folder: Path, name: str) -> dict[str, Any]:
    path = folder / f"{name}.toml"
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RulebookError(None, f"规则版本数据无法读取:{path}:{exc}") from exc


def load_version(folder: Path) -> RulebookVersion:
    """One version from its folder of tables."""
    meta = _read(folder, "version")
    subjects = _read(folder, "subjects")
    measures = _read(folder, "measures")
    factors = _read(folder, "factors")
    restrictions = _read(folder, "restrictions")
    interpretations = _read(folder, "interpretations")
    try:
        conditions = dict(subjects["conditions"])
        conditions_ref = conditions.pop("ref")
        periods: dict[str, list[Period]] = {}
        for p in restrictions.get("period", []):
            periods.setdefault(p["measure"], []).append(Period(**p))
        return RulebookVersion(
            id=meta["id"],
            title=meta["title"],
            effective_from=meta["effective_from"],
            ref=meta["ref"],
            source=meta["source"],
            assumption=meta.get("assumption", ""),
            appeal_days=meta["appeal"]["days"],
            appeal_ref=meta["appeal"]["ref"],
            appeal_to=meta["appeal"]["to"],
            role_info={r["name"]: Role(**r) for r in subjects["role"]},
            condition_groups={k: tuple(v) for k, v in conditions.items()},
            conditions_ref=conditions_ref,
            circumstances={
                c["item"]: Circumstance(text=_quote_or_empty(c["ref"]), **c)
                for c in subjects["circumstance"]
            },
            catalogue={m["name"]: Measure(**m) for m in measures["measure"]},
            tiers={
                t["name"]: Tier(
                    name=t["name"],
                    rank=t["rank"],
                    ref=t["ref"],
                    measures=tuple(t["measures"]),
                    required=tuple(t.get("required", ())),
                )
                for t in sorted(measures["tier"], key=lambda t: t["rank"])
            },
            discipline_floor=measures["rules"]["discipline_floor"],
            referral_tier=measures["rules"]["referral_tier"],
            lighter={f["item"]: Factor(**f) for f in factors["lighter"]["item"]},
            heavier={f["item"]: Factor(**f) for f in factors["heavier"]["item"]},
            lighter_ref=factors["lighter"]["ref"],
            heavier_ref=factors["heavier"]["ref"],
            repeat_item=factors["heavier"]["repeat_item"],
            repeat_threshold=factors["heavier"]["repeat_threshold"],
            periods={k: tuple(v) for k, v in periods.items()},
            restrictions_ref=restrictions["rules"]["ref"],
            restriction_tiers=frozenset(restrictions["rules"]["tiers"]),
            restriction_min_rank=restrictions["rules"]["min_rank"],
            interpretations={
                i["key"]: Interpretation(
                    key=i["key"],
                    title=i["title"],
                    ref=i["ref"],
                    text=i["text"],
                    value=i.get("value", {}),
                )
                for i in interpretations["interpretation"]
            },
        )
    except (KeyError, TypeError) as exc:
        raise RulebookError(None, f"规则版本 {folder.name} 的数据不完整:{exc!r}") from exc


def _quote_or_empty(ref: str) -> str:
    return regulation.quote(ref) if regulation.exists(ref) else ""


class Rulebook:
    """All versions, ordered by the date they take effect, and the holiday calendar."""

    def __init__(self, versions: Iterable[RulebookVersion], calendar: HolidayCalendar):
        self.versions: tuple[RulebookVersion, ...] = tuple(
            sorted(versions, key=lambda v: v.effective_from)
        )
        if not self.versions:
            raise RulebookError(None, "没有可用的规则版本")
        self.calendar = calendar
        self._at: dict[date, RulebookVersion] = {}
        # The engine's store of computed parts for this rulebook (rulebook.engine._Memo).
        self.memo: object = None

    @property
    def first(self) -> RulebookVersion:
        return self.versions[0]

    def version_at(self, day: date, *, field: str = "decided_on") -> RulebookVersion:
        """The version in force on `day`; a day before the first version is an error."""
        hit = self._at.get(day)
        if hit is not None:
            return hit
        found = None
        for version in self.versions:
            if version.effective_from <= day:
                found = version
            else:
                break
        if found is None:
            raise RulebookError(
                field,
                f"{zh(day)}早于首个规则版本的施行日{zh(self.first.effective_from)}"
                f"(第十九条:本办法自印发之日起施行),不能适用本办法",
            )
        if len(self._at) > 100_000:
            self._at.clear()
        self._at[day] = found
        return found


def load(
    extra_schedules: Iterable[YearSchedule] = (),
    *,
    version_dirs: Iterable[Path] | None = None,
) -> Rulebook:
    """The rulebook: shipped versions (or those in `version_dirs`) and the calendar.

    `extra_schedules` add or replace years of the holiday calendar (an
    administrator's data); without them the result is cached.
    """
    extra = tuple(extra_schedules)
    dirs = None if version_dirs is None else tuple(version_dirs)
    if not extra and dirs is None:
        return _default()
    base = _default()
    versions = base.versions if dirs is None else tuple(_load_dirs(dirs))
    return Rulebook(versions, base.calendar.with_schedules(extra))


def _load_dirs(dirs: Iterable[Path]) -> list[RulebookVersion]:
    return [load_version(d) for d in dirs]


def shipped_version_dirs() -> list[Path]:
    return sorted(p for p in SHIPPED_VERSIONS.iterdir() if (p / "version.toml").exists())


@cache
def _default() -> Rulebook:
    versions = _load_dirs(shipped_version_dirs())
    weekends = all(
        v.interpretations["appeal_counting"].value.get("weekends_are_rest_days", True)
        for v in versions
        if "appeal_counting" in v.interpretations
    )
    return Rulebook(versions, HolidayCalendar(package_schedules(), weekends_are_rest_days=weekends))
