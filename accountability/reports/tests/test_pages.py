"""The statistics page and the year-end summary: charts from local files and page data, a
table for every chart, nothing that a strict Content-Security-Policy would block, a print form.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.test import TestCase
from django.urls import reverse

from accountability.demo.testing import PersonasMixin
from accountability.reports.tests import dataset

STATIC = Path(settings.BASE_DIR) / "static" / "reports"
OUR_STATIC = sorted(p for p in STATIC.iterdir() if p.suffix in (".js", ".css"))
# An absolute URL: a scheme with //, or a protocol-relative //host.
ABSOLUTE_URL = re.compile(r"(?:\b[a-z][a-z0-9+.-]*:)?//[a-z0-9.-]+\.[a-z]{2,}", re.IGNORECASE)


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text of the script elements."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._script: dict[str, str | None] | None = None

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "script":
            self._script = attributes
            self.scripts.append((attributes, ""))

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag == "script":
            self._script = None

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if self._script is not None:
            attributes, text = self.scripts[-1]
            self.scripts[-1] = (attributes, text + data)


def parse(html: str) -> Elements:
    parser = Elements()
    parser.feed(html)
    return parser


class PageTests(PersonasMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        dataset.build(cls.personas)

    def get(self, name: str = "reports:statistics", **params: object) -> str:
        self.client.force_login(self.case_officer)
        response = self.client.get(reverse(name), {"year": dataset.YEAR, **params})
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_every_chart_has_its_table_and_a_summary(self):
        """Each chart element is labelled (role img, aria-label naming its largest figure) and
        followed by the table of the same figures."""
        html = self.get()
        page = parse(html)
        charts = [a for tag, a in page.tags if a.get("data-chart")]
        self.assertEqual(len(charts), 11)
        ids = {a["id"] for _, a in page.tags if a.get("id")}
        for chart in charts:
            with self.subTest(chart=chart["data-chart"]):
                self.assertEqual(chart["role"], "img")
                self.assertIn(f"table-{chart['data-chart']}", ids)
                self.assertTrue(chart["aria-label"].startswith("图表："))
        by_tier = next(a for a in charts if a["data-chart"] == "by_tier")
        self.assertEqual(
            by_tier["aria-label"],
            "图表：按情节统计。追究责任合计7，最多的是“情节较轻”（3），详见下表。",
        )

    def test_chart_data_comes_from_a_json_block(self):
        """The figures reach the chart code through json_script, the same as the tables."""
        page = parse(self.get())
        blocks = [text for a, text in page.scripts if a.get("type") == "application/json"]
        self.assertEqual(len(blocks), 1)
        data = json.loads(blocks[0])["charts"]
        tier = next(c for c in data if c["id"] == "by_tier")
        self.assertEqual(tier["categories"], ["情节较轻", "情节较重", "情节严重", "涉嫌犯罪"])
        self.assertEqual(tier["series"][0]["data"], [3, 3, 1, 0])
        self.assertEqual(tier["kind"], "pie")

    def test_no_inline_script_style_or_handler(self):
        """Scripts are files of the site (or JSON data); no style attributes or on* handlers,
        so that a Content-Security-Policy without 'unsafe-inline' allows the page."""
        for name in ("reports:statistics", "reports:summary"):
            page = parse(self.get(name))
            with self.subTest(page=name):
                for attributes, text in page.scripts:
                    if attributes.get("type") == "application/json":
                        continue
                    self.assertTrue(attributes.get("src", "").startswith("/static/"), attributes)
                    self.assertEqual(text.strip(), "")
                for tag, attributes in page.tags:
                    self.assertNotIn("style", attributes, tag)
                    self.assertEqual([a for a in attributes if a.startswith("on")], [], tag)
                self.assertFalse([t for t, _ in page.tags if t == "style"])

    def test_echarts_is_served_by_the_site(self):
        page = parse(self.get())
        sources = [a["src"] for a, _ in page.scripts if a.get("src")]
        # (js/a11y.js is every staff page's accessibility helper, from templates/base.html.)
        self.assertEqual(
            sources,
            [
                "/static/js/a11y.js",
                "/static/vendor/build/echarts/echarts.min.js",
                "/static/reports/charts.js",
            ],
        )
        built = Path(settings.BASE_DIR) / "static" / "vendor" / "build" / "echarts"
        self.assertTrue((built / "echarts.min.js").is_file(), "run make install")

    def test_no_absolute_urls_in_the_pages_or_their_static_files(self):
        """Nothing points at another host: not the page, not our JS or CSS."""
        self.assertTrue(OUR_STATIC)
        for name in ("reports:statistics", "reports:summary"):
            with self.subTest(page=name):
                html = self.get(name)
                self.assertEqual(ABSOLUTE_URL.findall(html), [])
                for _tag, attributes in parse(html).tags:
                    for attr in ("src", "href", "action"):
                        value = attributes.get(attr) or ""
                        self.assertFalse(value.startswith(("http:", "https:", "//")), value)
        for path in OUR_STATIC:
            with self.subTest(file=path.name):
                self.assertEqual(ABSOLUTE_URL.findall(path.read_text(encoding="utf-8")), [])

    def test_the_scanner_finds_an_absolute_url(self):
        """The pattern of the test above catches the forms a CDN link takes."""
        for text in (
            '<script src="https://cdn.jsdelivr.net/npm/echarts"></script>',
            "url(//fonts.googleapis.com/css)",
            'fetch("http://10.0.0.1.example/x")',
        ):
            self.assertTrue(ABSOLUTE_URL.findall(text), text)

    def test_the_page_states_what_the_figures_cover(self):
        html = self.get()
        self.assertIn("统计期间", html)
        self.assertIn("2025-01-01 — 2025-12-31", html)
        self.assertIn("数据截至", html)
        self.assertIn("（实时统计）", html)
        self.assertIn("REPORTS_APPEAL_REVIEW_DAYS", html)

    def test_links_keep_the_filters(self):
        html = self.get(organ=self.personas.orgs.township.pk)
        organ = self.personas.orgs.township.pk
        self.assertIn(f'href="/reports/export.xlsx?year=2025&amp;organ={organ}"', html)
        self.assertIn(f'href="/reports/summary/?year=2025&amp;organ={organ}"', html)

    def test_bad_dates_are_refused_with_the_field_named(self):
        self.client.force_login(self.case_officer)
        response = self.client.get(
            reverse("reports:statistics"), {"start": "2025-06-01", "end": "2025-01-01"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIsNone(response.context["stats"])
        self.assertEqual(response.context["form"].errors["end"], ["开始日期不能晚于结束日期。"])
        response = self.client.get(
            reverse("reports:statistics"), {"start": "2010-01-01", "end": "2025-01-01"}
        )
        self.assertEqual(response.context["form"].errors["end"], ["统计期间不能超过10年。"])


class SummaryTests(PersonasMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        dataset.build(cls.personas)

    def setUp(self) -> None:
        self.client.force_login(self.office_head)
        response = self.client.get(reverse("reports:summary"), {"year": dataset.YEAR})
        self.assertEqual(response.status_code, 200)
        self.html = response.content.decode()
        self.page = parse(self.html)

    def test_the_summary_opens_with_the_years_figures_in_sentences(self):
        self.assertIn("镇雄县纪委监委2025年责任追究工作统计", self.html)
        self.assertIn(
            "2025年，镇雄县纪委监委共收到问题线索7件，其中不予受理1件；对7人次作出追究责任决定，"
            "涉及案件6件，另有1人次不予追究。",
            self.html,
        )
        self.assertIn(
            "按情节分，情节较轻3人次，情节较重3人次，情节严重1人次，涉嫌犯罪0人次。", self.html
        )
        self.assertIn(
            "收到申诉5件：维持原决定1件，变更原决定1件，撤销原决定1件，待复查1件，逾期不予受理1件。",
            self.html,
        )

    def test_every_table_and_no_chart(self):
        """All eleven tables, as tables; the summary has no chart to lose in print."""
        tables = [a["id"] for t, a in self.page.tags if t == "table"]
        self.assertEqual(len(tables), 11)
        self.assertFalse([a for _, a in self.page.tags if a.get("data-chart")])
        self.assertNotIn("echarts", self.html)

    def test_print_button_works_without_inline_code(self):
        buttons = [a for t, a in self.page.tags if t == "button" and "data-print" in a]
        self.assertEqual(len(buttons), 1)
        self.assertIn("/static/reports/print.js", self.html)
        self.assertIn("window.print()", (STATIC / "print.js").read_text(encoding="utf-8"))

    def test_the_print_stylesheet(self):
        """In print: no navigation (app.css), no buttons, filters or charts, tables unbroken."""
        self.assertIn('href="/static/reports/reports.css"', self.html)
        css = (STATIC / "reports.css").read_text(encoding="utf-8")
        printed = css[css.index("@media print") :]
        hidden = printed.split("{")[1]  # the selectors of the first rule inside @media print
        for selector in (".report-filters", ".chart", ".btn", "button"):
            self.assertIn(selector, hidden)
        self.assertIn("display: none !important", printed)
        self.assertIn("break-inside: avoid", printed)
        app = (Path(settings.BASE_DIR) / "static" / "css" / "app.css").read_text(encoding="utf-8")
        app_print = app[app.index("@media print") :].split("}")[0]
        for selector in (".topbar", ".sidenav", ".footer", ".breadcrumbs"):
            self.assertIn(selector, app_print)
