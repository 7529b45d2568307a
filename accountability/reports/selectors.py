"""Reads for the statistics ("the year in figures"): every figure is one aggregate query.

All reads of the reports app are in this module, on the database alias of the setting
``REPORTS_DATABASE`` (default ``default``): pointing it at a PostgreSQL replica sends every
statistics read there and nothing else. Signatures:

    viewer_for_user(*, user) -> Viewer                     (PermissionDenied for other roles)
    statistics_for(*, viewer, organ_id, period, today=None, source=None) -> Statistics
    source_for(name=None) -> Source                        (live, or the summary tables)
    latest_refresh() -> SummaryRefresh | None
    org_tree() -> OrgTree

What is counted (the definitions the page states under each table):

* 人次 (person-decisions): one per person's decision whose current version is 追究责任
  (a decision revoked on appeal no longer counts; one changed on appeal counts with its new
  measures), dated by the decision date. People are counted where they work: the figures of an
  organ are those of the people whose unit (所在单位) is that organ or below it.
* 案件 (cases): case-level figures (clues received, their sources, the time per step) are
  counted by the organ that handles the case (办理机关, Art 11) and dated by the day the clue
  was received (time per step: by the day the step ended). In a table of people, 涉及案件 is
  the number of different cases those people's decisions belong to (a case with two people
  counts once in the total, and in each row it appears in).
* Deadlines are counted for the period in which they fall and judged as of today.

Scale: the number of queries does not depend on the data (see ``tests/test_queries.py``);
no row is loaded into Python, only the groups of each query (bounded by the number of
organisations, months and dimension values). The indexes the queries rely on are in
``indexes.py`` (proposed for the cases app) and ``models.py``, each with its query. At a
province's scale the figures about people and the time per step read the summary tables of
``models.py`` instead (``Source``); docs/reports.md describes both.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import (
    Count,
    DateField,
    ExpressionWrapper,
    F,
    Min,
    Q,
    QuerySet,
    Sum,
    Window,
)
from django.db.models.functions import Cast, ExtractMonth, ExtractYear, Lead
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

import rulebook
from accountability.cases.access import COMMISSION_KINDS
from accountability.cases.models import (
    Appeal,
    Case,
    CaseParty,
    Decision,
    DecisionVersion,
    Outcome,
    Rectification,
    TransitionLog,
)
from accountability.cases.workflow import ADMIN_ROLES, State
from accountability.common.errors import DomainError, PermissionDenied
from accountability.common.i18n import join_list
from accountability.people.models import Organisation
from accountability.reports.models import DecisionFact, MeasureFact, StayFact, SummaryRefresh
from accountability.reports.permissions import STATISTICS_VIEWERS
from accountability.reports.tables import Chart, Column, Row, Table, sum_rows

MSG_ROLE = _(
    "您的角色无权查看统计。统计仅向监督室工作人员、监督室负责人、分管(联系)领导、"
    "市纪委监督室工作人员和乡镇纪委工作人员开放。"
)
MSG_ADMIN = _("系统管理员、安全管理员和审计管理员不能查看案件统计（三员分立）。")
MSG_NO_COMMISSION = _("您的账号未关联纪委监委或其内设机构，无法确定统计范围（第十一条）。")
MSG_ORGAN = _("所选单位不在您的管理权限范围内（第十一条），只能选择本机关及其下级单位。")

DEFAULT_APPEAL_REVIEW_DAYS = 30


def statistics_db() -> str:
    """The database alias every statistics read uses (setting REPORTS_DATABASE)."""
    return str(getattr(settings, "REPORTS_DATABASE", "") or "default")


def appeal_review_days() -> int:
    """Days within which an appeal should be reviewed (setting REPORTS_APPEAL_REVIEW_DAYS).

    The county text sets no period for the review (Art 16 sets only the 15 days to appeal);
    the default, 30 days from receipt, is the one month of the higher rules (问责条例, 监察法
    art 56), an interpretation shown on the page.
    """
    return int(getattr(settings, "REPORTS_APPEAL_REVIEW_DAYS", DEFAULT_APPEAL_REVIEW_DAYS))


# ---------------------------------------------------------------------------------------------
# The organisation tree and who sees what


@dataclass(frozen=True)
class Org:
    id: int
    parent_id: int | None
    name: str
    kind: str
    code: str

    @property
    def is_commission(self) -> bool:
        return self.kind in COMMISSION_KINDS


@dataclass(frozen=True)
class OrgTree:
    """The registry's organisations, loaded in one query (they are few beside the cases)."""

    nodes: Mapping[int, Org]
    children: Mapping[int | None, tuple[int, ...]]

    def commission_of(self, org_id: int | None) -> Org | None:
        """The commission ``org_id`` belongs to (itself when it is one), as cases.access does."""
        seen = 0
        while org_id is not None and seen < 50:
            org = self.nodes.get(org_id)
            if org is None:
                return None
            if org.is_commission:
                return org
            org_id = org.parent_id
            seen += 1
        return None

    def subtree(self, org_id: int) -> frozenset[int]:
        return frozenset(org.id for org, _ in self.walk(org_id))

    def walk(self, org_id: int) -> Iterator[tuple[Org, int]]:
        """``org_id`` and everything below it, in code order, with the depth below it."""
        stack = [(org_id, 0)]
        seen: set[int] = set()
        while stack:
            pk, depth = stack.pop()
            if pk in seen or pk not in self.nodes:
                continue
            seen.add(pk)
            yield self.nodes[pk], depth
            # Offices before the commissions below (townships, counties), each by code.
            kids = sorted(
                self.children.get(pk, ()),
                key=lambda k: (self.nodes[k].is_commission, self.nodes[k].code),
            )
            stack.extend((kid, depth + 1) for kid in reversed(kids))

    def sections(self, organ_id: int) -> list[Section]:
        """The organ's own units, then each commission directly below it, with their units.

        For a county: the county's own organs (its offices, dispatched groups …) and each
        township; for the city: the city's own organs and each county (townships included).
        """
        below: list[int] = []
        for org, depth in self.walk(organ_id):
            if depth and org.is_commission:
                parent = self.commission_of(org.parent_id)
                if parent is not None and parent.id == organ_id:
                    below.append(org.id)
        taken: set[int] = set()
        result = []
        for pk in below:
            ids = self.subtree(pk)
            taken |= ids
            result.append(Section(self.nodes[pk], ids, own=False))
        own = self.subtree(organ_id) - taken
        return [Section(self.nodes[organ_id], frozenset(own), own=True), *result]


@dataclass(frozen=True)
class Section:
    """A row of the side-by-side table: an organ and the organisations counted under it."""

    org: Org
    ids: frozenset[int]
    own: bool

    @property
    def label(self) -> str:
        if self.own:
            return gettext("{name}（本级）").format(name=self.org.name)
        return self.org.name


def org_tree() -> OrgTree:
    rows = Organisation.objects.using(statistics_db()).values_list(
        "pk", "parent_id", "name", "kind", "code"
    )
    nodes: dict[int, Org] = {}
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent_id, name, kind, code in rows:
        nodes[pk] = Org(pk, parent_id, name, kind, code)
        children[parent_id].append(pk)
    return OrgTree(nodes, {k: tuple(v) for k, v in children.items()})


@dataclass(frozen=True)
class Viewer:
    """A user allowed to see statistics, their commission and the organs they may choose."""

    user: Any
    tree: OrgTree
    commission: Org

    @property
    def organ_ids(self) -> frozenset[int]:
        return self.tree.subtree(self.commission.id)

    def organ_choices(self) -> list[tuple[int, str]]:
        """The organs the user may choose, in tree order, indented by depth."""
        return [
            (org.id, "\u00a0\u00a0" * depth + org.name)
            for org, depth in self.tree.walk(self.commission.id)
        ]


def viewer_for_user(*, user: Any) -> Viewer:
    """The statistics viewer ``user`` is, or PermissionDenied (roles of STATISTICS_VIEWERS)."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied()
    role = getattr(user, "role", None)
    if role in ADMIN_ROLES:
        raise PermissionDenied(MSG_ADMIN, code="administrator")
    if role not in STATISTICS_VIEWERS or not getattr(user, "is_active", False):
        raise PermissionDenied(MSG_ROLE, code="role_not_allowed")
    tree = org_tree()
    commission = tree.commission_of(getattr(user, "organisation_id", None))
    if commission is None:
        raise PermissionDenied(MSG_NO_COMMISSION, code="no_commission")
    return Viewer(user=user, tree=tree, commission=commission)


# ---------------------------------------------------------------------------------------------
# Period and scope


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    #: Set when the period is a calendar year (the default filter).
    year: int | None = None

    @classmethod
    def for_year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31), year)

    def months(self) -> list[tuple[int, int]]:
        months = []
        y, m = self.start.year, self.start.month
        while (y, m) <= (self.end.year, self.end.month):
            months.append((y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return months

    @property
    def label(self) -> str:
        if self.year is not None:
            return gettext("{year}年").format(year=self.year)
        return gettext("{start}至{end}").format(
            start=self.start.isoformat(), end=self.end.isoformat()
        )

    def bounds(self) -> tuple[datetime, datetime]:
        """The period as aware datetimes: its first moment and the first moment after it."""
        zone = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=zone),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone),
        )


@dataclass(frozen=True)
class Source:
    """Where the figures about people and the time per step come from, and their lookups.

    ``live``: the cases tables themselves; ``summary``: the tables of models.py as the last
    refresh left them (``as_of``). Either way the same aggregate queries run on them.
    """

    name: str
    unit: str
    case: str
    outcome: str
    circumstance: str
    severity: str
    kind: str
    scope: str
    as_of: datetime | None = None

    @property
    def is_summary(self) -> bool:
        return self.name == "summary"


LIVE = Source(
    "live",
    unit="party__person__unit_id",
    case="party__case_id",
    outcome="current_version__outcome",
    circumstance="party__circumstance",
    severity="party__severity",
    kind="party__responsibility_kind",
    scope="party__responsibility_scope",
)
SUMMARY = Source(
    "summary",
    unit="unit_id",
    case="case_id",
    outcome="outcome",
    circumstance="circumstance",
    severity="severity",
    kind="kind",
    scope="scope",
)


def latest_refresh() -> SummaryRefresh | None:
    return SummaryRefresh.objects.using(statistics_db()).order_by("-started_at", "-id").first()


def source_for(name: str | None = None) -> Source:
    """The source of the setting REPORTS_SOURCE (live | summary); a summary never refreshed
    falls back to live figures."""
    name = name or str(getattr(settings, "REPORTS_SOURCE", "live") or "live")
    if name != "summary":
        return LIVE
    refresh = latest_refresh()
    if refresh is None:
        return LIVE
    return replace(SUMMARY, as_of=refresh.started_at)


@dataclass(frozen=True)
class Scope:
    viewer: Viewer
    organ: Org
    period: Period
    today: date
    ids: frozenset[int]
    #: The organ's tree is the whole registry: the organ filter can be left out.
    everything: bool
    source: Source = LIVE

    def in_tree(self, lookup: str) -> Q:
        """Rows whose organisation id (``lookup``) is the organ or below it."""
        if self.everything:
            return Q()
        return Q(**{f"{lookup}__in": sorted(self.ids)})


def scope_for(
    *, viewer: Viewer, organ_id: int | None, period: Period, today: date, source: Source = LIVE
) -> Scope:
    organ_id = viewer.commission.id if organ_id is None else int(organ_id)
    if organ_id not in viewer.organ_ids:
        raise DomainError(MSG_ORGAN, field="organ", code="organ_out_of_scope")
    ids = viewer.tree.subtree(organ_id)
    return Scope(
        viewer=viewer,
        organ=viewer.tree.nodes[organ_id],
        period=period,
        today=today,
        ids=ids,
        everything=len(ids) == len(viewer.tree.nodes),
        source=source,
    )


# ---------------------------------------------------------------------------------------------
# The base sets


def _decisions(scope: Scope) -> QuerySet[Any]:
    """Every decision made in the period about the people in scope (any outcome)."""
    p = scope.period
    src = scope.source
    if src.is_summary:
        rows: QuerySet[Any] = DecisionFact.objects.using(statistics_db())
    else:
        rows = Decision.objects.using(statistics_db())
    return rows.filter(
        scope.in_tree(src.unit), decided_on__gte=p.start, decided_on__lte=p.end
    ).order_by()


def _outcome(scope: Scope, outcome: str) -> Q:
    return Q(**{scope.source.outcome: outcome})


def _pursued(scope: Scope) -> QuerySet[Any]:
    return _decisions(scope).filter(_outcome(scope, Outcome.PURSUE))


def _cases(scope: Scope) -> QuerySet[Case]:
    """Cases handled in scope whose clue was received in the period."""
    p = scope.period
    return (
        Case.objects.using(statistics_db())
        .filter(
            scope.in_tree("handling_organ_id"), received_on__gte=p.start, received_on__lte=p.end
        )
        .order_by()
    )


def _people_and_cases(scope: Scope) -> dict[str, Any]:
    return {"people": Count("pk"), "cases": Count(scope.source.case, distinct=True)}


def _grouped(qs: QuerySet[Any], *keys: str, **aggregates: Any) -> dict[Any, dict[str, Any]]:
    """``{key or (keys…): {aggregate: value}}`` of a GROUP BY query."""
    result: dict[Any, dict[str, Any]] = {}
    for row in qs.values(*keys).annotate(**aggregates).order_by():
        key = row[keys[0]] if len(keys) == 1 else tuple(row[k] for k in keys)
        result[key] = {name: row[name] for name in aggregates}
    return result


# ---------------------------------------------------------------------------------------------
# Labels


def _rulebook_version(period: Period) -> Any:
    book = rulebook.load()
    day = max(period.end, book.first.effective_from)
    return book.version_at(day)


def circumstance_label(version: Any, item: int | None) -> str:
    if item is None:
        return gettext("未认定情形")
    ref = rulebook.regulation.item_ref(8, item)
    found = version.circumstances.get(item)
    return f"{ref} {found.summary}" if found else ref


SEVERITIES = tuple(CaseParty.Severity)
KINDS = tuple(CaseParty.ResponsibilityKind)
SCOPES = tuple(CaseParty.ResponsibilityScope)

# The steps of Art 13 as the states a case waits in, in the order of the procedure.
STEPS: tuple[tuple[str, Any], ...] = (
    (State.CLUE_REGISTERED, _("线索受理审批（登记至受理或不予受理）")),
    (State.ACCEPTED, _("成立调查组（受理至调查核实）")),
    (State.INVESTIGATING, _("调查核实（至提交调查报告）")),
    (State.REPORTED, _("研究决定（调查报告至常委会决定）")),
    (State.DECIDED, pgettext_lazy("statistics", "印发决定文书")),
    (State.ISSUED, _("送达决定")),
    (State.DELIVERED, _("归档和备案")),
    (State.FILED, pgettext_lazy("statistics", "办结")),
)


# ---------------------------------------------------------------------------------------------
# The figures


#: The unit chart draws the units with the most people (the table lists every unit).
UNITS_IN_CHART = 20

PEOPLE = _("人次")
CASES = _("件")
DAYS = _("天")


def _people_columns() -> tuple[Column, Column]:
    return (
        Column(pgettext("statistics", "追究责任"), str(PEOPLE)),
        Column(gettext("涉及案件"), str(CASES)),
    )


def _totals(scope: Scope) -> dict[str, int]:
    row = _pursued(scope).aggregate(**_people_and_cases(scope))
    return {"people": row["people"] or 0, "cases": row["cases"] or 0}


def _total_row(totals: Mapping[str, int], width: int = 2) -> Row:
    values: tuple[int | None, ...] = (totals["people"], totals["cases"])
    return Row(gettext("合计"), values + (None,) * (width - 2))


def by_month(scope: Scope, totals: Mapping[str, int]) -> Table:
    people = _grouped(
        _decisions(scope).annotate(y=ExtractYear("decided_on"), m=ExtractMonth("decided_on")),
        "y",
        "m",
        pursued=Count("pk", filter=_outcome(scope, Outcome.PURSUE)),
        cases=Count(scope.source.case, filter=_outcome(scope, Outcome.PURSUE), distinct=True),
        not_pursued=Count("pk", filter=_outcome(scope, Outcome.NOT_PURSUE)),
    )
    clues = _grouped(
        _cases(scope).annotate(y=ExtractYear("received_on"), m=ExtractMonth("received_on")),
        "y",
        "m",
        received=Count("pk"),
        rejected=Count("pk", filter=Q(state=State.REJECTED)),
    )
    many_years = scope.period.start.year != scope.period.end.year
    rows = []
    for y, m in scope.period.months():
        p = people.get((y, m), {})
        c = clues.get((y, m), {})
        label = str(MONTHS[m]) if not many_years else f"{y}-{m:02d}"
        rows.append(
            Row(
                label,
                (
                    c.get("received", 0),
                    c.get("rejected", 0),
                    p.get("pursued", 0),
                    p.get("cases", 0),
                    p.get("not_pursued", 0),
                ),
            )
        )
    total = sum_rows(rows, label=gettext("合计"))
    total = Row(total.label, (*total.values[:3], totals["cases"], total.values[4]))
    return Table(
        key="by_month",
        title=gettext("按月统计"),
        ref="第十三条",
        basis=gettext(
            "受理线索按收到线索日期、由办理机关统计；追究责任和不予追究按决定日期、"
            "按被追究人员所在单位统计（人次）。"
        ),
        head=gettext("月份"),
        columns=(
            Column(gettext("收到线索"), str(CASES)),
            Column(gettext("其中不予受理"), str(CASES)),
            Column(pgettext("statistics", "追究责任"), str(PEOPLE)),
            Column(gettext("涉及案件"), str(CASES)),
            Column(pgettext("statistics", "不予追究"), str(PEOPLE)),
        ),
        rows=rows,
        total=total,
        chart=Chart("bar", series=(0, 2)),
    )


def _unit_figures(scope: Scope) -> dict[int, dict[str, Any]]:
    """Pursued decisions per unit of the people: people, cases and people by tier."""
    tiers = {
        f"tier_{i}": Count("pk", filter=Q(**{scope.source.severity: s.value}))
        for i, s in enumerate(SEVERITIES)
    }
    return _grouped(_pursued(scope), scope.source.unit, **_people_and_cases(scope), **tiers)


def by_unit(
    scope: Scope, units: Mapping[int, Mapping[str, Any]], totals: Mapping[str, int]
) -> Table:
    rows = []
    for org, depth in scope.viewer.tree.walk(scope.organ.id):
        figures = units.get(org.id)
        if figures:
            rows.append(
                Row(
                    org.name,
                    (
                        figures["people"],
                        figures["cases"],
                        *(figures[f"tier_{i}"] for i in range(len(SEVERITIES))),
                    ),
                    level=depth,
                )
            )
    total_values = (
        totals["people"],
        totals["cases"],
        *(sum(f[f"tier_{i}"] for f in units.values()) for i in range(len(SEVERITIES))),
    )
    return Table(
        key="by_unit",
        title=gettext("按单位统计"),
        ref="第二条",
        basis=gettext(
            "按被追究人员所在单位统计；只列出有追究决定的单位。一件案件涉及几个单位的，"
            "在每个单位各计一件，合计中只计一件。"
        ),
        head=gettext("单位"),
        columns=(
            *_people_columns(),
            *(Column(str(s.label), str(PEOPLE)) for s in SEVERITIES),
        ),
        rows=rows,
        total=Row(gettext("合计"), total_values),
        chart=Chart("hbar", series=(0,), limit=UNITS_IN_CHART),
        note=gettext("图表只画出人次最多的{n}个单位。").format(n=UNITS_IN_CHART)
        if len(rows) > UNITS_IN_CHART
        else "",
    )


def _by_party_field(
    scope: Scope, field_name: str, keys: Sequence[Any]
) -> tuple[list[tuple[Any, dict[str, Any]]], dict[Any, dict[str, Any]]]:
    lookup = getattr(scope.source, field_name)
    grouped = _grouped(_pursued(scope), lookup, **_people_and_cases(scope))
    ordered = [(k, grouped.get(k, {"people": 0, "cases": 0})) for k in keys]
    extra = [(k, v) for k, v in grouped.items() if k not in keys]
    return ordered + extra, grouped


def by_circumstance(scope: Scope, totals: Mapping[str, int]) -> Table:
    version = _rulebook_version(scope.period)
    items = sorted(version.circumstances) or list(range(1, 10))
    figures, _ = _by_party_field(scope, "circumstance", items)
    rows = [
        Row(
            circumstance_label(version, k),
            (v["people"], v["cases"]),
            short=rulebook.regulation.item_ref(8, k) if k else "",
        )
        for k, v in figures
        if k in items or v["people"]
    ]
    return Table(
        key="by_circumstance",
        title=gettext("按追究情形统计"),
        ref="第八条",
        basis=gettext("按调查认定的第八条情形统计追究责任的人次。"),
        head=gettext("情形"),
        columns=_people_columns(),
        rows=rows,
        total=_total_row(totals),
        chart=Chart("hbar", series=(0,)),
    )


def by_tier(scope: Scope, totals: Mapping[str, int]) -> Table:
    keys = [s.value for s in SEVERITIES]
    labels = {s.value: str(s.label) for s in SEVERITIES}
    figures, _ = _by_party_field(scope, "severity", keys)
    rows = [
        Row(labels.get(k) or gettext("未认定情节"), (v["people"], v["cases"]))
        for k, v in figures
        if k in keys or v["people"]
    ]
    return Table(
        key="by_tier",
        title=gettext("按情节统计"),
        ref="第十条",
        basis=gettext("按调查认定的情节统计追究责任的人次。"),
        head=gettext("情节"),
        columns=_people_columns(),
        rows=rows,
        total=_total_row(totals),
        chart=Chart("pie", series=(0,)),
    )


def by_kind(scope: Scope, totals: Mapping[str, int]) -> Table:
    keys = [k.value for k in KINDS]
    grouped = _grouped(
        _pursued(scope),
        scope.source.kind,
        **_people_and_cases(scope),
        **{
            f"scope_{i}": Count("pk", filter=Q(**{scope.source.scope: s.value}))
            for i, s in enumerate(SCOPES)
        },
    )
    labels = {k.value: str(k.label) for k in KINDS}
    order = keys + [k for k in grouped if k not in keys]
    rows = []
    for key in order:
        v = grouped.get(key)
        if v is None and key not in keys:
            continue
        v = v or {"people": 0, "cases": 0, **{f"scope_{i}": 0 for i in range(len(SCOPES))}}
        rows.append(
            Row(
                labels.get(key) or gettext("未认定责任类型"),
                (
                    v["people"],
                    v["cases"],
                    *(v[f"scope_{i}"] for i in range(len(SCOPES))),
                ),
            )
        )
    scope_totals = tuple(sum(r.values[2 + i] or 0 for r in rows) for i in range(len(SCOPES)))
    return Table(
        key="by_kind",
        title=gettext("按责任类型统计"),
        ref="第九条",
        basis=gettext(
            "按调查认定的责任类型（主要领导责任、重要领导责任、直接责任）及集体或个人责任统计。"
        ),
        head=gettext("责任类型"),
        columns=(*_people_columns(), *(Column(str(s.label), str(PEOPLE)) for s in SCOPES)),
        rows=rows,
        total=Row(gettext("合计"), (totals["people"], totals["cases"], *scope_totals)),
        chart=Chart("bar", series=tuple(2 + i for i in range(len(SCOPES))), stack=True),
    )


def _measure_counts(scope: Scope) -> dict[str, dict[str, int]]:
    """People and cases per measure of the current decision version (a JSON list: one GROUP BY
    over its elements, json_each on SQLite, jsonb_array_elements_text on PostgreSQL)."""
    alias = statistics_db()
    if scope.source.is_summary:
        p = scope.period
        rows = (
            MeasureFact.objects.using(alias)
            .filter(scope.in_tree("unit_id"), decided_on__gte=p.start, decided_on__lte=p.end)
            .values("measure")
            .annotate(
                people=Count("decision_id", distinct=True), cases=Count("case_id", distinct=True)
            )
            .order_by()
        )
        return {r["measure"]: {"people": r["people"], "cases": r["cases"]} for r in rows}
    connection = connections[alias]
    inner = _pursued(scope).values(v=F("current_version_id"), c=F("party__case_id"))
    inner_sql, params = inner.query.sql_with_params()
    table = connection.ops.quote_name(DecisionVersion._meta.db_table)
    if connection.vendor == "postgresql":
        elements = "CROSS JOIN LATERAL jsonb_array_elements_text(dv.measures) AS m(value)"
    elif connection.vendor == "sqlite":
        elements = "CROSS JOIN json_each(dv.measures) AS m"
    else:  # pragma: no cover - the project runs on SQLite and PostgreSQL only
        raise NotImplementedError(connection.vendor)
    sql = (
        "SELECT m.value, COUNT(DISTINCT d.v), COUNT(DISTINCT d.c) "  # noqa: S608 - no user text
        f"FROM ({inner_sql}) d JOIN {table} dv ON dv.id = d.v {elements} "
        "GROUP BY m.value"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {str(name): {"people": people, "cases": cases} for name, people, cases in cursor}


def by_measure(scope: Scope, totals: Mapping[str, int]) -> Table:
    version = _rulebook_version(scope.period)
    counts = _measure_counts(scope)
    names = [n for n in version.measure_names if n in counts]
    names += sorted(n for n in counts if n not in names)
    rows = [Row(n, (counts[n]["people"], counts[n]["cases"])) for n in names]
    return Table(
        key="by_measure",
        title=gettext("按追究措施统计"),
        ref="第十条",
        basis=gettext(
            "按决定的现行版本所列措施统计；一人有几项措施的，每项各计一人次，合计不重复计算。"
        ),
        head=gettext("措施"),
        columns=_people_columns(),
        rows=rows,
        total=_total_row(totals),
        chart=Chart("hbar", series=(0,)),
    )


def by_source(scope: Scope) -> tuple[Table, int]:
    grouped = _grouped(
        _cases(scope),
        "source",
        received=Count("pk"),
        accepted=Count("pk", filter=~Q(state__in=[State.CLUE_REGISTERED, State.REJECTED])),
        rejected=Count("pk", filter=Q(state=State.REJECTED)),
        pending=Count("pk", filter=Q(state=State.CLUE_REGISTERED)),
    )
    rows = []
    for source in Case.Source:
        v = grouped.get(source.value, {})
        rows.append(
            Row(
                str(source.label),
                tuple(v.get(k, 0) for k in ("received", "accepted", "rejected", "pending")),
            )
        )
    total = sum_rows(rows, label=gettext("合计"))
    table = Table(
        key="by_source",
        title=pgettext("statistics", "线索来源"),
        ref="第十三条第(一)项",
        basis=gettext("按收到线索日期、由办理机关统计。"),
        head=gettext("来源"),
        columns=(
            Column(gettext("收到线索"), str(CASES)),
            Column(gettext("已受理"), str(CASES)),
            Column(pgettext("statistics", "不予受理"), str(CASES)),
            Column(gettext("待审批"), str(CASES)),
        ),
        rows=rows,
        total=total,
        chart=Chart("pie", series=(0,)),
    )
    return table, int(total.values[0] or 0)


def days_between(connection: Any, later: str, earlier: str) -> str:
    """SQL for the days (a fraction) between two timestamps."""
    if connection.vendor == "postgresql":
        return f"EXTRACT(EPOCH FROM ({later} - {earlier})) / 86400.0"
    if connection.vendor == "sqlite":
        return f"(julianday({later}) - julianday({earlier}))"
    raise NotImplementedError(connection.vendor)  # pragma: no cover


def stays_query(changes: QuerySet[TransitionLog]) -> QuerySet[Any]:
    """Each change of state with the moment the next change of the same case left it.

    Columns c (case), o (handling organ), s (the state entered), t0 (when), t1 (when the
    next change left it, NULL while the case is still there).
    """
    return changes.annotate(
        left_at=Window(
            Lead("at"), partition_by=[F("case_id")], order_by=[F("at").asc(), F("id").asc()]
        )
    ).values(
        c=F("case_id"), o=F("case__handling_organ_id"), s=F("to_state"), t0=F("at"), t1=F("left_at")
    )


def state_changes(alias: str) -> QuerySet[TransitionLog]:
    return TransitionLog.objects.using(alias).exclude(from_state=F("to_state")).order_by()


def _step_figures(scope: Scope) -> dict[str, tuple[int, float, float]]:
    """Per state: (cases, average days, longest days) of the stays that ended in the period.

    From the transition log: each change of state opens a stay that the next change of the
    same case closes (LEAD over the case's changes); a case's stays in one state are added up
    (an investigation resumed after a returned report counts once, with both spells).
    """
    alias = statistics_db()
    connection = connections[alias]
    start, end = scope.period.bounds()
    ops = connection.ops
    bounds = [ops.adapt_datetimefield_value(start), ops.adapt_datetimefield_value(end)]
    if scope.source.is_summary:
        per_case = (
            StayFact.objects.using(alias)
            .filter(scope.in_tree("handling_organ_id"), left_at__gte=start, left_at__lt=end)
            .values(c=F("case_id"), s=F("state"))
            .annotate(d=Sum("days"))
            .order_by()
        )
        inner_sql, params = per_case.query.sql_with_params()
    else:
        # Only the cases with a change in the period, and only their changes before its end: a
        # stay that ends in the period starts at the change before (however long ago), and
        # nothing after the period closes a stay of it.
        ended = state_changes(alias).filter(at__gte=start, at__lt=end)
        ended = ended.filter(scope.in_tree("case__handling_organ_id"))
        changes = state_changes(alias).filter(case_id__in=ended.values("case_id"), at__lt=end)
        stays_sql, stays_params = stays_query(changes).query.sql_with_params()
        days = days_between(connection, "x.t1", "x.t0")
        inner_sql = (
            f"SELECT x.c, x.s, SUM({days}) AS d FROM ({stays_sql}) x "  # noqa: S608
            "WHERE x.t1 IS NOT NULL AND x.t1 >= %s AND x.t1 < %s GROUP BY x.c, x.s"
        )
        params = (*stays_params, *bounds)
    sql = f"SELECT s, COUNT(*), AVG(d), MAX(d) FROM ({inner_sql}) stays GROUP BY s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return {
            str(state): (int(n), float(avg or 0), float(longest or 0))
            for state, n, avg, longest in cursor
        }


def by_step(scope: Scope) -> Table:
    figures = _step_figures(scope)
    rows = []
    for state, label in STEPS:
        n, avg, longest = figures.get(str(state), (0, None, None))
        rows.append(
            Row(
                str(label),
                (n, round(avg, 1) if n else None, round(longest, 1) if n else None),
            )
        )
    return Table(
        key="by_step",
        title=gettext("各环节用时"),
        ref="第十三条",
        basis=gettext(
            "由流转记录计算：案件进入某一环节至离开该环节的时间，按离开日期统计，"
            "同一案件在同一环节的多段时间合并计算；尚未离开的环节不计入。"
        ),
        head=gettext("环节"),
        columns=(
            Column(pgettext("statistics", "完成"), str(CASES)),
            Column(gettext("平均用时"), str(DAYS), decimals=1),
            Column(gettext("最长用时"), str(DAYS), decimals=1),
        ),
        rows=rows,
        chart=Chart("hbar", series=(1, 2)),
    )


APPEAL_ROWS: tuple[tuple[str, str, Any], ...] = (
    (Appeal.Status.REVIEWED, Appeal.ReviewOutcome.UPHELD, Appeal.ReviewOutcome.UPHELD.label),
    (Appeal.Status.REVIEWED, Appeal.ReviewOutcome.CHANGED, Appeal.ReviewOutcome.CHANGED.label),
    (Appeal.Status.REVIEWED, Appeal.ReviewOutcome.REVOKED, Appeal.ReviewOutcome.REVOKED.label),
    (Appeal.Status.PENDING, "", Appeal.Status.PENDING.label),
    (Appeal.Status.REJECTED_LATE, "", Appeal.Status.REJECTED_LATE.label),
)


def _appeal_figures(scope: Scope) -> dict[tuple[int, str, str], dict[str, Any]]:
    p = scope.period
    n = appeal_review_days()
    # date + interval is a timestamp on PostgreSQL: cast back to a date.
    review_by = Cast(
        ExpressionWrapper(F("received_on") + timedelta(days=n), output_field=DateField()),
        DateField(),
    )
    reviewed = Q(status=Appeal.Status.REVIEWED)
    pending = Q(status=Appeal.Status.PENDING)
    qs = (
        Appeal.objects.using(statistics_db())
        .filter(
            scope.in_tree("decision__party__person__unit_id"),
            received_on__gte=p.start,
            received_on__lte=p.end,
        )
        .annotate(review_by=review_by)
        .order_by()
    )
    return _grouped(
        qs,
        "decision__party__person__unit_id",
        "status",
        "outcome",
        n=Count("pk"),
        late=Count("pk", filter=Q(late=True)),
        on_time=Count("pk", filter=reviewed & Q(reviewed_on__lte=F("review_by"))),
        overdue_done=Count("pk", filter=reviewed & Q(reviewed_on__gt=F("review_by"))),
        overdue_open=Count("pk", filter=pending & Q(review_by__lt=scope.today)),
        not_due=Count("pk", filter=pending & Q(review_by__gte=scope.today)),
        oldest=Min("review_by", filter=pending & Q(review_by__lt=scope.today)),
    )


def by_appeal(scope: Scope, appeals: Mapping[tuple[int, str, str], Mapping[str, Any]]) -> Table:
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for (_unit, status, outcome), v in appeals.items():
        counts[(status, outcome)][0] += v["n"]
        counts[(status, outcome)][1] += v["late"]
    rows = [
        Row(str(label), tuple(counts.get((status, outcome), [0, 0])))
        for status, outcome, label in APPEAL_ROWS
    ]
    return Table(
        key="by_appeal",
        title=gettext("申诉及复查结果"),
        ref="第十六条",
        basis=gettext("按收到申诉日期、按申诉人所在单位统计。"),
        head=gettext("复查结果"),
        columns=(
            Column(pgettext("statistics", "申诉"), str(CASES)),
            Column(gettext("其中逾期提出"), str(CASES)),
        ),
        rows=rows,
        total=sum_rows(rows, label=gettext("合计")),
        chart=Chart("pie", series=(0,)),
    )


def _rectification_figures(scope: Scope) -> dict[int, dict[str, Any]]:
    p = scope.period
    open_ = Q(completed_on__isnull=True, cancelled_on__isnull=True)
    qs = (
        Rectification.objects.using(statistics_db())
        .filter(
            scope.in_tree("decision__party__person__unit_id"),
            deadline__gte=p.start,
            deadline__lte=p.end,
        )
        .order_by()
    )
    return _grouped(
        qs,
        "decision__party__person__unit_id",
        n=Count("pk"),
        on_time=Count("pk", filter=Q(completed_on__lte=F("deadline"))),
        overdue_done=Count("pk", filter=Q(completed_on__gt=F("deadline"))),
        overdue_open=Count("pk", filter=open_ & Q(deadline__lt=scope.today)),
        not_due=Count("pk", filter=open_ & Q(deadline__gte=scope.today)),
        dropped=Count("pk", filter=Q(completed_on__isnull=True, cancelled_on__isnull=False)),
        oldest=Min("deadline", filter=open_ & Q(deadline__lt=scope.today)),
    )


def by_deadline(
    scope: Scope,
    rectifications: Mapping[int, Mapping[str, Any]],
    appeals: Mapping[tuple[int, str, str], Mapping[str, Any]],
) -> Table:
    keys = ("n", "on_time", "overdue_done", "overdue_open", "not_due", "dropped")

    def add(groups: Iterable[Mapping[str, Any]]) -> tuple[int | None, ...]:
        groups = list(groups)
        sums = [sum(g.get(k, 0) for g in groups) for k in keys]
        oldest = [g["oldest"] for g in groups if g.get("oldest")]
        longest = (scope.today - min(oldest)).days if oldest else None
        return (*sums, longest)

    reviewable = [
        {**v, "dropped": v["n"] if status == Appeal.Status.REJECTED_LATE else 0}
        for (_u, status, _o), v in appeals.items()
    ]
    days = appeal_review_days()
    rows = [
        Row(gettext("责令限期整改（第十条）"), add(rectifications.values())),
        Row(
            gettext("申诉复查（{days}日内）").format(days=days),
            add(reviewable),
        ),
    ]
    return Table(
        key="by_deadline",
        title=gettext("期限执行情况"),
        ref=join_list(["第十条", "第十六条"]),
        basis=gettext(
            "整改按整改期限、申诉按收到申诉日期落在所选期间统计，截至今天的办理情况；"
            "申诉复查期限为收到申诉后{days}日（设置项 REPORTS_APPEAL_REVIEW_DAYS）。"
        ).format(days=days),
        head=gettext("事项"),
        columns=(
            Column(gettext("应办"), str(CASES)),
            Column(gettext("按期办结"), str(CASES)),
            Column(gettext("逾期办结"), str(CASES)),
            Column(gettext("逾期未办结"), str(CASES)),
            Column(gettext("未到期"), str(CASES)),
            Column(gettext("撤销或不予受理"), str(CASES)),
            Column(gettext("最长逾期"), str(DAYS)),
        ),
        rows=rows,
        chart=Chart("bar", series=(1, 2, 3, 4), stack=True),
    )


def side_by_side(
    scope: Scope,
    units: Mapping[int, Mapping[str, Any]],
    appeals: Mapping[tuple[int, str, str], Mapping[str, Any]],
    rectifications: Mapping[int, Mapping[str, Any]],
) -> Table:
    received = _grouped(_cases(scope), "handling_organ_id", n=Count("pk"))
    sections = scope.viewer.tree.sections(scope.organ.id)
    where = {pk: i for i, s in enumerate(sections) for pk in s.ids}
    width = 3 + len(SEVERITIES) + 1
    sums = [[0] * width for _ in sections]

    def put(org_id: int | None, column: int, value: int) -> None:
        index = where.get(org_id) if org_id is not None else None
        if index is not None:
            sums[index][column] += value or 0

    for org_id, v in received.items():
        put(org_id, 0, v["n"])
    for org_id, v in units.items():
        put(org_id, 1, v["people"])
        for i in range(len(SEVERITIES)):
            put(org_id, 2 + i, v[f"tier_{i}"])
    for (org_id, _s, _o), v in appeals.items():
        put(org_id, 2 + len(SEVERITIES), v["n"])
    for org_id, v in rectifications.items():
        put(org_id, 3 + len(SEVERITIES), v["overdue_open"])
    rows = [
        Row(s.label, tuple(values), level=0 if s.own else 1)
        for s, values in zip(sections, sums, strict=True)
    ]
    return Table(
        key="side_by_side",
        title=gettext("本级与下级对比"),
        ref="第十一条",
        basis=gettext(
            "收到线索按办理机关、其余按被追究人员所在单位归入本级或各下级纪委监委；"
            "整改逾期为截至今天逾期未完成的整改。"
        ),
        head=gettext("纪委监委"),
        columns=(
            Column(gettext("收到线索"), str(CASES)),
            Column(pgettext("statistics", "追究责任"), str(PEOPLE)),
            *(Column(str(s.label), str(PEOPLE)) for s in SEVERITIES),
            Column(pgettext("statistics", "申诉"), str(CASES)),
            Column(pgettext("statistics", "整改逾期"), str(CASES)),
        ),
        rows=rows,
        total=sum_rows(rows, label=gettext("合计")),
        chart=Chart("bar", series=tuple(range(2, 2 + len(SEVERITIES))), stack=True),
    )


# ---------------------------------------------------------------------------------------------
# Everything on the page


#: The tables whose people or steps come from the summary tables when the source is summary.
SUMMARY_TABLES = frozenset(
    {
        "by_month",
        "side_by_side",
        "by_unit",
        "by_circumstance",
        "by_tier",
        "by_measure",
        "by_kind",
        "by_step",
    }
)


@dataclass
class Statistics:
    scope: Scope
    tables: list[Table]
    tiles: dict[str, int]
    #: When the figures were computed (live), and when the summary tables were (summary).
    as_of: datetime
    interpretations: list[tuple[str, str]] = field(default_factory=list)

    @property
    def summary_as_of(self) -> datetime | None:
        return self.scope.source.as_of if self.scope.source.is_summary else None

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)

    def charts(self) -> list[dict[str, Any]]:
        return [t.chart_data() for t in self.tables if t.chart is not None]


def statistics_for(
    *,
    viewer: Viewer,
    organ_id: int | None,
    period: Period,
    today: date | None = None,
    source: Source | None = None,
) -> Statistics:
    """Every figure of the statistics page for ``organ_id`` (default: the viewer's commission)
    over ``period``; deadlines judged as of ``today`` (default: today in China time); people
    and steps from ``source`` (default: the setting REPORTS_SOURCE)."""
    today = today or timezone.localdate()
    source = source or source_for()
    scope = scope_for(viewer=viewer, organ_id=organ_id, period=period, today=today, source=source)
    totals = _totals(scope)
    units = _unit_figures(scope)
    appeals = _appeal_figures(scope)
    rectifications = _rectification_figures(scope)
    month = by_month(scope, totals)
    sources, clues = by_source(scope)
    deadline = by_deadline(scope, rectifications, appeals)
    tables = [
        month,
        side_by_side(scope, units, appeals, rectifications),
        by_unit(scope, units, totals),
        by_circumstance(scope, totals),
        by_tier(scope, totals),
        by_measure(scope, totals),
        by_kind(scope, totals),
        sources,
        by_step(scope),
        by_appeal(scope, appeals),
        deadline,
    ]
    if source.is_summary and source.as_of is not None:
        note = gettext("人次和用时取自汇总表，数据截至{time}。").format(
            time=timezone.localtime(source.as_of).strftime("%Y-%m-%d %H:%M")
        )
        for table in tables:
            if table.key in SUMMARY_TABLES:
                table.note = f"{table.note} {note}".strip()
    appeal_total = sum(v["n"] for v in appeals.values())
    overdue = sum(int(row.values[3] or 0) for row in deadline.rows)
    days = appeal_review_days()
    return Statistics(
        scope=scope,
        tables=tables,
        tiles={
            "clues": clues,
            "people": totals["people"],
            "cases": totals["cases"],
            "appeals": appeal_total,
            "overdue": overdue,
        },
        as_of=timezone.localtime(),
        interpretations=[
            (
                gettext("人员按所在单位，案件按办理机关"),
                gettext(
                    "被追究人员的人次按其所在单位归入所选单位及其下级；线索、来源和各环节用时"
                    "按办理案件的纪委监委统计（第十一条）。"
                ),
            ),
            (
                gettext("申诉复查期限"),
                gettext(
                    "本办法未规定复查期限；按上级规定（问责条例）以收到申诉后{days}日计，"
                    "可由设置项 REPORTS_APPEAL_REVIEW_DAYS 调整。"
                ).format(days=days),
            ),
        ],
    )
