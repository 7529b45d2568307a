"""The figures as tables: what the page, its charts, the print summary and the export show.

Plain data (no database): ``selectors.py`` fills them from aggregate queries; the templates
render them as HTML tables (the accessible form of every chart), ``charts.js`` draws the
chart of a table from ``Table.chart_data()``, and ``export.py`` writes one sheet per table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext

Value = int | float | None


@dataclass(frozen=True)
class Column:
    """A column of figures; ``unit`` is shown in the header (件, 人次, 天)."""

    label: str
    unit: str = ""
    decimals: int = 0

    @property
    def header(self) -> str:
        if not self.unit:
            return self.label
        return gettext("{label}（{unit}）").format(label=self.label, unit=self.unit)


@dataclass(frozen=True)
class Row:
    label: str
    values: tuple[Value, ...]
    #: Indentation below the first row (organisations under the one chosen).
    level: int = 0
    #: A shorter label for the chart's axis (the table keeps the full one).
    short: str = ""


@dataclass(frozen=True)
class Chart:
    """How a table is drawn: ``kind`` bar | hbar | line | pie; ``series`` are column indexes."""

    kind: str
    series: tuple[int, ...] = (0,)
    stack: bool = False
    #: Draw at most this many rows, those with the largest first series (the table has all).
    limit: int | None = None


@dataclass
class Table:
    key: str
    title: str
    #: The article the figure answers to (第八条, 第十六条 …), shown beside the title.
    ref: str
    #: What is counted and by which date, in one sentence under the table.
    basis: str
    #: Header of the first column (what the rows are).
    head: str
    columns: tuple[Column, ...]
    rows: list[Row] = field(default_factory=list)
    total: Row | None = None
    chart: Chart | None = None
    note: str = ""

    @property
    def headers(self) -> list[str]:
        return [self.head, *(c.header for c in self.columns)]

    @property
    def narrow(self) -> bool:
        """Few columns: the table fits beside its chart (wider ones go below it)."""
        return len(self.columns) <= 3

    @property
    def is_empty(self) -> bool:
        return not any(v for row in self.rows for v in row.values)

    def display(self) -> list[dict[str, Any]]:
        """The rows as the template shows them: label, indentation and formatted figures."""
        return [self._display(row) for row in self.rows]

    def display_total(self) -> dict[str, Any] | None:
        return self._display(self.total) if self.total is not None else None

    def _display(self, row: Row) -> dict[str, Any]:
        return {
            "label": row.label,
            "level": min(row.level, 4),
            "cells": [format_value(v, c) for v, c in zip(row.values, self.columns, strict=True)],
        }

    def column_values(self, index: int) -> list[Value]:
        return [row.values[index] for row in self.rows]

    def chart_data(self) -> dict[str, Any]:
        """The chart as data for charts.js (no markup, no code)."""
        chart = self.chart or Chart("bar")
        rows = self.rows
        if chart.limit is not None and len(rows) > chart.limit:
            first = chart.series[0]
            top = sorted(rows, key=lambda r: -(r.values[first] or 0))[: chart.limit]
            rows = [r for r in rows if r in top]
        return {
            "id": self.key,
            "kind": chart.kind,
            "stack": chart.stack,
            "categories": [row.short or row.label for row in rows],
            "series": [
                {"name": self.columns[i].header, "data": [row.values[i] for row in rows]}
                for i in chart.series
            ],
        }

    def chart_summary(self) -> str:
        """The chart in one sentence (its aria-label); the table below holds every figure."""
        chart = self.chart or Chart("bar")
        index = chart.series[0]
        column = self.columns[index]
        values = [(row.label, row.values[index]) for row in self.rows]
        present = [(label, v) for label, v in values if v]
        if not present:
            return gettext("图表：{title}。所选范围内没有数据，详见下表。").format(title=self.title)
        label, top = max(present, key=lambda item: item[1] or 0)
        total = self.total.values[index] if self.total is not None else None
        if total is None or column.decimals:
            return gettext(
                "图表：{title}。{column}最高的是“{label}”（{value}），详见下表。"
            ).format(
                title=self.title, column=column.label, label=label, value=format_value(top, column)
            )
        return gettext(
            "图表：{title}。{column}合计{total}，最多的是“{label}”（{value}），详见下表。"
        ).format(
            title=self.title,
            column=column.label,
            total=format_value(total, column),
            label=label,
            value=format_value(top, column),
        )


def format_value(value: Value, column: Column) -> str:
    if value is None:
        return "—"
    if column.decimals:
        return f"{float(value):.{column.decimals}f}"
    return str(int(value))


def sum_rows(rows: Sequence[Row], *, label: str) -> Row:
    """A total row: the sum of each column (None where no row has a figure)."""
    width = len(rows[0].values) if rows else 0
    sums: list[Value] = []
    for i in range(width):
        present = [r.values[i] for r in rows if r.values[i] is not None]
        sums.append(sum(present) if present else None)  # type: ignore[arg-type]
    return Row(label, tuple(sums))
