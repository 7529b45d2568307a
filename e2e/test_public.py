"""The informant's channel in a real browser, with the public pages on a host of their own.

The live server answers both http://127.0.0.1:PORT (set as the public host, PUBLIC_HOSTS) and
http://localhost:PORT (the staff host, PUBLIC_ON_STAFF_HOSTS=false). The reporter's browser
records every request it makes and must never leave 127.0.0.1; the public pages pass axe-core
(injected from the project's own static files) without a serious or critical violation.
Screenshots go to var/screenshots/public/ (not committed).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from captcha.models import CaptchaStore
from django.conf import settings as django_settings
from PIL import Image
from playwright.sync_api import expect

from accountability.cases.models import Case
from accountability.public.models import PublicReport, ReportFile
from e2e.conftest import CHROMIUM, DESKTOP, LAUNCH_ARGS, pass_second_factor  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(django_settings.BASE_DIR) / "var" / "screenshots" / "public"
PHONE = {"width": 390, "height": 844}
AXE = "/static/vendor/build/axe-core/axe.min.js"


@pytest.fixture(autouse=True)
def separate_hosts(settings: Any) -> None:
    settings.PUBLIC_HOSTS = ["127.0.0.1"]
    settings.PUBLIC_ON_STAFF_HOSTS = False
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]


@pytest.fixture
def hosts(live_server: Any) -> dict[str, str]:
    port = urlsplit(live_server.url).port
    return {"public": f"http://127.0.0.1:{port}", "staff": f"http://localhost:{port}"}


class Recorder:
    """Every request a context makes; anything off its own host is also refused."""

    def __init__(self, context: Any, base: str) -> None:
        self.base = base
        self.urls: list[str] = []
        context.on("request", lambda request: self.urls.append(request.url))

        def guard(route: Any) -> None:
            if route.request.url.startswith(base):
                route.continue_()
            else:
                route.abort()

        context.route("**/*", guard)

    def hosts(self) -> set[str]:
        return {urlsplit(url).hostname or "" for url in self.urls}


@pytest.fixture
def reporter(browser: Any, hosts: dict[str, str]) -> Iterator[tuple[Any, Recorder]]:
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    recorder = Recorder(context, hosts["public"])
    page = context.new_page()
    yield page, recorder
    context.close()


@pytest.fixture
def office(browser: Any, hosts: dict[str, str]) -> Iterator[tuple[Any, Recorder]]:
    context = browser.new_context(locale="zh-CN", viewport=DESKTOP)
    context.set_default_timeout(15_000)
    recorder = Recorder(context, hosts["staff"])
    page = context.new_page()
    yield page, recorder
    context.close()


def shot(page: Any, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def accessible(page: Any, base: str) -> None:
    """axe-core from the project's static files: no serious or critical violation."""
    page.add_script_tag(url=base + AXE)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == [], bad


def answer_challenge(page: Any) -> None:
    key = page.locator('input[name="challenge_0"]').get_attribute("value")
    page.fill("#id_challenge_1", CaptchaStore.objects.get(hashkey=key).response.upper())


def photo_with_gps() -> bytes:
    image = Image.new("RGB", (120, 80), "white")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (27.0, 26.0, 30.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def staff_login(page: Any, base: str, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    if "/accounts/login/second-factor/" in page.url:
        pass_second_factor(page, username)
    assert "/accounts/login/" not in page.url, f"login failed for {username}"


def public_status(page: Any) -> Any:
    return page.get_by_test_id("public-status")


def test_report_receipt_reply_answer_and_conclusion(reporter, office, hosts, personas):
    """A report with a photo → receipt with the code → the officer registers it and replies →
    the head approves → the reporter reads it with the code and answers → the clue is closed
    and the reporter sees 已办结; the reporter's browser never leaves 127.0.0.1."""
    page, recorded = reporter
    public = hosts["public"]
    staff_page, staff_recorded = office
    staff = hosts["staff"]

    # The report, on a phone, in Chinese.
    page.goto(f"{public}/report/")
    expect(page.get_by_role("heading", name="我要举报")).to_be_visible()
    expect(page.locator("img.challenge__image")).to_have_js_property("complete", True)
    assert page.locator("img.challenge__image").evaluate("i => i.naturalWidth") > 0
    shot(page, "01-report-form")
    accessible(page, public)
    page.fill("#id_subject_name", "王五")
    page.fill("#id_subject_unit", "县纪委监委第一监督检查室")
    page.fill("#id_subject_post", "科员")
    page.fill("#id_occurred", "2026年5月前后")
    page.fill("#id_facts", "王五在核查信访件时收受被反映人所送购物卡，未按规定报告。")
    page.set_input_files(
        "#id_files",
        files=[{"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": photo_with_gps()}],
    )
    page.get_by_label("实名举报（留下姓名和联系方式，将加密保存）").check()
    page.fill("#id_reporter_name", "赵六")
    page.fill("#id_reporter_contact", "13800000000")
    answer_challenge(page)
    page.get_by_role("button", name="提交举报").click()

    # The receipt: the code once, a print button (a script file), a print layout.
    expect(page.get_by_role("heading", name="举报回执")).to_be_visible()
    code = page.get_by_test_id("receipt-code").inner_text().strip()
    assert re.fullmatch(r"([0-9A-Z]{4}-){4}[0-9A-Z]{4}", code), code
    expect(page.get_by_role("button", name="打印回执")).to_be_visible()
    shot(page, "02-receipt")
    accessible(page, public)
    page.emulate_media(media="print")
    expect(page.locator("header.bar")).to_be_hidden()
    expect(page.get_by_role("button", name="打印回执")).to_be_hidden()
    shot(page, "03-receipt-print")
    page.emulate_media(media="screen")
    report = PublicReport.objects.get()
    stored = ReportFile.objects.get()
    assert b"PhoneMaker" not in stored.file.open("rb").read()

    # The staff host does not serve the public pages, nor the public host the staff pages.
    assert staff_page.goto(f"{staff}/report/").status == 404
    assert page.goto(f"{public}/accounts/login/").status == 404

    # The officer registers the report as a clue and replies on the case page.
    staff_login(staff_page, staff, "case_officer", personas.password)
    staff_page.goto(f"{staff}/petitions/")
    staff_page.get_by_role("link", name=f"网上举报第{report.pk}号").click()
    staff_page.get_by_role("link", name="登记为问题线索").first.click()
    staff_page.get_by_role("button", name="登记").click()
    expect(staff_page.get_by_text("已登记为问题线索")).to_be_visible()
    case = Case.objects.get()
    assert case.get_source_display() == "群众信访举报"
    expect(staff_page.get_by_test_id("case-public-status")).to_have_text("已受理")
    staff_page.locator("#public-report textarea[name=body]").fill("请补充具体时间和地点。")
    staff_page.locator("#public-report").get_by_role("button", name="提交答复").click()
    expect(staff_page.get_by_text("答复已提交，待监督室负责人审批后举报人可见。")).to_be_visible()

    # Not yet approved: the reporter sees no message.
    page.goto(f"{public}/report/lookup/")
    page.fill("#id_code", code.lower())
    answer_challenge(page)
    page.get_by_role("button", name="查询").click()
    expect(public_status(page)).to_have_text("已受理")
    expect(page.get_by_text("请补充具体时间和地点。")).to_have_count(0)

    # The office head approves the reply.
    staff_login(staff_page, staff, "office_head", personas.password)
    staff_page.goto(f"{staff}/cases/{case.pk}/")
    staff_page.locator("#public-report").get_by_role("button", name="批准发送").click()
    expect(staff_page.get_by_text("答复已批准，举报人凭查询码可见。")).to_be_visible()

    # The reporter reads it and answers.
    page.reload()
    expect(page.get_by_text("请补充具体时间和地点。")).to_be_visible()
    expect(page.get_by_text(personas.case_officer.full_name)).to_have_count(0)
    shot(page, "04-status")
    accessible(page, public)
    page.fill("#id_body", "时间是2026年5月12日下午，地点在其办公室。")
    page.get_by_role("button", name="发送").click()
    expect(page.get_by_text("消息已发送。")).to_be_visible()

    # The head sees the answer on the case page (who wrote, when), then closes the clue.
    staff_page.reload()
    panel = staff_page.locator("#public-report")
    expect(panel.get_by_text("时间是2026年5月12日下午，地点在其办公室。")).to_be_visible()
    expect(panel.get_by_text("举报人").first).to_be_visible()
    staff_page.get_by_role("link", name="不予受理").first.click()
    staff_page.fill("#id_reason", "经初步核实，反映问题已另案处理。")
    staff_page.get_by_role("button", name="不予受理").click()
    expect(staff_page.get_by_test_id("case-state")).to_have_text("不予受理")

    # The reporter sees 已办结 with its date, and nothing of the reason.
    page.reload()
    expect(public_status(page)).to_have_text("已办结")
    expect(page.get_by_text("另案处理")).to_have_count(0)
    expect(page.get_by_test_id("closed-note")).to_be_visible()
    shot(page, "05-status-closed")
    accessible(page, public)
    page.goto(f"{public}/report/lookup/")
    shot(page, "06-lookup")
    accessible(page, public)

    # Every request of the reporter's pages went to 127.0.0.1, and the staff's to their host.
    assert recorded.urls, "no request recorded"
    assert recorded.hosts() == {"127.0.0.1"}, recorded.hosts()
    assert staff_recorded.hosts() == {"localhost"}, staff_recorded.hosts()


def test_the_public_pages_in_english_pass_the_accessibility_check(reporter, hosts, personas):
    """The report page in English: translated, and without a serious or critical violation."""
    page, recorded = reporter
    public = hosts["public"]
    page.goto(f"{public}/report/")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Make a report")).to_be_visible()
    shot(page, "07-report-form-en")
    accessible(page, public)
    page.goto(f"{public}/report/lookup/")
    page.fill("#id_code", "0000-0000-0000-0000-0000")
    answer_challenge(page)
    page.get_by_role("button", name="Look up").click()
    expect(page.get_by_text("The follow-up code is not right.")).to_be_visible()
    accessible(page, public)
    assert recorded.hosts() == {"127.0.0.1"}
