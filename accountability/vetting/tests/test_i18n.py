"""The vetting pages and the person's record in English (as common/tests/test_i18n.py)."""

from __future__ import annotations

from django.conf import settings
from django.test import TestCase
from django.urls import reverse
from django.utils import translation

import rulebook
from accountability.cases.tests.factories import Flow, ago
from accountability.common.tests.test_i18n import (
    ARTICLE_REF,
    CJK,
    legal_terms,
    stored_data,
    strip,
    visible_text,
)
from accountability.demo.testing import PersonasMixin
from accountability.vetting import services
from accountability.vetting.models import Restriction
from accountability.vetting.tests.helpers import decided


class EnglishVettingPagesTests(PersonasMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        p = cls.personas
        decided(p, p.people.handler, ["诫勉"])
        Flow.register(p, p.people.direct, received_days_ago=3)
        cls.vetting = services.vetting_submit(
            actor=p.archivist,
            purpose="promotion",
            intended_on=ago(0),
            lines="吴刚,ZX0008\n朱磊,,第一监督检查室\n胡静\n查无此人",
        )
        services.vetting_answer(vetting=cls.vetting)

    def setUp(self) -> None:
        self.addCleanup(translation.activate, settings.LANGUAGE_CODE)
        version = rulebook.load().version_at(ago(0))
        self.allowed = stored_data() | legal_terms(version)
        self.allowed |= set(Restriction.objects.values_list("label", flat=True))
        self.allowed |= {"查无此人", "姓名", "工号", "单位"}
        self.allowed.add(getattr(settings, "ORGANISATION_NAME", ""))

    def english(self, url: str, user) -> str:
        self.client.force_login(user)
        response = self.client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        self.assertEqual(response.status_code, 200, url)
        text = visible_text(response.content.decode())
        rest = ARTICLE_REF.sub(" ", strip(text, self.allowed))
        self.assertEqual(sorted({m.group() for m in CJK.finditer(rest)}), [], url)
        return text

    def test_the_list_for_the_organisation_department(self):
        text = self.english(reverse("vetting:list"), self.archivist)
        self.assertIn("Integrity vetting", text)
        self.assertIn("Date of the intended promotion or award", text)

    def test_a_reply_for_the_supervision_office(self):
        text = self.english(reverse("vetting:detail", args=[self.vetting.pk]), self.case_officer)
        for label in ("Does not agree", "Suggest postponing", "No adverse information", "Confirm"):
            self.assertIn(label, text)

    def test_the_persons_record(self):
        p = self.personas
        text = self.english(reverse("people:detail", args=[p.people.handler.pk]), self.case_officer)
        self.assertIn("Restrictions running (Art 17)", text)

    def test_the_people_under_restriction(self):
        text = self.english(reverse("vetting:barred"), self.leader)
        self.assertIn("People under restriction", text)
        self.assertIn("restriction", text)
