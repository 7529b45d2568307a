"""Rows with the dates of the past, for the statistics tests and the benchmark.

The services date every transition log entry with the moment it is written (``auto_now_add``);
a data set about a past year needs entries dated in that year. ``insert_log_rows`` writes them
with the given times in one INSERT per batch, for test data and benchmark data only: the
application itself never backdates its history.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import connections

from accountability.cases.models import TransitionLog


@dataclass(frozen=True)
class LogRow:
    case_id: int
    action: str
    from_state: str
    to_state: str
    actor_id: int
    at: datetime
    party_id: int | None = None
    reason: str = ""


COLUMNS = ("case_id", "party_id", "action", "from_state", "to_state", "actor_id", "at", "reason")


def insert_log_rows(rows: Iterable[LogRow], *, using: str = "default", batch: int = 5000) -> int:
    """Write transition log entries dated ``row.at``; the number written."""
    connection = connections[using]
    ops = connection.ops
    table = ops.quote_name(TransitionLog._meta.db_table)
    columns = ", ".join(ops.quote_name(c) for c in COLUMNS)
    marks = ", ".join(["%s"] * len(COLUMNS))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - constant names
    written = 0
    pending: list[Sequence[object]] = []

    def flush() -> None:
        nonlocal written
        if pending:
            with connection.cursor() as cursor:
                cursor.executemany(sql, pending)
            written += len(pending)
            pending.clear()

    for row in rows:
        pending.append(
            (
                row.case_id,
                row.party_id,
                row.action,
                row.from_state,
                row.to_state,
                row.actor_id,
                ops.adapt_datetimefield_value(row.at),
                row.reason,
            )
        )
        if len(pending) >= batch:
            flush()
    flush()
    return written
