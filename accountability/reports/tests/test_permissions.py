"""Who may see the statistics, and of which organs (permissions.STATISTICS_VIEWERS, Art 11).

The expectations are a table written by hand from permissions.py's docstring, not derived
from the role set.
"""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse

from accountability.audit.models import AuditEntry
from accountability.cases import access
from accountability.demo.testing import PersonasMixin
from accountability.reports import selectors
from accountability.reports.permissions import STATISTICS_VIEWERS

# persona: (may see the page, the organ they see by default, the organs they may choose)
COUNTY = (
    "镇雄县纪委监委",
    "县纪委监委办公室",
    "党风政风监督室",
    "纪检监察干部监督室",
    "第一监督检查室",
    "县纪委监委领导班子",
    "县纪委监委派驻第一纪检监察组",
    "案件审理室",
    "县委巡察办",
    "县纪委监委组织部",
    "乌峰街道纪工委",
    "以古镇纪委",
)
WHO_SEES_WHAT = {
    "case_officer": (True, "镇雄县纪委监委", COUNTY),
    "office_head": (True, "镇雄县纪委监委", COUNTY),
    "leader": (True, "镇雄县纪委监委", COUNTY),
    "city_officer": (
        True,
        "昭通市纪委监委",
        ("昭通市纪委监委", "市纪委纪检监察干部监督室", *COUNTY),
    ),
    "township_officer": (True, "乌峰街道纪工委", ("乌峰街道纪工委",)),
    "team_member": (False, None, ()),
    "committee_secretary": (False, None, ()),
    "archivist": (False, None, ()),
    "subject": (False, None, ()),
    "system_admin": (False, None, ()),
    "security_admin": (False, None, ()),
    "audit_admin": (False, None, ()),
}
PAGES = ("reports:statistics", "reports:summary", "reports:export")


class WhoMaySeeTests(PersonasMixin, TestCase):
    def test_the_table_covers_every_persona(self):
        self.assertEqual(set(WHO_SEES_WHAT), {u.username for u in self.personas.users})

    def test_the_role_set_matches_the_table(self):
        allowed = {name for name, (sees, _, _) in WHO_SEES_WHAT.items() if sees}
        roles = {getattr(self, name).role for name in allowed}
        self.assertEqual(roles, {str(r) for r in STATISTICS_VIEWERS})

    def test_pages_by_role(self):
        """Allowed roles get the page, the summary and the export; the others a 403 each."""
        for name, (sees, _, _) in WHO_SEES_WHAT.items():
            user = getattr(self, name)
            self.client.force_login(user)
            for page in PAGES:
                with self.subTest(user=name, page=page):
                    response = self.client.get(reverse(page))
                    self.assertEqual(response.status_code, 200 if sees else 403)

    def test_a_refusal_is_audited(self):
        self.client.force_login(self.system_admin)
        before = AuditEntry.objects.filter(action="access_denied").count()
        self.client.get(reverse("reports:statistics"))
        self.assertEqual(AuditEntry.objects.filter(action="access_denied").count(), before + 1)

    def test_anonymous_visitors_go_to_the_login_page(self):
        response = self.client.get(reverse("reports:statistics"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])

    def test_the_selector_refuses_the_other_roles_itself(self):
        """Permission inside the fetch: the selector refuses whoever the view would."""
        from accountability.common.errors import PermissionDenied

        for name, (sees, _, _) in WHO_SEES_WHAT.items():
            if sees:
                continue
            with self.subTest(user=name), self.assertRaises(PermissionDenied):
                selectors.viewer_for_user(user=getattr(self, name))

    def test_default_organ_and_choices(self):
        for name, (sees, default, choices) in WHO_SEES_WHAT.items():
            if not sees:
                continue
            with self.subTest(user=name):
                viewer = selectors.viewer_for_user(user=getattr(self, name))
                self.assertEqual(viewer.commission.name, default)
                names = [label.strip("\u00a0") for _, label in viewer.organ_choices()]
                self.assertEqual(sorted(names), sorted(choices))
                # The page's organ list says the same.
                self.client.force_login(getattr(self, name))
                form = self.client.get(reverse("reports:statistics")).context["form"]
                self.assertEqual(
                    sorted(label.strip("\u00a0") for _, label in form.fields["organ"].choices),
                    sorted(choices),
                )

    def test_the_scope_is_the_one_cases_access_decides(self):
        """The statistics' commission and tree are those of cases.access for every viewer."""
        for name, (sees, _, _) in WHO_SEES_WHAT.items():
            if not sees:
                continue
            user = getattr(self, name)
            with self.subTest(user=name):
                viewer = selectors.viewer_for_user(user=user)
                commission = access.user_commission(user)
                self.assertEqual(viewer.commission.id, commission.pk)
                self.assertEqual(set(viewer.organ_ids), access.subtree_ids(commission))

    def test_an_organ_outside_the_authority_is_refused_on_the_page(self):
        """A township officer asking for the county gets the form's error, no figures."""
        self.client.force_login(self.township_officer)
        response = self.client.get(
            reverse("reports:statistics"), {"organ": self.personas.orgs.county.pk}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIsNone(response.context["stats"])
        self.assertTrue(response.context["form"].errors["organ"])
        response = self.client.get(
            reverse("reports:export"), {"organ": self.personas.orgs.county.pk}
        )
        self.assertEqual(response.status_code, 400)

    def test_navigation_shows_the_entry_to_those_who_may_open_it(self):
        from config.navigation import navigation_for

        for name, (sees, _, _) in WHO_SEES_WHAT.items():
            with self.subTest(user=name):
                keys = [
                    item["key"]
                    for section in navigation_for(getattr(self, name), "/")
                    for item in section["entries"]
                ]
                self.assertEqual("reports" in keys, sees)

    def test_an_account_without_a_commission_sees_nothing(self):
        """A case officer whose account names no organisation: no scope, a 403 saying why."""
        from accountability.accounts.models import User

        user = User.objects.create(username="stray", role="case_officer", full_name="某人")
        self.client.force_login(user)
        response = self.client.get(reverse("reports:statistics"))
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, str(selectors.MSG_NO_COMMISSION), status_code=403)
