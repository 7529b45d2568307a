"""Writes of the reports app: rebuilding the summary tables, and asking for it.

``statistics_refresh`` rebuilds the three summary tables (models.py) from the cases tables in
one transaction, with one INSERT … SELECT each: no row passes through Python, so the time is
the database's (see bench/reports.py --summary). On PostgreSQL the transaction reads one
snapshot (REPEATABLE READ) so that the three tables agree; readers keep seeing the previous
rows until it commits. It runs as a background job (``jobs.refresh_summary``), queued by
``statistics_refresh_request`` (the page's button) or ``accountability refresh_statistics``
(a scheduler's command), never inside a web request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from accountability.audit.services import audit_log
from accountability.cases.models import Decision, DecisionVersion, Outcome
from accountability.jobs.models import Job
from accountability.reports.models import DecisionFact, MeasureFact, StayFact, SummaryRefresh
from accountability.reports.selectors import days_between, state_changes, stays_query

Progress = Callable[..., None]


def _insert(connection: Any, table: type, columns: list[str], select_sql: str, params: Any) -> int:
    ops = connection.ops
    target = ops.quote_name(table._meta.db_table)
    names = ", ".join(ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {target} ({names}) {select_sql}", params)
        return max(cursor.rowcount, 0)


def _decisions(connection: Any) -> int:
    rows = (
        Decision.objects.using(connection.alias)
        .filter(current_version__isnull=False)
        .values_list(
            "pk",
            "party__case_id",
            "party__person__unit_id",
            "party__case__handling_organ_id",
            "decided_on",
            "current_version__outcome",
            "party__circumstance",
            "party__severity",
            "party__responsibility_kind",
            "party__responsibility_scope",
        )
        .order_by()
    )
    sql, params = rows.query.sql_with_params()
    columns = [
        "decision_id",
        "case_id",
        "unit_id",
        "handling_organ_id",
        "decided_on",
        "outcome",
        "circumstance",
        "severity",
        "kind",
        "scope",
    ]
    return _insert(connection, DecisionFact, columns, sql, params)


def _measures(connection: Any) -> int:
    ops = connection.ops
    facts = ops.quote_name(DecisionFact._meta.db_table)
    decisions = ops.quote_name(Decision._meta.db_table)
    versions = ops.quote_name(DecisionVersion._meta.db_table)
    if connection.vendor == "postgresql":
        elements = "CROSS JOIN LATERAL jsonb_array_elements_text(dv.measures) AS m(value)"
    else:
        elements = "CROSS JOIN json_each(dv.measures) AS m"
    sql = (
        "SELECT f.decision_id, f.case_id, f.unit_id, f.decided_on, m.value "  # noqa: S608
        f"FROM {facts} f JOIN {decisions} d ON d.id = f.decision_id "
        f"JOIN {versions} dv ON dv.id = d.current_version_id {elements} "
        "WHERE f.outcome = %s"
    )
    columns = ["decision_id", "case_id", "unit_id", "decided_on", "measure"]
    return _insert(connection, MeasureFact, columns, sql, [str(Outcome.PURSUE)])


def _stays(connection: Any) -> int:
    stays_sql, params = stays_query(state_changes(connection.alias)).query.sql_with_params()
    days = days_between(connection, "x.t1", "x.t0")
    sql = (
        f"SELECT x.c, x.o, x.s, x.t0, x.t1, {days} FROM ({stays_sql}) x "  # noqa: S608
        "WHERE x.t1 IS NOT NULL"
    )
    columns = ["case_id", "handling_organ_id", "state", "entered_at", "left_at", "days"]
    return _insert(connection, StayFact, columns, sql, params)


def statistics_refresh(*, progress: Progress | None = None) -> SummaryRefresh:
    """Rebuild the summary tables from the cases tables; the record of this refresh."""
    connection = connections[DEFAULT_DB_ALIAS]
    outer = connection.in_atomic_block
    report = progress or (lambda *args, **kwargs: None)
    with transaction.atomic(using=connection.alias):
        if connection.vendor == "postgresql" and not outer:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        started = timezone.now()
        for model in (MeasureFact, StayFact, DecisionFact):
            model.objects.using(connection.alias).all().delete()
        report(1, 4, "决定")
        decisions = _decisions(connection)
        report(2, 4, "措施")
        measures = _measures(connection)
        report(3, 4, "环节用时")
        stays = _stays(connection)
        record = SummaryRefresh.objects.using(connection.alias).create(
            started_at=started,
            finished_at=timezone.now(),
            decisions=decisions,
            measures=measures,
            stays=stays,
        )
        report(4, 4, "完成")
    return record


def statistics_refresh_request(*, actor: Any, request: Any = None) -> Job:
    """Queue a rebuild of the summary tables for ``actor`` (audited); the job to follow."""
    from accountability.jobs.services import job_enqueue
    from accountability.reports.jobs import refresh_summary

    with transaction.atomic():
        job = job_enqueue(handler=refresh_summary, owner=actor)
        audit_log(
            actor=actor,
            action="create",
            target=("jobs.job", str(job.pk), str(job.label)),
            changes={"kind": job.kind},
            detail="刷新统计汇总表",
            request=request,
        )
    return job
