"""What the pages say follows the settings: who may see the informant (CASES_INFORMANT_SCOPE
and the viewer roles of accounts.permissions INFORMANT_VIEWERS)."""

from __future__ import annotations

from unittest import mock

from django.test import TestCase, override_settings
from django.urls import reverse

from accountability.cases import selectors
from accountability.cases import workflow as wf
from accountability.cases.workflow import Role
from accountability.demo.testing import PersonasMixin


class InformantNoteTests(PersonasMixin, TestCase):
    def clue_form(self) -> str:
        self.client.force_login(self.case_officer)
        return self.client.get(reverse("cases:clue_create")).content.decode()

    def test_the_clue_form_names_only_the_roles_that_may_see(self):
        page = self.clue_form()
        self.assertIn(selectors.informant_scope_note(), page)
        self.assertNotIn(str(Role.LEADER.label), selectors.informant_scope_note())

    def test_the_note_follows_the_viewer_roles(self):
        viewers = frozenset({Role.CASE_OFFICER, Role.OFFICE_HEAD, Role.LEADER})
        with mock.patch.object(wf, "INFORMANT_VIEWER_ROLES", viewers):
            note = selectors.informant_scope_note()
            self.assertIn(str(Role.LEADER.label), note)
            self.assertIn(note, self.clue_form())

    @override_settings(CASES_INFORMANT_SCOPE="assigned")
    def test_the_note_follows_the_scope(self):
        note = selectors.informant_scope_note()
        self.assertIn("参加本案调查组", note)
        self.assertIn(note, self.clue_form())
        with mock.patch.object(wf, "INFORMANT_VIEWER_ROLES", frozenset({Role.CASE_OFFICER})):
            self.assertNotIn(str(Role.OFFICE_HEAD.label), selectors.informant_scope_note())
