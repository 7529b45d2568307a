"""The base template's navigation (config.navigation): by role."""

from __future__ import annotations

from django.test import RequestFactory, TestCase
from django.urls import reverse

from accountability.cases.workflow import CLUE_REGISTER_ROLES
from accountability.demo.testing import PersonasMixin
from config.navigation import (
    ADMIN_ROLES,
    NAV,
    navigation_for,
)


def keys(user, path="/") -> list[str]:
    return [item["key"] for section in navigation_for(user, path) for item in section["entries"]]


class NavigationTests(PersonasMixin, TestCase):
    def test_anonymous_users_see_the_rulebook_pages_only(self):
        """Without login: 责任追究测算 and 法规条文."""
        from django.contrib.auth.models import AnonymousUser

        self.assertEqual(keys(AnonymousUser()), ["assess", "regulation"])

    def test_every_entry_shown_is_allowed_and_exists(self):
        """Each persona sees only entries for its role, each with a URL that resolves."""
        for user in self.personas.users:
            with self.subTest(user=user.username):
                for section in navigation_for(user, "/"):
                    for item in section["entries"]:
                        entry = next(e for e in NAV if e.key == item["key"])
                        self.assertIn(user.role, entry.roles)
                        self.assertTrue(item["url"].startswith("/"))

    def test_administrators_see_administration_pages_only(self):
        """三员分立: no administrator sees case pages or the rulebook pages."""
        business = {"workbench", "cases", "clue", "people", "assess", "regulation"}
        for user in self.personas.users:
            if user.role in ADMIN_ROLES:
                with self.subTest(user=user.username):
                    self.assertFalse(business & set(keys(user)))
        self.assertIn("holidays", keys(self.system_admin))
        self.assertIn("accounts", keys(self.system_admin))
        self.assertNotIn("holidays", keys(self.audit_admin))

    def test_clue_registration_shows_only_to_those_who_may_register(self):
        """线索登记 is shown to the roles of cases' CLUE_REGISTER_ROLES, whose page opens,
        and to nobody whom the page would refuse."""
        for user in self.personas.users:
            with self.subTest(user=user.username):
                shown = "clue" in keys(user)
                self.assertEqual(shown, user.role in CLUE_REGISTER_ROLES)
                self.client.force_login(user)
                status = self.client.get(reverse("cases:clue_create")).status_code
                self.assertEqual(status, 200 if shown else 403)
        self.assertIn("clue", keys(self.case_officer))
        self.assertNotIn("clue", keys(self.office_head))
        self.assertNotIn("clue", keys(self.township_officer))

    def test_case_officer_sees_the_rulebook_pages(self):
        """A case officer has 测算, 法规条文 and 节假日安排 (read only)."""
        self.assertLessEqual({"assess", "regulation", "holidays"}, set(keys(self.case_officer)))

    def test_entry_for_the_current_page_is_active(self):
        """The longest matching URL marks the entry of the page being shown."""
        sections = navigation_for(self.case_officer, reverse("assessment:regulation"))
        active = [i["key"] for s in sections for i in s["entries"] if i["active"]]
        self.assertEqual(active, ["regulation"])

    def test_page_shows_name_role_logout_and_language_switch(self):
        """A logged-in page shows who is there, a POST logout and the two languages."""
        self.client.force_login(self.case_officer)
        response = self.client.get(reverse("assessment:assess"))
        self.assertContains(response, self.case_officer.full_name)
        self.assertContains(response, self.case_officer.get_role_display())
        self.assertContains(response, f'action="{reverse("accounts:logout")}" method="post"')
        self.assertContains(response, f'action="{reverse("set_language")}" method="post"')
        self.assertContains(response, 'name="language" value="en"')

    def test_request_context_processor_runs_on_a_bare_request(self):
        """The context processor copes with a request that has no user (e.g. an error page)."""
        from config.navigation import navigation

        context = navigation(RequestFactory().get("/"))
        self.assertEqual(context["nav_role"], "anonymous")
