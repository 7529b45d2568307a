"""The person's record and a vetting reply in a real browser (screenshots for review)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accountability.cases.tests.factories import Flow, ago
from accountability.vetting import services
from accountability.vetting.tests.helpers import decided

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_person_page_and_a_reply(page, live_server, login, screenshot, personas):
    people = personas.people
    decided(personas, people.handler, ["诫勉"])
    Flow.register(personas, people.direct, received_days_ago=3)
    vetting = services.vetting_submit(
        actor=personas.archivist,
        purpose="promotion",
        intended_on=ago(0),
        reference="组干函〔2026〕7号",
        lines="吴刚,ZX0008\n朱磊,,第一监督检查室\n胡静\n查无此人",
    )
    services.vetting_answer(vetting=vetting)
    login("case_officer", personas.password)
    page.goto(f"{live_server.url}/people/{people.handler.pk}/")
    expect(page.get_by_role("heading", name="正在执行的影响期(第十七条)")).to_be_visible()
    expect(page.get_by_text("不得提拔或者重用")).to_be_visible()
    screenshot(page, "vetting-person")
    page.goto(f"{live_server.url}/vetting/{vetting.pk}/")
    expect(page.get_by_text("不同意", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="确认回复意见")).to_be_visible()
    screenshot(page, "vetting-reply")
    page.get_by_label("胡静").first.check()
    page.get_by_role("button", name="确认", exact=True).click()
    page.get_by_role("button", name="确认回复意见").click()
    expect(page.get_by_text("待领导签发")).to_be_visible()
    page.goto(f"{live_server.url}/vetting/barred/")
    expect(page.get_by_text("吴刚")).to_be_visible()
    screenshot(page, "vetting-barred")
