"""Case pages in a real browser on a tablet (768px): layout, Chinese refusals, the queue."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accountability.cases.tests.factories import Flow, committee
from accountability.cases.workflow import State
from e2e.conftest import TABLET

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FITS = "document.documentElement.scrollWidth <= window.innerWidth + 1"


@pytest.fixture
def context_args():
    return {"viewport": TABLET}


def test_tablet_pages_fit_and_refuse_in_chinese(page, live_server, login, screenshot, personas):
    """On a 768px tablet the queue, list, case page and a refused form fit the screen."""
    committee(personas)
    p = personas.people
    reported = Flow.register(personas, p.handler, p.direct).to(State.REPORTED)
    Flow.register(personas, p.township_handler, summary="乡镇纪委干事泄露工作信息。")
    base = live_server.url

    login("committee_secretary", personas.password)
    expect(page.get_by_role("heading", name="待常委会研究决定")).to_be_visible()
    assert page.evaluate(FITS)
    screenshot(page, "tablet-01-queue")

    page.goto(f"{base}/cases/?severity=较轻")
    expect(page.get_by_text("共 1 件")).to_be_visible()
    assert page.evaluate(FITS)
    screenshot(page, "tablet-02-list")

    page.goto(f"{base}/cases/{reported.case.pk}/meeting/")
    boxes = page.locator("#id_members_present input")
    for index in range(3):
        boxes.nth(index).check()
    page.fill("#id_votes_for", "3")
    page.get_by_role("button", name="记录会议").click()
    expect(page.get_by_text("未达到规定人数")).to_be_visible()
    expect(page.get_by_text("表单中有错误")).to_be_visible()
    assert page.evaluate(FITS)
    screenshot(page, "tablet-03-meeting-refused")

    page.goto(f"{base}/cases/{reported.case.pk}/")
    expect(page.get_by_test_id("case-state")).to_have_text("已报告")
    expect(page.get_by_text("调查报告所附测算").first).to_be_visible()
    assert page.evaluate(FITS)
    screenshot(page, "tablet-04-detail", full_page=False)
