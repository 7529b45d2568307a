"""The .xlsx export opens with openpyxl and holds the page's numbers, with Chinese headers."""

from __future__ import annotations

import io
from typing import Any

from django.test import TestCase
from django.urls import reverse
from openpyxl import load_workbook

from accountability.audit.models import AuditEntry
from accountability.demo.testing import PersonasMixin
from accountability.reports.tests import dataset


class ExportTests(PersonasMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        dataset.build(cls.personas)

    def download(self, language: str = "zh-hans", **params: Any) -> Any:
        self.client.force_login(self.case_officer)
        response = self.client.get(
            reverse("reports:export"),
            {"year": dataset.YEAR, **params},
            HTTP_ACCEPT_LANGUAGE=language,
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response["Content-Type"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        return response, load_workbook(io.BytesIO(response.content))

    def test_one_sheet_per_table_after_the_cover(self):
        _, book = self.download()
        self.assertEqual(
            book.sheetnames,
            [
                "说明",
                "按月统计",
                "本级与下级对比",
                "按单位统计",
                "按追究情形统计",
                "按情节统计",
                "按追究措施统计",
                "按责任类型统计",
                "线索来源",
                "各环节用时",
                "申诉及复查结果",
                "期限执行情况",
            ],
        )

    def test_the_month_sheet_holds_the_figures(self):
        """Header row, twelve months and the total (numbers as numbers), then the basis."""
        _, book = self.download()
        sheet = book["按月统计"]
        values = list(sheet.iter_rows(values_only=True))
        self.assertEqual(values[0][0], "按月统计（第十三条）")
        self.assertEqual(
            values[1],
            (
                "月份",
                "收到线索（件）",
                "其中不予受理（件）",
                "追究责任（人次）",
                "涉及案件（件）",
                "不予追究（人次）",
            ),
        )
        self.assertEqual(values[2], ("一月", 1, 0, 1, 1, 0))
        self.assertEqual(values[4], ("三月", 0, 0, 2, 1, 0))
        self.assertEqual(values[14], ("合计", 7, 1, 7, 6, 1))
        self.assertTrue(values[16][0].startswith("受理线索按收到线索日期"))

    def test_every_sheet_has_the_numbers_of_the_page(self):
        """Each table of the page and its sheet hold the same rows and totals."""
        _, book = self.download()
        self.client.force_login(self.case_officer)
        stats = self.client.get(reverse("reports:statistics"), {"year": dataset.YEAR}).context[
            "stats"
        ]
        for table in stats.tables:
            with self.subTest(table=table.key):
                sheet = list(book[table.title].iter_rows(values_only=True))
                self.assertEqual(list(sheet[1]), table.headers)
                for index, row in enumerate(table.rows, start=2):
                    self.assertEqual(sheet[index][0].strip("\u3000"), row.label)
                    self.assertEqual(tuple(sheet[index][1:]), row.values)
                if table.total is not None:
                    self.assertEqual(tuple(sheet[2 + len(table.rows)][1:]), table.total.values)

    def test_the_steps_sheet(self):
        _, book = self.download()
        values = list(book["各环节用时"].iter_rows(values_only=True))
        self.assertEqual(values[1], ("环节", "完成（件）", "平均用时（天）", "最长用时（天）"))
        self.assertEqual(values[2][1:], (3, 3.5, 5))
        self.assertEqual(values[6][1:], (0, None, None))

    def test_an_english_session_gets_chinese_headers(self):
        """The export is a record: Chinese whatever the interface language."""
        response, book = self.download(language="en")
        self.assertIn("按月统计", book.sheetnames)
        self.assertEqual(book["按情节统计"]["A3"].value, "情节较轻")
        self.assertIn("filename*=utf-8''", response["Content-Disposition"])
        self.assertIn("%E7%BB%9F%E8%AE%A1.xlsx", response["Content-Disposition"])  # 统计.xlsx

    def test_the_cover_states_the_scope(self):
        _, book = self.download()
        cover = list(book["说明"].iter_rows(values_only=True))
        self.assertEqual(cover[0][0], "镇雄县纪委监委2025年责任追究工作统计")
        self.assertEqual(cover[1], ("统计期间", "2025-01-01", "2025-12-31"))

    def test_the_export_is_audited(self):
        before = AuditEntry.objects.filter(action="export").count()
        self.download(organ=self.personas.orgs.township.pk)
        entry = AuditEntry.objects.filter(action="export").latest("seq")
        self.assertEqual(AuditEntry.objects.filter(action="export").count(), before + 1)
        self.assertEqual(entry.actor_id, self.case_officer.pk)
        self.assertEqual(entry.changes["organ"], "乌峰街道纪工委")
        self.assertEqual(entry.changes["start"], "2025-01-01")
