"""The 查询码: 100 random bits, typed back leniently, stored only as a keyed hash."""

from __future__ import annotations

import hashlib
import hmac

from django.test import SimpleTestCase, override_settings

from accountability.public import codes

KEY = "11" * 32
OTHER_KEY = "22" * 32


class CodeTests(SimpleTestCase):
    def test_a_code_has_twenty_characters_of_crockfords_alphabet_in_five_groups(self):
        code = codes.generate()
        groups = code.split("-")
        self.assertEqual([len(g) for g in groups], [4, 4, 4, 4, 4])
        self.assertTrue(set("".join(groups)) <= set(codes.ALPHABET))
        self.assertEqual(len(codes.ALPHABET), 32)
        self.assertGreaterEqual(codes.BITS, 80)
        self.assertEqual(codes.BITS, 100)

    def test_codes_do_not_repeat(self):
        self.assertEqual(len({codes.generate() for _ in range(2000)}), 2000)

    def test_a_typed_code_is_read_without_case_spaces_or_hyphens_and_o_i_l_as_digits(self):
        self.assertEqual(codes.normalise(" abcd-efgh jkmn-pqrs-tvwo "), "ABCDEFGHJKMNPQRSTVW0")
        self.assertEqual(codes.normalise("ILIL-0000-0000-0000-0000"), "11110000000000000000")
        self.assertEqual(codes.normalise("ABCD-EFGH"), "")
        self.assertEqual(codes.normalise("ABCD-EFGH-JKMN-PQRS-TVWU"), "")  # U is not used

    @override_settings(PUBLIC_CODE_KEY=KEY)
    def test_the_stored_form_is_hmac_sm3_under_the_key_not_a_plain_hash(self):
        code = "ABCD-EFGH-JKMN-PQRS-TVWX"
        stored = codes.digest(code)
        plain = hashlib.new("sm3", b"ABCDEFGHJKMNPQRSTVWX").hexdigest()
        self.assertNotEqual(stored, plain)
        expected = hmac.new(
            bytes.fromhex(KEY), b"accountability-public-report-code:ABCDEFGHJKMNPQRSTVWX", "sm3"
        ).hexdigest()
        self.assertEqual(stored, expected)
        self.assertEqual(codes.digest("abcdefghjkmnpqrstvwx"), stored)
        with self.settings(PUBLIC_CODE_KEY=OTHER_KEY):
            self.assertNotEqual(codes.digest(code), stored)

    def test_a_code_issued_under_an_earlier_key_is_still_found(self):
        code = codes.generate()
        with self.settings(PUBLIC_CODE_KEY=KEY):
            old = codes.digest(code)
        with self.settings(PUBLIC_CODE_KEY=OTHER_KEY, PUBLIC_CODE_OLD_KEYS=[KEY]):
            self.assertIn(old, codes.candidate_digests(code))
        with self.settings(PUBLIC_CODE_KEY=OTHER_KEY, PUBLIC_CODE_OLD_KEYS=[]):
            self.assertNotIn(old, codes.candidate_digests(code))

    def test_a_malformed_code_has_no_candidate(self):
        self.assertEqual(codes.candidate_digests("1234"), [])
