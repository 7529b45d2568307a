"""The 法规条文 page: every article and item with its anchor, and each rulebook version."""

from __future__ import annotations

import re

from django.test import TestCase
from django.urls import reverse

import rulebook
from rulebook import regulation

URL = reverse("assessment:regulation")


class RegulationPageTests(TestCase):
    def setUp(self):
        self.response = self.client.get(URL)

    def test_every_article_and_item_has_its_anchor_and_text(self):
        """第一条 … 第十九条 and every item appear with the anchor the explanations link to."""
        self.assertEqual(self.response.status_code, 200)
        self.assertEqual(len(regulation.ARTICLES), 19)
        for article in regulation.ARTICLES:
            self.assertContains(self.response, f'id="{regulation.anchor(article.ref)}"')
            for item in article.items:
                self.assertContains(self.response, f'id="{regulation.anchor(item.ref)}"')
                self.assertContains(self.response, item.text)
        self.assertContains(self.response, regulation.TITLE)
        self.assertContains(self.response, regulation.quote("第十六条"))

    def test_each_version_shows_its_date_and_interpretations(self):
        """Each rulebook version is listed with its effective date and its named settings."""
        for version in rulebook.load().versions:
            self.assertContains(self.response, f'id="version-{version.id}"')
            self.assertContains(self.response, version.effective_from.isoformat())
            for interpretation in version.interpretations.values():
                self.assertContains(self.response, interpretation.title)
                self.assertContains(self.response, f'id="{version.id}-{interpretation.key}"')

    def test_settings_are_sentences_not_code_keys(self):
        """People read the named settings in words: no ``months = 12``, no ``version_choice``."""
        text = re.sub(r"<[^>]+>", " ", self.response.content.decode())
        for code in ("version_choice", "repeat_window", "months", "include_start", "True", " = "):
            self.assertNotIn(code, text)
        self.assertIn("回溯的月数：12", text)
        self.assertIn("回溯至的当日计入：是", text)

    def test_assessment_links_land_on_existing_anchors(self):
        """Every link from a 测算 result to the regulation points at an anchor of this page."""
        result = self.client.get(
            reverse("assessment:assess"),
            {
                "role": "部门负责人",
                "circumstance": "1",
                "conditions": "隐瞒不报",
                "severity": "严重",
                "lighter": "2",
                "decided_on": "2026-05-06",
                "received_on": "2026-05-08",
                "imposed": "党内警告",
            },
        )
        self.assertIn("result", result.context)
        for ref in result.context["result"]["citations"]:
            anchor = regulation.anchor(ref)
            self.assertContains(result, f'href="{URL}#{anchor}"')
            self.assertContains(self.response, f'id="{anchor}"')

    def test_english_page_keeps_the_regulation_text(self):
        """In English the chrome is translated; the regulation stays in its own words."""
        response = self.client.get(URL, headers={"accept-language": "en"})
        self.assertContains(response, "Regulation")
        self.assertContains(response, regulation.quote("第十条"))
