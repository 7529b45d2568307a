"""The statistics page in a real browser, under a Content-Security-Policy without inline
scripts or styles: every chart is drawn, nothing is refused, nothing leaves the site; in print
the charts give way to their tables."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accountability.reports.tests import dataset

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the platform's policy will allow at most: the site's own files, no inline code.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def with_policy(page, live_server) -> list[str]:  # type: ignore[no-untyped-def]
    """Serve the live server's responses with CSP; the console's complaints, as they come."""
    complaints: list[str] = []

    def add_policy(route) -> None:  # type: ignore[no-untyped-def]
        response = route.fetch()
        headers = {**response.headers, "content-security-policy": CSP}
        route.fulfill(response=response, headers=headers)

    def console(message) -> None:  # type: ignore[no-untyped-def]
        if message.type in ("error", "warning"):
            complaints.append(message.text)

    page.route(f"{live_server.url}/**", add_policy)
    page.on("console", console)
    page.on("pageerror", lambda error: complaints.append(str(error)))
    return complaints


def test_charts_draw_under_a_strict_policy(page, live_server, login, screenshot, personas):
    dataset.build(personas)
    login("case_officer", personas.password)
    complaints = with_policy(page, live_server)
    page.goto(f"{live_server.url}/reports/?year={dataset.YEAR}")
    expect(page.get_by_role("heading", name="责任追究统计")).to_be_visible()
    charts = page.locator("[data-chart]")
    expect(charts).to_have_count(11)
    for index in range(11):
        expect(charts.nth(index).locator("canvas")).to_have_count(1)
    tier = page.locator('[data-chart="by_tier"]')
    expect(tier).to_have_attribute("role", "img")
    expect(tier).to_have_attribute(
        "aria-label", "图表：按情节统计。追究责任合计7，最多的是“情节较轻”（3），详见下表。"
    )
    # The chart is drawn (some pixels are not white).
    drawn = page.evaluate(
        """() => {
          const canvas = document.querySelector('[data-chart="by_month"] canvas');
          const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
          let coloured = 0;
          for (let i = 0; i < data.length; i += 4) { if (data[i + 3] && data[i] < 240) coloured++; }
          return coloured;
        }"""
    )
    assert drawn > 100
    screenshot(page, "reports-01-statistics")
    assert complaints == [], complaints

    page.emulate_media(media="print")
    expect(page.locator(".report-chart").first).to_be_hidden()
    expect(page.locator(".sidenav")).to_be_hidden()
    expect(page.locator(".report-filters")).to_be_hidden()
    expect(page.locator("#table-by_tier")).to_be_visible()
    expect(page.get_by_role("link", name="导出Excel")).to_be_hidden()


def test_the_year_end_summary_prints_its_tables(page, live_server, login, screenshot, personas):
    dataset.build(personas)
    login("office_head", personas.password)
    complaints = with_policy(page, live_server)
    page.goto(f"{live_server.url}/reports/summary/?year={dataset.YEAR}")
    expect(page.get_by_text("镇雄县纪委监委2025年责任追究工作统计")).to_be_visible()
    expect(page.get_by_role("button", name="打印")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="打印")).to_be_hidden()
    expect(page.locator(".topbar")).to_be_hidden()
    expect(page.locator("table")).to_have_count(11)
    screenshot(page, "reports-02-summary-print")
    assert complaints == [], complaints
