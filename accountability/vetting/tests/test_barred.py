"""The page of everyone barred from promotion (or an award) on a day."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse

from accountability.cases.tests.factories import ago
from accountability.demo.testing import PersonasTestCase
from accountability.vetting.models import Restriction
from accountability.vetting.tests.helpers import decided


class BarredPageTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        p = cls.personas
        cls.flow = decided(p, p.people.handler, ["诫勉"])
        decided(p, p.people.direct, ["通报"])
        cls.until = Restriction.objects.get(kind="no_promotion_or_important_post").until

    def get(self, user, **params):
        self.client.force_login(user)
        return self.client.get(reverse("vetting:barred"), params)

    def test_the_register_lists_who_is_barred_on_the_day(self):
        page = self.get(self.case_officer, on=ago(0).isoformat())
        self.assertContains(page, "吴刚")
        self.assertContains(page, "不得提拔或者重用")
        self.assertContains(page, self.flow.case.number)
        self.assertNotContains(page, "朱磊")
        after = self.get(self.case_officer, on=(self.until + timedelta(days=1)).isoformat())
        self.assertNotContains(after, "吴刚")

    def test_awards_list_the_award_kinds(self):
        page = self.get(self.archivist, on=ago(0).isoformat(), bar="award")
        if ago(0).year == ago(90).year:
            self.assertContains(page, "朱磊")
            self.assertContains(page, "不得评优评先")

    def test_who_sees_it(self):
        allowed = {"archivist", "case_officer", "office_head", "leader"}
        for user in self.personas.users:
            with self.subTest(role=user.role):
                status = self.get(user).status_code
                self.assertEqual(status, 200 if user.role in allowed else 403)
