"""The statistics pages in English: no Chinese left apart from data and the regulation's terms
(checked as accountability/common/tests/test_i18n.py checks the other pages)."""

from __future__ import annotations

from django.conf import settings
from django.test import TestCase
from django.urls import reverse
from django.utils import translation

import rulebook
from accountability.common.tests.test_i18n import (
    ARTICLE_REF,
    CJK,
    legal_terms,
    stored_data,
    strip,
    visible_text,
)
from accountability.demo.testing import PersonasMixin
from accountability.reports.tests import dataset


class EnglishStatisticsTests(PersonasMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        dataset.build(cls.personas)

    def setUp(self) -> None:
        self.addCleanup(translation.activate, settings.LANGUAGE_CODE)
        version = rulebook.load().version_at(dataset.TODAY)
        self.allowed = stored_data() | legal_terms(version)
        self.allowed.add(getattr(settings, "ORGANISATION_NAME", ""))

    def english(self, name: str, user=None) -> str:  # type: ignore[no-untyped-def]
        self.client.force_login(user or self.case_officer)
        response = self.client.get(reverse(name), {"year": dataset.YEAR}, HTTP_ACCEPT_LANGUAGE="en")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Language"], "en")
        text = visible_text(response.content.decode())
        rest = ARTICLE_REF.sub(" ", strip(text, self.allowed))
        left = sorted({m.group() for m in CJK.finditer(rest)})
        # (All of the interface left Chinese: is the .mo compiled? accountability compilemessages)
        self.assertEqual(left, [], "Chinese left on an English page")
        return text

    def test_the_statistics_page(self):
        text = self.english("reports:statistics")
        for label in (
            "Accountability statistics",
            "By month",
            "January",
            "Held accountable (persons)",
            "Time per step",
            "Own organs and those below, side by side",
            "Chart: By tier. Held accountable: 7 in total, most for “情节较轻” (3); see the table.",
            "Export to Excel",
            "Review of appeals (within 30 days)",
        ):
            self.assertIn(label, text)

    def test_the_year_end_summary(self):
        text = self.english("reports:summary", self.office_head)
        self.assertIn(
            "In 2025, 镇雄县纪委监委 received 7 clues and rejected 1 of them; it decided to hold 7 "
            "persons accountable in 6 cases, and not to hold 1 accountable.",
            text,
        )
        self.assertIn("By tier: 情节较轻 3, 情节较重 3, 情节严重 1, 涉嫌犯罪 0.", text)

    def test_the_township_page(self):
        self.english("reports:statistics", self.township_officer)

    def test_the_city_page(self):
        text = self.english("reports:statistics", self.city_officer)
        self.assertIn("昭通市纪委监委 (own organs)", text)
