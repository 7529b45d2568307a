"""The main journey in a real browser: one clue taken to a closed file by the users who own
each step (Art 13), in Chinese, with dates in the past so that the appeal period has run out.
"""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from docx import Document
from playwright.sync_api import expect

from accountability.cases.models import Case, Decision
from accountability.cases.tests.factories import committee
from accountability.jobs.testing import clear_queue, run_jobs
from e2e.conftest import TABLET

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def context_args():
    """The whole journey runs with JavaScript off: every page works without it."""
    return {"java_script_enabled": False}


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


def docx_text(data: bytes) -> str:
    """The text of a .docx as python-docx reads it: paragraphs and table cells."""
    document = Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(p.text for cell in row.cells for p in cell.paragraphs)
    return "\n".join(lines)


def ago(days: int) -> str:
    return (timezone.localdate() - timedelta(days=days)).isoformat()


def state_is(page, text: str) -> None:
    expect(page.get_by_test_id("case-state")).to_have_text(text)


def check(page, text: str) -> None:
    """Tick the checkbox or radio whose label contains ``text``."""
    page.locator("label.check", has_text=text).first.locator("input").check()


def test_clue_to_closed_file(page, live_server, login, screenshot, personas):
    """A clue registered by the case officer ends as a closed file after every Art 13 step."""
    clear_queue()
    committee(personas)
    password = personas.password
    base = live_server.url

    # 13(1) The case officer registers the clue.
    login("case_officer", password)
    expect(page.get_by_role("heading", name="我的待办")).to_be_visible()
    page.get_by_role("link", name="登记问题线索").first.click()
    check(page, "群众信访举报")
    page.fill("#id_received_on", ago(60))
    page.fill("#id_summary", "群众反映吴刚在办理信访件时未按规定履行报批手续。")
    check(page, "吴刚")
    page.fill("#id_handling_opinion", "建议受理，由监督室组织调查核实。")
    page.fill("#id_informant_name", "匿名群众甲")
    page.get_by_role("button", name="登记").click()
    expect(page.get_by_text("问题线索已登记")).to_be_visible()
    state_is(page, "线索登记")
    case = Case.objects.get()
    case_url = f"{base}/cases/{case.pk}/"
    screenshot(page, "01-clue-registered")

    # The office head approves it from the work queue.
    login("office_head", password)
    expect(page.get_by_role("heading", name="待审批线索")).to_be_visible()
    page.get_by_role("link", name="办理").first.click()
    expect(page.get_by_role("heading", name="批准受理")).to_be_visible()
    page.fill("#id_approved_on", ago(58))  # entered after the fact: the day it happened
    page.fill("#id_opinion", "同意受理。")
    page.get_by_role("button", name="批准受理").click()
    expect(page.get_by_text("已批准受理。")).to_be_visible()
    state_is(page, "已受理")

    # 13(2) The case officer forms the team.
    login("case_officer", password)
    page.goto(case_url)
    page.get_by_role("link", name="成立调查组").first.click()
    check(page, "赵磊")
    page.select_option("#id_leader", str(personas.team_member.pk))
    page.fill("#id_formed_on", ago(55))
    page.get_by_role("button", name="成立调查组").click()
    expect(page.get_by_text("调查组已成立")).to_be_visible()
    state_is(page, "调查核实")

    # The team member records the facts, evidence, the hearing and the report.
    login("team_member", password)
    page.goto(case_url)
    page.get_by_role("link", name="认定责任事实：吴刚").click()
    page.select_option("#id_role", "具体承办人")
    page.select_option("#id_circumstance", "3")
    page.select_option("#id_severity", "较轻")
    page.fill("#id_occurred_on", ago(90))
    page.fill("#id_facts", "办理信访件时未按规定报批，擅自答复。")
    page.get_by_role("button", name="保存责任事实").click()
    expect(page.get_by_text("已保存责任事实认定。")).to_be_visible()
    expect(page.locator("#parties").get_by_text("第八条第(三)项").first).to_be_visible()

    page.get_by_role("link", name="登记证据材料").first.click()
    page.fill("#id_title", "信访件办理台账")
    page.fill("#id_collected_on", ago(50))
    page.get_by_role("button", name="登记证据").click()
    expect(page.get_by_text("已登记证据材料。")).to_be_visible()

    page.get_by_role("link", name="记录陈述和申辩：吴刚").click()
    page.fill("#id_held_on", ago(45))
    page.fill("#id_statement", "对未报批的事实无异议。")
    page.fill("#id_defence", "当时工作量大，系疏忽所致。")
    page.get_by_role("button", name="保存记录").click()
    expect(page.get_by_text("已记录陈述和申辩。")).to_be_visible()

    page.get_by_role("link", name="提交调查报告").first.click()
    page.fill("#id_submitted_on", ago(40))
    page.fill("#id_summary", "经调查核实，反映问题属实。")
    finding = page.locator("fieldset", has_text="吴刚")
    finding.locator("label.check", has_text="追究责任").locator("input").check()
    finding.locator("label.check", has_text="批评教育").locator("input").check()
    screenshot(page, "02-report-form")
    page.get_by_role("button", name="提交调查报告").click()
    expect(page.get_by_text("调查报告已提交常委会。")).to_be_visible()
    state_is(page, "已报告")

    # 13(3) The committee secretary records the meeting and the decision.
    login("committee_secretary", password)
    page.goto(case_url)
    page.get_by_role("link", name="记录常委会会议").first.click()
    page.fill("#id_held_on", ago(35))
    for box in page.locator("#id_members_present input").all():
        box.check()
    page.fill("#id_votes_for", "9")
    page.fill("#id_minutes", "会议听取了调查组的报告，同意调查组的建议。")
    page.get_by_role("button", name="记录会议").click()
    expect(page.get_by_text("已记录常委会会议")).to_be_visible()
    page.get_by_role("link", name="记录决定：吴刚").click()
    check(page, "追究责任")
    check(page, "批评教育")
    page.get_by_role("button", name="记录决定").click()
    expect(page.get_by_text("已记录责任追究决定。")).to_be_visible()
    state_is(page, "已决定")
    screenshot(page, "03-decided")

    # 13(4) The case officer checks the draft and issues the decision document through the
    # system (numbered, stored, frozen), downloads it as Word and PDF, then records both
    # deliveries.
    login("case_officer", password)
    page.goto(case_url)
    page.get_by_role("link", name="印发决定文书：吴刚").click()
    expect(page.get_by_role("heading", name="印发吴刚的决定文书")).to_be_visible()
    draft = page.request.get(
        base + page.get_by_role("link", name="草稿 Word").get_attribute("href")
    )
    assert draft.ok, draft.status
    assert draft.headers["content-type"] == DOCX
    assert "吴刚" in docx_text(draft.body())
    page.fill("#id_issued_on", ago(34))
    screenshot(page, "04-issue-decision-document")
    # Issuing stores the Word file at once; the PDF is queued for the worker (LibreOffice
    # never runs in the request), which this test runs here, as `accountability worker` would.
    page.get_by_role("button", name="印发决定文书").click()
    decision = Decision.objects.get()
    number = decision.document_number
    assert number == f"镇纪监干〔{ago(34)[:4]}〕1号", number  # the first of its year
    expect(page.get_by_text(f"已印发责任追究决定书（吴刚），发文字号{number}。")).to_be_visible()
    state_is(page, "决定文书已形成")
    issued = page.get_by_test_id("decision-document")
    expect(issued).to_contain_text(number)
    expect(issued).to_contain_text("PDF 排队中")
    expect(page.locator("#documents")).to_contain_text(number)
    assert run_jobs() == 1
    page.reload()
    issued = page.get_by_test_id("decision-document")
    screenshot(page, "04b-pdf-made")
    downloads = {}
    for label, fmt, content_type in (("下载 Word", "docx", DOCX), ("下载 PDF", "pdf", PDF)):
        link = issued.get_by_role("link", name=label)
        with page.expect_download(timeout=120_000) as info:
            link.click()
        data = Path(info.value.path()).read_bytes()
        assert info.value.suggested_filename.endswith(f".{fmt}")
        response = page.request.get(base + link.get_attribute("href"))
        assert response.ok, response.status
        assert response.headers["content-type"] == content_type
        assert response.body() == data, f"the {fmt} served twice differs"
        downloads[fmt] = data
    text = docx_text(downloads["docx"])
    assert "责任追究决定书" in text
    assert "吴刚" in text
    assert number in text
    assert downloads["pdf"].startswith(b"%PDF")
    for recipient in ("被追究责任者本人", "所在单位"):
        page.get_by_role("link", name="记录送达：吴刚").click()
        check(page, recipient)
        page.fill("#id_delivered_on", ago(33))
        page.fill("#id_received_by", "吴刚")
        page.get_by_role("button", name="记录送达").click()
        expect(page.get_by_text("已记录送达")).to_be_visible()
    state_is(page, "已送达")
    # The appeal period (15 days from delivery) has run out: the decision is final (生效).
    expect(page.get_by_test_id("decision-status")).to_have_text("已生效")

    # The archivist files the materials in the personal dossier.
    login("archivist", password)
    page.goto(case_url)
    page.get_by_role("link", name="归入干部个人档案").first.click()
    page.fill("#id_archived_on", ago(30))
    page.fill("#id_received_by", "刘芳")
    page.get_by_role("button", name="记录归档").click()
    expect(page.get_by_text("已记录归入干部个人档案。")).to_be_visible()

    # The case officer records the filing with the city and closes the case.
    login("case_officer", password)
    page.goto(case_url)
    page.get_by_role("link", name="报市纪委备案").first.click()
    page.fill("#id_filed_on", ago(30))
    page.fill("#id_reference", "镇纪干监备〔2025〕1号")
    page.get_by_role("button", name="记录备案").click()
    state_is(page, "已归档备案")
    page.get_by_role("link", name="办结").first.click()
    page.get_by_role("button", name="办结").click()
    expect(page.get_by_text("案件已办结。")).to_be_visible()
    state_is(page, "已办结")
    expect(page.locator("#timeline")).to_contain_text("批准受理")
    screenshot(page, "05-closed")

    # The same page on a tablet: nothing wider than the screen.
    page.set_viewport_size(TABLET)
    page.reload()
    state_is(page, "已办结")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(page, "06-closed-tablet")
