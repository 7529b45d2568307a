"""Every page carries a Content-Security-Policy that allows nothing inline and nothing from
another host, and no template needs more: no inline <script> or <style>, no style= and no
on*= event-handler attribute anywhere."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.test import TestCase
from django.urls import reverse

from accountability.cases.tests.factories import Flow
from accountability.demo.testing import PersonasMixin

POLICY = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
)
ROOT = Path(settings.BASE_DIR)
TEMPLATE_DIRS = [ROOT / "templates", *sorted((ROOT / "accountability").glob("*/templates"))]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.I)


class InlineFinder(HTMLParser):
    """Inline code in rendered HTML: script blocks, style blocks and attributes, handlers."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _value in attrs}
        if tag == "script" and "src" not in names:
            self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style>")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name in {"href", "src", "action"} and (value or "").strip().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}=javascript:…>")


def inline_code(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    return finder.found


class TemplateSourceTests(TestCase):
    def test_no_template_has_inline_script_style_or_event_handler(self):
        templates = [p for d in TEMPLATE_DIRS for p in d.rglob("*.html")]
        self.assertGreater(len(templates), 40)
        for path in templates:
            text = path.read_text(encoding="utf-8")
            for pattern in (INLINE_SCRIPT, INLINE_STYLE, EVENT_HANDLER, JAVASCRIPT_URL):
                with self.subTest(template=str(path.relative_to(ROOT)), rule=pattern.pattern):
                    self.assertIsNone(pattern.search(text))

    def test_the_checks_would_find_inline_code(self):
        html = '<script>x()</script><p style="a">b</p><a onclick="y()" href="javascript:z">'
        self.assertEqual(
            inline_code(html),
            [
                "<script> without src",
                "<p style=…>",
                "<a onclick=…>",
                "<a href=javascript:…>",
            ],
        )
        for pattern in (INLINE_SCRIPT, INLINE_STYLE, EVENT_HANDLER, JAVASCRIPT_URL):
            self.assertIsNotNone(pattern.search(html))


class PageHeaderTests(PersonasMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.case = Flow.register(cls.personas, informant_name="群众甲").case

    def assert_safe(self, response) -> None:
        self.assertEqual(response.status_code, 200, response.get("Location"))
        policy = response["Content-Security-Policy"]
        for directive in POLICY:
            self.assertIn(directive, policy)
        self.assertNotIn("unsafe-inline", policy)
        self.assertEqual(inline_code(response.content.decode()), [])

    def test_an_error_page_carries_the_policy_and_no_inline_code_either(self):
        self.client.force_login(self.audit_admin)
        response = self.client.get(reverse("cases:detail", args=[self.case.pk]))
        self.assertIn(response.status_code, {403, 404})
        self.assertIn("default-src 'self'", response["Content-Security-Policy"])
        self.assertEqual(inline_code(response.content.decode()), [])

    def test_the_main_pages_carry_the_policy_and_no_inline_code(self):
        party = self.case.parties.first()
        pages = {
            None: [
                reverse("accounts:login"),
                reverse("assessment:assess"),
                reverse("assessment:regulation"),
            ],
            self.case_officer: [
                reverse("cases:queue"),
                reverse("cases:list") + "?state=clue_registered",
                reverse("cases:clue_create"),
                reverse("cases:detail", args=[self.case.pk]),
                reverse("cases:informant", args=[self.case.pk]),
                reverse("cases:party_facts", args=[self.case.pk, party.pk]),
                reverse("documents:case_documents", args=[self.case.pk]),
                reverse("people:list"),
                reverse("accounts:password_change"),
                reverse("assessment:assess") + "?role=具体承办人&circumstance=1",
            ],
            self.office_head: [reverse("documents:templates")],
            self.system_admin: [reverse("accounts:list"), reverse("assessment:holidays")],
            self.security_admin: [reverse("accounts:security")],
            self.audit_admin: [reverse("audit:log")],
        }
        for user, urls in pages.items():
            if user is not None:
                self.client.force_login(user)
            for url in urls:
                with self.subTest(user=getattr(user, "username", None), url=url):
                    self.assert_safe(self.client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans"))
            self.client.logout()

    def test_the_scripts_are_files_on_the_pages_that_use_them(self):
        self.client.force_login(self.case_officer)
        party = self.case.parties.first()
        response = self.client.get(reverse("cases:party_facts", args=[self.case.pk, party.pk]))
        self.assertContains(response, 'src="/static/js/party-facts.js"')
        self.assertContains(self.client.get(reverse("assessment:assess")), "js/assess.js")
