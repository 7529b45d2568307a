"""The audit key: from the environment in production, never derived there."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.test import SimpleTestCase, override_settings

from accountability.audit import keys


class AuditKeyTests(SimpleTestCase):
    @override_settings(AUDIT_HMAC_KEY="", AUDIT_HMAC_KEY_REQUIRED=True)
    def test_production_without_a_key_refuses_to_derive_one(self):
        with self.assertRaisesMessage(ImproperlyConfigured, "AUDIT_HMAC_KEY must be set"):
            keys.current_key()

    @override_settings(AUDIT_HMAC_KEY="", AUDIT_HMAC_KEY_REQUIRED=False)
    def test_development_derives_a_key_from_the_secret(self):
        self.assertFalse(keys.keys_configured())
        self.assertEqual(len(keys.current_key().key_id), 16)

    @override_settings(AUDIT_HMAC_KEY="ab" * 32, AUDIT_HMAC_KEY_REQUIRED=True)
    def test_a_configured_key_is_used(self):
        self.assertTrue(keys.keys_configured())
        self.assertNotEqual(
            keys.current_key().key_id,
            override_settings(AUDIT_HMAC_KEY="cd" * 32)(keys.current_key)().key_id,
        )
