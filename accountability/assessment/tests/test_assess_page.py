"""The 责任追究测算 page: a plain GET form whose result quotes the articles it applies."""

from __future__ import annotations

from datetime import date

from django.test import TestCase
from django.urls import reverse
from django.utils import translation

import rulebook
from accountability.assessment.forms import BAD_DATE, CONDITION_NOT_FOR_ROLE

URL = reverse("assessment:assess")

HANDLER = "具体承办人"
DIRECT = "直接负责人"

FULL_CASE = {
    "role": HANDLER,
    "circumstance": "3",
    "severity": "较重",
    "lighter": "1",
    "heavier": "2",
    "earlier_decisions": "2026-03-01",
    "occurred_on": "2026-08-01",
    "decided_on": "2026-09-25",
    "received_on": "2026-09-28",
    "imposed": ["通报", "诫勉"],
}


def zh(message, **params) -> str:
    with translation.override("zh-hans"):
        return str(message) % params


class AssessPageTests(TestCase):
    def test_empty_form_renders_in_chinese_without_result(self):
        """An empty GET shows the form with the regulation's roles and circumstances, no result."""
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        self.assertContains(
            response, '<h1 class="page-header__title">责任追究测算</h1>', html=False
        )
        for role in rulebook.load().first.roles:
            self.assertContains(response, role)
        self.assertContains(response, "第八条第(九)项")
        self.assertContains(response, 'method="get"')
        self.assertNotContains(response, 'id="result"')

    def test_full_assessment_shows_tier_measures_deadline_and_quoted_articles(self):
        """A complete GET shows what rulebook.assess_dict computes, quoting each cited article."""
        response = self.client.get(URL, FULL_CASE)
        self.assertEqual(response.status_code, 200)
        expected = rulebook.assess_dict(
            {
                "role": HANDLER,
                "circumstance": 3,
                "severity": "较重",
                "lighter": [1],
                "heavier": [2],
                "earlier_decisions": ["2026-03-01"],
                "occurred_on": "2026-08-01",
                "decided_on": "2026-09-25",
                "received_on": "2026-09-28",
                "imposed": ["通报", "诫勉"],
            }
        )
        self.assertContains(response, 'id="result"')
        self.assertEqual(expected["tier"], "较重")
        self.assertContains(response, "较重档")
        for measure in expected["measures"] + expected["reduced_measures"]:
            self.assertContains(response, f'<span class="tag">{measure}</span>', html=False)
        for adjustment in expected["adjustments"]:
            self.assertContains(response, adjustment)
        # 2026-09-28 + 15 days = 2026-10-13, a Tuesday after the National Day holiday.
        self.assertEqual(expected["appeal_deadline"], "2026-10-13")
        self.assertContains(response, '<strong class="deadline">2026-10-13</strong>', html=False)
        for restriction in expected["restrictions"]:
            self.assertContains(response, restriction["until"])
        for interpretation in expected["interpretations"]:
            self.assertContains(response, interpretation["title"])
        for ref in expected["citations"]:
            anchor = rulebook.regulation.anchor(ref)
            self.assertContains(response, f'href="/regulation/#{anchor}"')
            self.assertContains(response, rulebook.regulation.quote(ref))
        self.assertContains(response, "影响期(第十七条)")

    def test_result_is_the_same_without_javascript(self):
        """The page needs no script: every role's conditions are in the HTML, grouped by role."""
        response = self.client.get(URL)
        version = rulebook.load().first
        for conditions in version.conditions.values():
            for condition in conditions:
                self.assertContains(response, f'value="{condition}"')
        self.assertContains(
            response, 'data-roles="派驻机构负责人|巡察机构负责人|部门负责人|乡镇纪委书记"'
        )
        self.assertContains(response, 'data-roles="具体承办人"')

    def test_condition_of_another_role_is_refused(self):
        """A condition Art 8(1) names for another role is refused on the conditions field."""
        allowed = rulebook.load().first.conditions[HANDLER]
        response = self.client.get(
            URL,
            {
                "role": HANDLER,
                "circumstance": "1",
                "conditions": "未及时有效处置",
                "severity": "较轻",
            },
        )
        self.assertEqual(response.status_code, 200)
        message = zh(
            CONDITION_NOT_FOR_ROLE,
            condition="未及时有效处置",
            role=HANDLER,
            allowed="、".join(allowed),
        )
        self.assertEqual(response.context["form"].errors["conditions"], [message])
        self.assertContains(response, message)
        self.assertNotContains(response, 'id="result"')

    def test_condition_of_own_role_is_accepted(self):
        """Item (1) with the direct person's own failing yields a result."""
        response = self.client.get(
            URL,
            {
                "role": DIRECT,
                "circumstance": "1",
                "conditions": "未及时有效处置",
                "severity": "较轻",
            },
        )
        self.assertContains(response, 'id="result"')
        self.assertContains(response, "未及时有效处置")

    def test_rulebook_error_is_shown_on_its_field(self):
        """Item (1) without a condition: the rulebook's message appears on the conditions field."""
        response = self.client.get(URL, {"role": HANDLER, "circumstance": "1", "severity": "较轻"})
        self.assertEqual(response.status_code, 200)
        with self.assertRaises(rulebook.RulebookError) as raised:
            rulebook.assess_dict({"role": HANDLER, "circumstance": 1, "severity": "较轻"})
        self.assertEqual(raised.exception.field, "conditions")
        self.assertEqual(response.context["form"].errors["conditions"], [raised.exception.message])

    def test_decision_before_the_first_version_is_an_error_on_the_date(self):
        """A decision dated before the regulation took effect is refused on decided_on (Art 19)."""
        response = self.client.get(
            URL,
            {"role": HANDLER, "circumstance": "3", "severity": "较轻", "decided_on": "2019-05-01"},
        )
        self.assertEqual(response.status_code, 200)
        errors = response.context["form"].errors["decided_on"]
        self.assertEqual(len(errors), 1)
        self.assertIn("早于首个规则版本的施行日", errors[0])
        self.assertNotContains(response, 'id="result"')

    def test_bad_input_is_a_field_error_not_a_server_error(self):
        """Nonsense in every field gives Chinese messages on the fields, status 200."""
        response = self.client.get(
            URL,
            {
                "role": "局长",
                "circumstance": "10",
                "severity": "很重",
                "decided_on": "2026-13-45",
                "earlier_decisions": "去年",
            },
        )
        self.assertEqual(response.status_code, 200)
        errors = response.context["form"].errors
        self.assertEqual(
            set(errors), {"role", "circumstance", "severity", "decided_on", "earlier_decisions"}
        )
        self.assertEqual(errors["earlier_decisions"], [zh(BAD_DATE, value="去年")])
        self.assertContains(response, "日期无效")
        self.assertContains(response, "field--error")

    def test_earlier_decisions_take_several_dates(self):
        """Two earlier decisions within the year count with this one: three in the window."""
        response = self.client.get(
            URL,
            {
                "role": HANDLER,
                "circumstance": "3",
                "severity": "较轻",
                "decided_on": "2026-06-01",
                "earlier_decisions": ["2025-07-01", "2026-01-15", "2024-01-01"],
            },
        )
        self.assertEqual(response.context["result"]["accountable_in_year"], 3)
        self.assertIn("从重", response.context["result"]["adjustments"])


class AssessPageLanguageTests(TestCase):
    def test_english_by_accept_language(self):
        """A browser asking for English gets the page chrome in English."""
        response = self.client.get(URL, headers={"accept-language": "en"})
        self.assertContains(response, '<html lang="en">')
        self.assertContains(response, "Liability assessment")
        self.assertContains(response, "Accountability Management System")

    def test_english_by_set_language(self):
        """The language switch (django set_language) keeps English for the next pages."""
        response = self.client.post(reverse("set_language"), {"language": "en", "next": URL})
        self.assertRedirects(response, URL, fetch_redirect_response=False)
        response = self.client.get(URL)
        self.assertContains(response, "Liability assessment")
        response = self.client.post(
            reverse("set_language"), {"language": "zh-hans", "next": URL}, follow=True
        )
        self.assertContains(response, "责任追究测算")


class AssessDateDefaultsTests(TestCase):
    def test_decided_on_defaults_to_today(self):
        """Without a decision date the rulebook takes today (the page's own date)."""
        response = self.client.get(URL, {"role": HANDLER, "circumstance": "3", "severity": "较轻"})
        self.assertContains(response, 'id="result"')
        self.assertLessEqual(date(2020, 10, 30), response.context["today"])
