"""Every main staff page in a real browser, as the users who work it (issue 9, "Every screen,
every user"): axe-core finds no serious or critical violation, a failed submit takes the focus
to its errors, the pages fit a 390 px phone, a case page prints without its buttons and with
its folded sections open, and the stylesheets use nothing newer than Chromium 90 (the county's
奇安信 and UOS browsers).

axe-core is injected from the project's own static files, as in e2e/test_public.py. Every
failure names the page it was found on. Screenshots go to var/screenshots/a11y/ (not
committed).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

from accountability.cases.tests.factories import Flow, committee
from accountability.cases.workflow import State
from accountability.jobs.models import Job

BROWSER = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(django_settings.BASE_DIR)
SHOTS = ROOT / "var" / "screenshots" / "a11y"
AXE = "/static/vendor/build/axe-core/axe.min.js"
PHONE = {"width": 390, "height": 844}
#: The stylesheets the staff and public pages load.
STYLESHEETS = ("static/css/app.css", "static/public/public.css", "static/reports/reports.css")
#: A work queue of a dozen items is a few screens on a phone, not 11,000 px.
QUEUE_MAX_HEIGHT = 6000
#: Pages whose layout changes most on a phone (stacked rows): axe-core runs there at 390 px too.
ON_THE_PHONE_TOO = ("工作台（我的待办）", "案件列表", "案件页：已送达", "审计日志", "统计")


def shot(page: Any, name: str, *, full_page: bool = True) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def axe_violations(page: Any) -> list[str]:
    """The serious and critical violations axe-core finds on the page, one line each."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        origin = page.evaluate("() => location.origin")
        page.add_script_tag(url=origin + AXE)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:4]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@dataclass
class Cases:
    clue: Any
    investigating: Any
    reported: Any
    delivered: Any


def build(personas: Any) -> Cases:
    """Cases in several states, and enough of them that the work queue has a dozen rows."""
    committee(personas)
    p = personas.people
    clue = Flow.register(personas, p.township_handler, summary="乡镇纪委干事泄露工作信息。")
    for _ in range(4):
        Flow.register(personas, p.handler, summary="群众反映某科员在办理信访件时未按规定报批。")
    investigating = Flow.register(personas, p.handler, p.direct).to(State.INVESTIGATING)
    reported = Flow.register(personas, p.handler).to(State.REPORTED)
    delivered = Flow.register(personas, p.handler, p.direct).to(State.DELIVERED)
    return Cases(clue.case, investigating.case, reported.case, delivered.case)


def a_job(personas: Any) -> Job:
    return Job.objects.create(
        kind="accountability.documents.jobs.document_render",
        label="生成文书：问责决定书",
        owner=personas.case_officer,
        state=Job.State.FAILED,
        progress_done=1,
        progress_total=3,
        message="正在排版",
        error="模板中有无法识别的字段。",
        attempts=1,
    )


def main_pages(personas: Any, cases: Cases, job: Job) -> list[tuple[str, str, str]]:
    """(persona, page name, path) of the main staff pages."""
    c = cases
    party = c.investigating.parties.order_by("id").first().pk
    return [
        ("", "登录页", "/accounts/login/"),
        ("case_officer", "工作台（我的待办）", "/"),
        ("case_officer", "案件列表", "/cases/"),
        ("case_officer", "案件页：线索登记", f"/cases/{c.clue.pk}/"),
        ("case_officer", "案件页：调查核实", f"/cases/{c.investigating.pk}/"),
        ("case_officer", "案件页：已报告", f"/cases/{c.reported.pk}/"),
        ("case_officer", "案件页：已送达", f"/cases/{c.delivered.pk}/"),
        ("case_officer", "登记问题线索", "/cases/new/"),
        ("case_officer", "补充证据（流程表单）", f"/cases/{c.investigating.pk}/evidence/add/"),
        ("case_officer", "测算", "/assess/?role=具体承办人&circumstance=1"),
        ("case_officer", "条例", "/regulation/"),
        ("case_officer", "人员库", "/people/"),
        ("case_officer", "案件文书", f"/documents/cases/{c.delivered.pk}/"),
        ("case_officer", "统计", "/reports/"),
        ("case_officer", "后台任务", f"/jobs/{job.pk}/"),
        ("office_head", "审批受理（流程表单）", f"/cases/{c.clue.pk}/approve/"),
        ("office_head", "文书模板", "/documents/templates/"),
        ("committee_secretary", "工作台（常委会）", "/cases/queue/"),
        ("audit_admin", "审计日志", "/audit/"),
        ("security_admin", "账号列表", "/accounts/"),
        ("security_admin", "账号申请", "/accounts/requests/"),
        ("security_admin", "安全设置", "/accounts/security/"),
        ("system_admin", "节假日", "/holidays/"),
        ("system_admin", "账号编辑", f"/accounts/{personas.case_officer.pk}/"),
        ("system_admin", "新建账号", "/accounts/new/"),
        ("case_officer", "人员详情", f"/people/{personas.people.handler.pk}/"),
        ("case_officer", "花名册导入", "/people/import/"),
        ("case_officer", "网上举报", "/petitions/"),
        ("case_officer", "举报人信息", f"/cases/{c.clue.pk}/informant/"),
        ("case_officer", "修改密码", "/accounts/password/"),
        (
            "team_member",
            "认定事实（流程表单）",
            f"/cases/{c.investigating.pk}/parties/{party}/facts/",
        ),
        ("case_officer", "年度统计报告", "/reports/summary/"),
        ("subject", "我的处理决定（被追责人）", "/cases/queue/"),
    ]


def visit(page: Any, login: Callable[[str, str], None], personas: Any, base: str) -> Any:
    """Go to a path as a persona (logging in only when the persona changes)."""
    current = {"who": None}

    def go(who: str, path: str) -> Any:
        if who != current["who"]:
            if who:
                login(who, personas.password)
            else:
                page.context.clear_cookies()
            current["who"] = who
        response = page.goto(base + path)
        page.wait_for_load_state()
        return response

    return go


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_main_page_passes_axe(page, live_server, login, personas):
    """No serious or critical axe-core violation on any main page, as its own users see it."""
    cases = build(personas)
    job = a_job(personas)
    go = visit(page, login, personas, live_server.url)
    found: dict[str, list[str]] = {}
    for who, name, path in main_pages(personas, cases, job):
        response = go(who, path)
        assert response.status == 200, f"{name} ({path}) as {who or 'anonymous'}: {response.status}"
        violations = axe_violations(page)
        if violations:
            found[f"{name} ({path}, {who or 'anonymous'})"] = violations
    report = "\n".join(f"{name}:\n  " + "\n  ".join(v) for name, v in found.items())
    assert not found, f"axe-core violations on {len(found)} pages:\n{report}"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_failed_submit_takes_the_focus_to_the_errors(page, live_server, login, personas):
    """After a refused form the focus is on the error summary or the first invalid field, every
    aria-describedby points at something, and the page still passes axe-core."""
    login("case_officer", personas.password)
    page.goto(f"{live_server.url}/cases/new/")
    page.fill("#id_summary", "群众反映某科员未按规定报批。")
    page.get_by_role("button", name="登记").click()
    page.wait_for_load_state()
    expect(page.get_by_text("表单中有错误").first).to_be_visible()
    focused = page.evaluate(
        """() => {
          const el = document.activeElement;
          return {
            tag: el.tagName.toLowerCase(),
            summary: !!el.closest('.form-errors'),
            invalid: el.getAttribute('aria-invalid') === 'true' || !!el.closest('.field--error'),
          };
        }"""
    )
    assert focused["summary"] or focused["invalid"], f"登记问题线索（提交失败）: focus on {focused}"
    dangling = page.evaluate(
        """() => [...document.querySelectorAll('[aria-describedby]')].flatMap(el =>
             el.getAttribute('aria-describedby').split(/\\s+/).filter(Boolean)
               .filter(id => !document.getElementById(id))
               .map(id => `${el.id || el.name}→${id}`))"""
    )
    assert dangling == [], f"登记问题线索（提交失败）: aria-describedby to nothing: {dangling}"
    violations = axe_violations(page)
    assert violations == [], f"登记问题线索（提交失败）: {violations}"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_keyboard_focus_shows_on_radios_and_checkboxes(page, live_server, login, personas):
    """Tabbing onto a radio or a checkbox draws a ring around it (2px or more, not a faint
    shadow), on the clue form and on the assess page."""
    login("case_officer", personas.password)
    for name, path in (("登记问题线索", "/cases/new/"), ("测算", "/assess/")):
        page.goto(live_server.url + path)
        kinds: dict[str, Any] = {}
        for _ in range(80):
            page.keyboard.press("Tab")
            focus = page.evaluate(
                """() => { const el = document.activeElement; const s = getComputedStyle(el);
                     return {type: el.type || '', style: s.outlineStyle,
                             width: parseFloat(s.outlineWidth) || 0}; }"""
            )
            if focus["type"] in ("radio", "checkbox") and focus["type"] not in kinds:
                kinds[focus["type"]] = focus
            if len(kinds) == 2:
                break
        assert kinds, f"{name}: no radio or checkbox reached by Tab"
        for kind, focus in kinds.items():
            assert focus["style"] != "none" and focus["width"] >= 2, f"{name}: {kind} {focus}"
    # A ticked choice is marked on its label without :has() (js/a11y.js).
    choice = page.locator("label.check", has=page.locator("input[type=radio]")).first
    choice.click()
    expect(choice).to_have_class(re.compile(r"\bis-checked\b"))


# Elements wider than the viewport that are not inside a horizontal scroll container.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = el => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const x = getComputedStyle(a).overflowX;
      if ((x === 'auto' || x === 'scroll') && a.clientWidth <= width) return true;
    }
    return false;
  };
  return [...document.querySelectorAll('body *')].filter(el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && (r.right > width + 1 || r.left < -1) && !scrolls(el)
      && getComputedStyle(el).position !== 'absolute';
  }).slice(0, 5).map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''));
}"""
# Scroll containers a keyboard cannot reach (no focusable element inside, no tabindex).
UNREACHABLE_SCROLLERS = """() => [...document.querySelectorAll('body *')].filter(el => {
  const s = getComputedStyle(el);
  if (!['auto', 'scroll'].includes(s.overflowX)) return false;
  if (el.scrollWidth <= el.clientWidth + 1) return false;
  const focusable = 'a[href], button, input, select, textarea, [tabindex]';
  return !el.hasAttribute('tabindex') && !el.querySelector(focusable);
}).map(el => el.className)"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("context_args", [{"viewport": PHONE, "is_mobile": True}])
def test_the_main_pages_fit_a_phone(page, live_server, login, personas, context_args):
    """At 390 px nothing is wider than the screen except inside a scroll container the keyboard
    reaches, and the work queue stays a few screens tall."""
    cases = build(personas)
    for _ in range(3):  # two hearings each: the case officer's queue has a dozen rows
        Flow.register(personas, personas.people.handler, personas.people.direct).to(
            State.INVESTIGATING
        )
    job = a_job(personas)
    go = visit(page, login, personas, live_server.url)
    problems: dict[str, Any] = {}
    for who, name, path in main_pages(personas, cases, job):
        go(who, path)
        wide = page.evaluate(OVERFLOWING)
        stuck = page.evaluate(UNREACHABLE_SCROLLERS)
        if wide or stuck:
            problems[name] = {"wider than 390px": wide, "scroll area out of keyboard reach": stuck}
        if name in ON_THE_PHONE_TOO:
            violations = axe_violations(page)
            if violations:
                problems[name] = {"axe-core": violations}
        if name.startswith("工作台（我的待办）"):
            height = page.evaluate("() => document.documentElement.scrollHeight")
            shot(page, "phone-queue")
            assert height < QUEUE_MAX_HEIGHT, f"{name} on a phone is {height}px tall"
            rows = page.locator("#main table tbody tr")
            assert rows.count() >= 12, rows.count()
            cell = rows.first.locator("td").nth(1)
            assert cell.evaluate("td => td.getBoundingClientRect().width") > 120, name
        if name == "案件列表":
            shot(page, "phone-case-list")
        if name == "案件页：已送达":
            shot(page, "phone-case-page")
    assert not problems, f"on a 390px phone: {problems}"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_case_page_prints_without_buttons_and_with_its_sections_open(
    page, live_server, login, personas
):
    cases = build(personas)
    login("case_officer", personas.password)
    for label, case in (("已送达", cases.delivered), ("调查核实", cases.investigating)):
        page.goto(f"{live_server.url}/cases/{case.pk}/")
        assert page.locator("details").count() > 0, f"案件页：{label} has no folded section"
        page.emulate_media(media="print")
        page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
        visible_buttons = page.evaluate(
            """() => [...document.querySelectorAll('button, .btn, [type=submit], textarea, form')]
                 .filter(el => el.getClientRects().length > 0)
                 .map(el => el.outerHTML.slice(0, 80))"""
        )
        assert visible_buttons == [], f"案件页：{label} printed with {visible_buttons[:5]}"
        closed = page.evaluate(
            "() => [...document.querySelectorAll('details')].filter(d => !d.open).length"
        )
        assert closed == 0, f"案件页：{label} printed with {closed} sections folded"
        for selector in ("nav.sidenav", "header.topbar", ".breadcrumbs"):
            expect(page.locator(selector).first).to_be_hidden()
        hidden_content = page.evaluate(
            """() => [...document.querySelectorAll('details > :not(summary)')]
                 .filter(el => el.getClientRects().length === 0 && el.textContent.trim()).length"""
        )
        assert hidden_content == 0, f"案件页：{label}: {hidden_content} folded parts not printed"
        if label == "已送达":
            shot(page, "print-case-page")
            page.pdf(path=str(SHOTS / "print-case-page.pdf"))
        page.emulate_media(media="screen")


# CSS that Chromium 90–93 does not know (the county machines): a rule using it is lost there.
NEWER_THAN_CHROMIUM_90 = {
    ":has(": ":has() (Chromium 105)",
    "accent-color": "accent-color (Chromium 93)",
    "@container": "container queries (Chromium 105)",
    "container-type": "container queries (Chromium 105)",
    "@layer": "cascade layers (Chromium 99)",
    "color-mix(": "color-mix() (Chromium 111)",
    "oklch(": "oklch() (Chromium 111)",
    "oklab(": "oklab() (Chromium 111)",
    "hwb(": "hwb() (Chromium 101)",
    "text-wrap": "text-wrap (Chromium 114)",
    "@scope": "@scope (Chromium 118)",
    "subgrid": "subgrid (Chromium 117)",
    "scrollbar-gutter": "scrollbar-gutter (Chromium 94)",
    ":user-invalid": ":user-invalid (Chromium 119)",
    "@starting-style": "@starting-style (Chromium 117)",
}
NEWER_PATTERNS = {
    r"\d(?:dvh|svh|lvh|dvw|svw|lvw)\b": "dynamic viewport units (Chromium 108)",
    r"@media[^{]*\((?:min-|max-)?(?:width|height)\s*[<>]=?": "media range syntax (Chromium 104)",
    r"(?m)^\s*(?:translate|rotate|scale)\s*:": "individual transform properties (Chromium 104)",
    r"(?m)^\s*&": "CSS nesting (Chromium 112)",
}


def test_the_stylesheets_use_nothing_newer_than_chromium_90():
    found = []
    for name in STYLESHEETS:
        text = re.sub(r"/\*.*?\*/", "", (ROOT / name).read_text(encoding="utf-8"), flags=re.S)
        found += [f"{name}: {what}" for key, what in NEWER_THAN_CHROMIUM_90.items() if key in text]
        found += [f"{name}: {what}" for key, what in NEWER_PATTERNS.items() if re.search(key, text)]
    assert found == []


# Script APIs and syntax that came after Chromium 90 (the site's own scripts, not the vendored).
NEWER_SCRIPT = {
    r"\.at\(": "Array/String.prototype.at (Chromium 92)",
    r"Object\.hasOwn\(": "Object.hasOwn (Chromium 93)",
    r"structuredClone\(": "structuredClone (Chromium 98)",
    r"\.findLast(?:Index)?\(": "findLast (Chromium 97)",
    r"\.to(?:Sorted|Reversed|Spliced)\(": "change-array-by-copy (Chromium 110)",
    r"\bstatic\s*\{": "class static blocks (Chromium 94)",
    r"\.groupBy\(": "Object.groupBy (Chromium 117)",
}


def test_the_site_scripts_use_nothing_newer_than_chromium_90():
    scripts = [*ROOT.glob("static/js/*.js"), *ROOT.glob("static/public/*.js")]
    scripts += ROOT.glob("static/reports/*.js")
    found = [
        f"{path.relative_to(ROOT)}: {what}"
        for path in scripts
        for key, what in NEWER_SCRIPT.items()
        if re.search(key, path.read_text(encoding="utf-8"))
    ]
    assert scripts and found == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_main_pages_in_english_pass_axe(page, live_server, login, personas):
    """The same check with the English interface (other text lengths, lang="en"), chosen with
    the language switch after logging in."""
    cases = build(personas)
    login("case_officer", personas.password)
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    found = {}
    for name, path in (
        ("work queue", "/cases/queue/"),
        ("case list", "/cases/"),
        ("case page (delivered)", f"/cases/{cases.delivered.pk}/"),
        ("clue form", "/cases/new/"),
        ("assess", "/assess/?role=具体承办人&circumstance=1"),
    ):
        page.goto(live_server.url + path)
        assert page.evaluate("() => document.documentElement.lang") == "en", name
        violations = axe_violations(page)
        if violations:
            found[name] = violations
    assert not found, f"axe-core violations in English: {found}"
