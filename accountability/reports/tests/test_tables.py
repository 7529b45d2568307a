"""The tables' own logic (no database): formatting, totals, the chart's data and summary."""

from __future__ import annotations

from django.test import SimpleTestCase

from accountability.reports.tables import Chart, Column, Row, Table, sum_rows


def table(rows: list[Row], chart: Chart | None = None) -> Table:
    return Table(
        key="t",
        title="测试表",
        ref="第八条",
        basis="",
        head="单位",
        columns=(Column("追究责任", "人次"), Column("平均用时", "天", decimals=1)),
        rows=rows,
        total=sum_rows(rows, label="合计"),
        chart=chart or Chart("bar"),
    )


class TableTests(SimpleTestCase):
    def test_headers_cells_and_total(self):
        t = table([Row("甲", (3, 2.25)), Row("乙", (1, None), level=2)])
        self.assertEqual(t.headers, ["单位", "追究责任（人次）", "平均用时（天）"])
        self.assertEqual(
            t.display(),
            [
                {"label": "甲", "level": 0, "cells": ["3", "2.2"]},
                {"label": "乙", "level": 2, "cells": ["1", "—"]},
            ],
        )
        self.assertEqual(t.total.values, (4, 2.25))

    def test_the_summary_names_the_largest_figure(self):
        t = table([Row("甲", (3, 1.0)), Row("乙", (5, 2.0))])
        self.assertEqual(
            t.chart_summary(), "图表：测试表。追究责任合计8，最多的是“乙”（5），详见下表。"
        )
        self.assertEqual(
            table([Row("甲", (0, None))]).chart_summary(),
            "图表：测试表。所选范围内没有数据，详见下表。",
        )

    def test_a_limited_chart_draws_the_largest_rows_in_table_order(self):
        rows = [Row(f"单位{i}", (i % 7, None), short=f"U{i}") for i in range(10)]
        data = table(rows, Chart("hbar", limit=3)).chart_data()
        self.assertEqual(data["categories"], ["U4", "U5", "U6"])
        self.assertEqual(data["series"][0]["data"], [4, 5, 6])
        self.assertEqual(len(table(rows).chart_data()["categories"]), 10)
