"""Rulebook versions: the county text's tables as in force from a date (第十九条).

A version is a folder of TOML tables under tables/versions/<id>/ (version,
subjects, measures, factors, restrictions, interpretations). Adding a revised
county text is adding a folder and its tests, not changing code.

A version may inherit from the one before (`inherits = "<id>"` in its
version.toml): its folder then states only what it changes, and the tables are
the parent's merged with those changes. Tables merge key by key; a list of
entries ([[tier]], [[period]] …) merges entry by entry, each entry named by the
fields of ENTRY_KEYS (a tier by its name, a period by its measure and kind);
an entry with `removed = true` drops the parent's entry of that name; a list of
plain values (a tier's measures) is replaced whole.
"""

from __future__ import annotations

import tomllib
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rulebook import regulation
from rulebook.calendar import HolidayCalendar, YearSchedule, package_schedules
from rulebook.dates import zh
from rulebook.errors import RulebookError

if TYPE_CHECKING:
    from rulebook.compiled import Rules

SHIPPED_VERSIONS = Path(str(resources.files("rulebook") / "tables" / "versions"))
TABLES = ("version", "subjects", "measures", "factors", "restrictions", "interpretations")

# The fields that name an entry in each list of tables (for inheriting versions).
ENTRY_KEYS: Mapping[str, tuple[str, ...]] = {
    "role": ("name",),
    "circumstance": ("item",),
    "measure": ("name",),
    "tier": ("name",),
    "item": ("item",),
    "kind": ("name",),
    "period": ("measure", "kind"),
    "interpretation": ("key",),
}

# What a restriction kind can bar (a register asks "who is barred from promotion on D").
BARS = ("promotion", "award")


@dataclass(frozen=True, slots=True)
class Role:
    name: str
    label: str
    ref: str
    duties_ref: str
    condition_group: str
    #: A leading cadre (领导干部), whom Art 11 pursues directly: the roles of Art 6.
    leading: bool = False


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
    #: How a case names the severity of this tier (情节较轻 …); the name when unset.
    label: str = ""


@dataclass(frozen=True, slots=True)
class Kind:
    """A kind of restriction in the words of its source, with a stable machine name."""

    name: str
    label: str
    bars: tuple[str, ...]
    order: int = 0


@dataclass(frozen=True, slots=True)
class Period:
    """How long a measure restricts one kind of advancement (第十七条 and the higher rules).

    The period starts on the day of the decision, or `from_months` months after it, or on
    1 January after its year (`from_next_year`); it ends the day before the corresponding
    day `months` months after the decision, or on 31 December of the `years`-th calendar
    year counted from the year it starts in. `months = 0` states that the version sets no
    period of that kind for the measure.
    """

    measure: str
    kind: str
    certainty: str
    basis: str
    months: int | None = None
    years: int | None = None
    from_months: int = 0
    from_next_year: bool = False
    label: str = ""


def _in_words(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


@dataclass(frozen=True, slots=True)
class Interpretation:
    key: str
    title: str
    ref: str
    text: str
    value: Mapping[str, Any]
    # What each value means, in words (``value_labels`` in interpretations.toml): the pages show
    # "回溯的月数：12", never ``months = 12``. ``rulebook check`` wants a label for every value.
    value_labels: Mapping[str, str] = field(default_factory=dict)
    json: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "json", self.as_dict())

    def settings(self) -> list[tuple[str, str]]:
        """The values as (label, value in words) pairs, in the table's order."""
        return [
            (self.value_labels.get(name, name), _in_words(value))
            for name, value in self.value.items()
        ]

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
    appeal_form: str
    role_info: Mapping[str, Role]
    condition_groups: Mapping[str, tuple[str, ...]]
    conditions_ref: str
    circumstances: Mapping[int, Circumstance]
    catalogue: Mapping[str, Measure]
    tiers: Mapping[str, Tier]
    discipline_floor: str
    discipline_ref: str
    referral_tier: str
    lighter: Mapping[int, Factor]
    heavier: Mapping[int, Factor]
    lighter_ref: str
    heavier_ref: str
    lighter_adjustment: str
    heavier_adjustment: str
    repeat_item: int
    repeat_threshold: int
    kinds: Mapping[str, Kind]
    periods: Mapping[str, tuple[Period, ...]]
    restrictions_ref: str
    restriction_tiers: frozenset[str]
    restriction_min_rank: int
    interpretations: Mapping[str, Interpretation]
    #: The version this one inherits from, and the tables its own folder states.
    inherits: str | None = None
    stated: tuple[str, ...] = TABLES
    #: The merged tables as read (what a version inheriting from this one starts from).
    tables: Mapping[str, Mapping[str, Any]] = field(default_factory=dict, repr=False)
    _rules: Rules | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def rules(self) -> Rules:
        """The tables compiled for assess(), once per version (on first use)."""
        rules = self._rules
        if rules is None:
            from rulebook.compiled import compile_rules

            rules = compile_rules(self)
            object.__setattr__(self, "_rules", rules)
        return rules

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


# --- reading and merging the tables ---------------------------------------------------------


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RulebookError(None, f"规则版本数据无法读取:{path}:{exc}") from exc


def read_folder(folder: Path) -> dict[str, dict[str, Any]]:
    """The tables a version's folder states (an inheriting folder may leave some out)."""
    found = {}
    for name in TABLES:
        path = folder / f"{name}.toml"
        if path.exists():
            found[name] = _read(path)
    return found


def merge(base: Mapping[str, Any], change: Mapping[str, Any]) -> dict[str, Any]:
    """`base` with `change` applied (see the module docstring)."""
    merged = dict(base)
    for key, value in change.items():
        old = merged.get(key)
        if isinstance(value, dict) and isinstance(old, dict):
            merged[key] = merge(old, value)
        elif key in ENTRY_KEYS and isinstance(value, list):
            merged[key] = _merge_entries(old or [], value, ENTRY_KEYS[key])
        else:
            merged[key] = value
    return merged


def _merge_entries(
    base: list[dict[str, Any]], change: list[dict[str, Any]], keys: tuple[str, ...]
) -> list[dict[str, Any]]:
    def name(entry: Mapping[str, Any]) -> tuple[Any, ...]:
        try:
            return tuple(entry[k] for k in keys)
        except KeyError as exc:
            raise RulebookError(None, f"继承版本的条目须写明 {'、'.join(keys)}:{entry!r}") from exc

    entries = {name(e): dict(e) for e in base}
    for entry in change:
        key = name(entry)
        if entry.get("removed") is True:
            if entries.pop(key, None) is None:
                raise RulebookError(None, f"继承版本要删除的条目不存在:{key!r}")
        elif key in entries:
            entries[key] = merge(entries[key], entry)
        else:
            entries[key] = dict(entry)
    return list(entries.values())


def load_version(folder: Path, *, parent: RulebookVersion | None = None) -> RulebookVersion:
    """One version from its folder; with `parent`, the folder states only what it changes."""
    stated = read_folder(folder)
    inherits = stated.get("version", {}).get("inherits")
    if inherits is not None and (parent is None or parent.id != inherits):
        raise RulebookError(None, f"规则版本 {folder.name} 继承的版本“{inherits}”未载入")
    if parent is not None and inherits is None:
        raise RulebookError(None, f"规则版本 {folder.name} 未写明所继承的版本(inherits)")
    if parent is None:
        missing = [name for name in TABLES if name not in stated]
        if missing:
            raise RulebookError(None, f"规则版本 {folder.name} 缺少数据表:{'、'.join(missing)}")
        tables = stated
    else:
        tables = {name: merge(parent.tables.get(name, {}), stated.get(name, {})) for name in TABLES}
        tables["version"].pop("inherits", None)
    try:
        return _version(tables, inherits=inherits, stated=tuple(n for n in TABLES if n in stated))
    except (KeyError, TypeError, ValueError) as exc:
        raise RulebookError(None, f"规则版本 {folder.name} 的数据不完整:{exc!r}") from exc


def _version(
    tables: Mapping[str, Mapping[str, Any]], *, inherits: str | None, stated: tuple[str, ...]
) -> RulebookVersion:
    meta, subjects, measures = tables["version"], tables["subjects"], tables["measures"]
    factors, restrictions = tables["factors"], tables["restrictions"]
    conditions = dict(subjects["conditions"])
    conditions_ref = conditions.pop("ref")
    kinds = {
        k["name"]: Kind(name=k["name"], label=k["label"], bars=tuple(k["bars"]), order=order)
        for order, k in enumerate(restrictions["kind"])
    }
    periods: dict[str, list[Period]] = {}
    for p in restrictions.get("period", []):
        kind = kinds.get(p["kind"])
        label = kind.label if kind else ""
        periods.setdefault(p["measure"], []).append(Period(**p, label=label))
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
        appeal_form=meta["appeal"]["form"],
        role_info={r["name"]: Role(**r) for r in subjects["role"]},
        condition_groups={k: tuple(v) for k, v in conditions.items()},
        conditions_ref=conditions_ref,
        circumstances={
            c["item"]: Circumstance(text=_quote_or_empty(c["ref"]), **c)
            for c in sorted(subjects["circumstance"], key=lambda c: c["item"])
        },
        catalogue={m["name"]: Measure(**m) for m in measures["measure"]},
        tiers={
            t["name"]: Tier(
                name=t["name"],
                rank=t["rank"],
                ref=t["ref"],
                measures=tuple(t["measures"]),
                required=tuple(t.get("required", ())),
                label=t.get("label", t["name"]),
            )
            for t in sorted(measures["tier"], key=lambda t: t["rank"])
        },
        discipline_floor=measures["rules"]["discipline_floor"],
        discipline_ref=measures["rules"]["discipline_ref"],
        referral_tier=measures["rules"]["referral_tier"],
        lighter={f["item"]: Factor(**f) for f in factors["lighter"]["item"]},
        heavier={f["item"]: Factor(**f) for f in factors["heavier"]["item"]},
        lighter_ref=factors["lighter"]["ref"],
        heavier_ref=factors["heavier"]["ref"],
        lighter_adjustment=factors["lighter"]["adjustment"],
        heavier_adjustment=factors["heavier"]["adjustment"],
        repeat_item=factors["heavier"]["repeat_item"],
        repeat_threshold=factors["heavier"]["repeat_threshold"],
        kinds=kinds,
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
                value_labels=i.get("value_labels", {}),
            )
            for i in tables["interpretations"]["interpretation"]
        },
        inherits=inherits,
        stated=stated,
        tables=tables,
    )


def _quote_or_empty(ref: str) -> str:
    return regulation.quote(ref) if regulation.exists(ref) else ""


def load_versions(dirs: Iterable[Path]) -> list[RulebookVersion]:
    """The versions of `dirs`, each after the version it inherits from."""
    folders = {}
    for folder in dirs:
        meta = _read(folder / "version.toml")
        folders[str(meta.get("id", folder.name))] = (folder, meta.get("inherits"))
    loaded: dict[str, RulebookVersion] = {}

    def get(version_id: str, chain: tuple[str, ...] = ()) -> RulebookVersion:
        if version_id in chain:
            raise RulebookError(None, f"规则版本循环继承:{' → '.join((*chain, version_id))}")
        if version_id not in loaded:
            if version_id not in folders:
                raise RulebookError(None, f"规则版本 {chain[-1]} 继承的版本“{version_id}”未载入")
            folder, inherits = folders[version_id]
            parent = get(inherits, (*chain, version_id)) if inherits else None
            loaded[version_id] = load_version(folder, parent=parent)
        return loaded[version_id]

    return [get(version_id) for version_id in folders]


# --- the rulebook ---------------------------------------------------------------------------


class Rulebook:
    """All versions, ordered by the date they take effect, and the holiday calendar.

    A version's tables are compiled once, the first time it assesses (RulebookVersion.rules),
    and shared by every rulebook made with it (load() with extra holiday years reuses them).
    """

    def __init__(self, versions: Iterable[RulebookVersion], calendar: HolidayCalendar):
        self.versions: tuple[RulebookVersion, ...] = tuple(
            sorted(versions, key=lambda v: v.effective_from)
        )
        if not self.versions:
            raise RulebookError(None, "没有可用的规则版本")
        self.calendar = calendar
        self._starts = tuple(v.effective_from for v in self.versions)

    @property
    def first(self) -> RulebookVersion:
        return self.versions[0]

    def version_at(self, day: date, *, field: str = "decided_on") -> RulebookVersion:
        """The version in force on `day`; a day before the first version is an error."""
        if day >= self._starts[-1]:  # the latest version (most decisions)
            return self.versions[-1]
        index = bisect_right(self._starts, day) - 1
        if index < 0:
            raise RulebookError(
                field,
                f"{zh(day)}早于首个规则版本的施行日{zh(self.first.effective_from)}"
                f"(第十九条:本办法自印发之日起施行),不能适用本办法",
            )
        return self.versions[index]


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
    versions = base.versions if dirs is None else tuple(load_versions(dirs))
    return Rulebook(versions, base.calendar.with_schedules(extra) if extra else base.calendar)


def shipped_version_dirs() -> list[Path]:
    return sorted(p for p in SHIPPED_VERSIONS.iterdir() if (p / "version.toml").exists())


@cache
def _default() -> Rulebook:
    versions = load_versions(shipped_version_dirs())
    weekends = all(
        v.interpretations["appeal_counting"].value.get("weekends_are_rest_days", True)
        for v in versions
        if "appeal_counting" in v.interpretations
    )
    return Rulebook(versions, HolidayCalendar(package_schedules(), weekends_are_rest_days=weekends))
