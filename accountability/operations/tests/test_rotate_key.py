"""`accountability rotate-key` re-encrypts every stored ciphertext with the current key, in
batches with an audit entry each, and carries on after an interrupted run; a value whose key
is missing shows a Chinese message on the informant page, never a server error."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase, override_settings
from django.urls import reverse

from accountability.audit.models import AuditEntry
from accountability.audit.selectors import audit_chain_verify
from accountability.cases.models import Case
from accountability.cases.tests.factories import Flow
from accountability.common import crypto
from accountability.common.tests.test_crypto import K2025, K2026, SINGLE, old_format
from accountability.demo.testing import PersonasMixin
from accountability.operations import keys

OLD = {"FIELD_KEYS": {"2025b": K2025}, "FIELD_KEY_ID": "2025b", "CASES_FIELD_KEY": SINGLE}
NEW = {"FIELD_KEYS": {"2025b": K2025, "2026a": K2026}, "FIELD_KEY_ID": "2026a"}
INFORMANTS = [("群众甲", "13800000001"), ("群众乙", "13800000002"), ("群众丙", ""), ("", "")]


class RotateKeyTests(PersonasMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        with override_settings(**OLD):
            cls.cases = [
                Flow.register(cls.personas, informant_name=n, informant_contact=c).case
                for n, c in INFORMANTS
            ]
        # One case as the code before key ids stored it (CASES_FIELD_KEY, no id).
        Case.objects.filter(pk=cls.cases[2].pk).update(
            informant_name_enc=old_format("群众丙", SINGLE)
        )

    def stored(self) -> list[tuple[str, str]]:
        return list(
            Case.objects.filter(pk__in=[c.pk for c in self.cases])
            .order_by("pk")
            .values_list("informant_name_enc", "informant_contact_enc")
        )

    def test_every_value_is_rewritten_with_the_current_key_in_audited_batches(self):
        out = StringIO()
        with override_settings(CASES_FIELD_KEY=SINGLE, **NEW):
            self.assertEqual(keys.rotation_pending(), 3)
            call_command("rotate-key", "--batch-size", "2", stdout=out)
            for (name, contact), (plain_name, plain_contact) in zip(
                self.stored(), INFORMANTS, strict=True
            ):
                for value, plain in ((name, plain_name), (contact, plain_contact)):
                    self.assertEqual(value.startswith("sm4gcm$2026a$"), bool(plain))
                    self.assertEqual(crypto.decrypt_text(value), plain)
            self.assertEqual(keys.rotation_pending(), 0)
        lines = out.getvalue().splitlines()
        self.assertEqual(lines[:2], ["已重新加密 2 / 3 条记录", "已重新加密 3 / 3 条记录"])
        self.assertIn("3 条记录改用密钥“2026a”加密", lines[-1])
        entries = AuditEntry.objects.filter(
            target_type="system.field_keys", target_id="cases.case"
        ).order_by("seq")
        self.assertEqual([e.changes["rows"] for e in entries], [2, 1])
        self.assertEqual(entries[0].changes["field_key"], [["2025b"], "2026a"])
        self.assertEqual(entries[1].changes["field_key"], [["k0"], "2026a"])
        self.assertEqual(entries[0].detail, "字段密钥轮换：2 条记录改用密钥“2026a”加密")
        self.assertTrue(audit_chain_verify().ok)
        # A second run finds nothing to do.
        with override_settings(CASES_FIELD_KEY=SINGLE, **NEW):
            before = self.stored()
            call_command("rotate-key", stdout=StringIO())
            self.assertEqual(self.stored(), before)

    def test_a_run_stopped_by_a_missing_key_keeps_its_batches_and_the_next_run_finishes(self):
        # Without CASES_FIELD_KEY the old value of the third case cannot be read: the run
        # stops there, after the batches of the first two.
        out = StringIO()
        with override_settings(CASES_FIELD_KEY="", **NEW):
            with self.assertRaises(CommandError) as caught:
                call_command("rotate-key", "--batch-size", "1", stdout=out)
            self.assertIn(f"案件“{self.cases[2].number}”的举报人姓名", str(caught.exception))
            self.assertIn(str(crypto.MSG_KEY_UNKNOWN.format(key_id="k0")), str(caught.exception))
            self.assertIn("已完成的 2 条已保存", str(caught.exception))
            self.assertEqual(keys.rotation_pending(), 1)
        self.assertEqual([s[0][:13] for s in self.stored()[:2]], ["sm4gcm$2026a$", "sm4gcm$2026a$"])
        with override_settings(CASES_FIELD_KEY=SINGLE, **NEW):
            call_command("rotate-key", "--batch-size", "1", stdout=StringIO())
            self.assertEqual(keys.rotation_pending(), 0)

    def test_a_contradicting_key_configuration_is_refused_before_any_change(self):
        with override_settings(FIELD_KEYS={"2026a": K2026, "2025b": K2025}, FIELD_KEY_ID=""):
            with self.assertRaises(CommandError) as caught:
                call_command("rotate-key", stdout=StringIO())
            self.assertIn("FIELD_KEY_ID", str(caught.exception))
        self.assertEqual(self.stored()[1][0][:13], "sm4gcm$2025b$")

    def test_the_informant_page_says_which_key_is_missing(self):
        self.client.force_login(self.case_officer)
        url = reverse("cases:informant", args=[self.cases[1].pk])
        with override_settings(FIELD_KEYS={"2026a": K2026}, FIELD_KEY_ID="", CASES_FIELD_KEY=""):
            response = self.client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, str(crypto.MSG_KEY_UNKNOWN.format(key_id="2025b")))
        self.assertNotContains(response, "群众乙")
        entry = AuditEntry.objects.filter(action="view_confidential").order_by("-seq")[0]
        self.assertEqual(entry.outcome, "failure")
        with override_settings(**OLD):
            self.assertContains(self.client.get(url), "群众乙")
