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


class AuditLogWordingTests(PersonasMixin, TestCase):
    """The audit log reads as Chinese sentences: no Python dict, no raw key, no model label."""

    def test_the_case_list_export_and_a_mapping_read_as_sentences(self):
        from accountability.audit.describe import describe
        from accountability.audit.models import AuditEntry

        self.client.force_login(self.case_officer)
        self.client.get(reverse("cases:export"), {"person": "吴"})
        entry = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).latest("seq")
        described = describe(entry)
        self.assertIn("导出了 案件清单", described.sentence)
        labels = [line.label for line in described.lines]
        self.assertEqual(sorted(labels), sorted(["条数", "符合条件的条数", "查询条件"]))
        mapping = AuditEntry(
            action=AuditEntry.Action.SETTINGS_CHANGE,
            target_type="accounts.user",
            target_id="12",
            changes={"role": {"role": "case_officer", "is_active": True}},
        )
        text = " ".join([describe(mapping).sentence, *(li.value for li in describe(mapping).lines)])
        for raw in ("{", "}", "'", "accounts.user", "case_officer", "True"):
            self.assertNotIn(raw, text)
        self.assertIn("监督室工作人员", text)


class AuditLogLabelsTests(PersonasMixin, TestCase):
    """After a round of work, every label the audit log shows is Chinese (no raw key)."""

    def test_no_raw_key_among_the_labels(self):
        import re

        from accountability.audit.describe import describe
        from accountability.audit.models import AuditEntry
        from accountability.cases.tests.factories import Flow

        p = self.personas
        flow = Flow.register(p, p.people.handler, informant_name="举报人甲")
        self.client.force_login(self.case_officer)
        self.client.get(reverse("cases:informant", args=[flow.case.pk]))
        self.client.get(reverse("cases:export"), {"person": "吴"})
        self.client.force_login(self.leader)
        self.client.get(reverse("cases:informant", args=[flow.case.pk]))  # refused
        self.client.force_login(self.audit_admin)
        self.client.get(
            reverse("audit:log"),
            {"actor": "张", "case_number": flow.case.number, "date_from": "2026-01-01"},
        )
        raw = re.compile(r"[a-z]+_[a-z_]+|^[a-z]+$")
        entries = list(AuditEntry.objects.all())
        self.assertGreater(len(entries), 5)
        for entry in entries:
            described = describe(entry)
            for line in described.lines:
                with self.subTest(action=entry.action, label=line.label):
                    self.assertIsNone(raw.search(line.label))
                    self.assertNotIn("{", line.value)
            self.assertNotIn("{", described.sentence)
