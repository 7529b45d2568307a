"""Production needs the code key from the environment (a deployment check, run by
``accountability preflight``)."""

from __future__ import annotations

from django.test import SimpleTestCase, override_settings

from accountability.public.checks import MSG_KEY_MISSING, MSG_KEY_WEAK, check_code_key


class CodeKeyCheckTests(SimpleTestCase):
    @override_settings(PUBLIC_CODE_KEY="")
    def test_a_missing_key_is_an_error(self):
        [error] = check_code_key()
        self.assertEqual((error.id, error.msg), ("public.E001", MSG_KEY_MISSING))

    @override_settings(PUBLIC_CODE_KEY="abcd")
    def test_a_short_key_is_an_error(self):
        [error] = check_code_key()
        self.assertEqual((error.id, error.msg), ("public.E002", MSG_KEY_WEAK))

    @override_settings(PUBLIC_CODE_KEY="zz" * 16)
    def test_a_key_that_is_not_hex_is_an_error(self):
        self.assertEqual(check_code_key()[0].id, "public.E002")

    @override_settings(PUBLIC_CODE_KEY="ab" * 32)
    def test_a_good_key_passes(self):
        self.assertEqual(check_code_key(), [])
