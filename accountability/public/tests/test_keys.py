"""`accountability rotate-key` re-encrypts the reporter's identity of reports not yet
registered as well as the informants of cases."""

from __future__ import annotations

from django.test import TestCase, override_settings

from accountability.common import crypto
from accountability.common.tests.test_crypto import K2025, K2026
from accountability.operations import keys
from accountability.public.models import PublicReport
from accountability.public.testing import make_report

OLD = {"FIELD_KEYS": {"2025b": K2025}, "FIELD_KEY_ID": "2025b", "CASES_FIELD_KEY": ""}
NEW = {"FIELD_KEYS": {"2025b": K2025, "2026a": K2026}, "FIELD_KEY_ID": "2026a"}


class RotateReporterKeyTests(TestCase):
    def test_the_reporters_identity_moves_to_the_current_key(self):
        from accountability.demo.testing import make_personas

        make_personas()
        with override_settings(**OLD):
            report, _code = make_report(reporter_name="赵六", reporter_contact="13800000000")
        self.assertEqual(crypto.stored_key_id(report.reporter_name_enc), "2025b")
        with override_settings(**NEW):
            self.assertEqual(keys.rotation_pending(), 1)
            keys.field_keys_rotate()
            self.assertEqual(keys.rotation_pending(), 0)
            report = PublicReport.objects.get(pk=report.pk)
            self.assertEqual(crypto.stored_key_id(report.reporter_name_enc), "2026a")
            self.assertEqual(crypto.stored_key_id(report.reporter_contact_enc), "2026a")
            self.assertEqual(crypto.decrypt_text(report.reporter_name_enc), "赵六")
        with override_settings(FIELD_KEYS={"2026a": K2026}, FIELD_KEY_ID="2026a"):
            self.assertEqual(crypto.decrypt_text(report.reporter_contact_enc), "13800000000")
