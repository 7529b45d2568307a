"""The named setting of the roles that need a second factor, and the recovery codes' form."""

from django.core.exceptions import ImproperlyConfigured
from django.test import SimpleTestCase, override_settings

from accountability.accounts import codes, otp
from accountability.accounts.apps import second_factor_roles_check


class RequiredRolesTests(SimpleTestCase):
    def test_default_roles(self):
        """By default the three administrators and the supervision office need a second factor."""
        self.assertEqual(
            otp.required_roles(),
            {"system_admin", "security_admin", "audit_admin", "case_officer", "office_head"},
        )
        self.assertEqual(second_factor_roles_check(), [])

    @override_settings(ACCOUNTS_OTP_REQUIRED_ROLES=["system_admin", "security_admin"])
    def test_administrators_cannot_be_left_out(self):
        """A list without all three administrators is refused (and fails the system check)."""
        with self.assertRaisesMessage(ImproperlyConfigured, "audit_admin"):
            otp.required_roles()
        self.assertEqual([e.id for e in second_factor_roles_check()], ["accounts.E001"])

    @override_settings(
        ACCOUNTS_OTP_REQUIRED_ROLES=["system_admin", "security_admin", "audit_admin", "typo"]
    )
    def test_unknown_roles_refused(self):
        """A misspelt role is refused rather than silently ignored."""
        with self.assertRaisesMessage(ImproperlyConfigured, "typo"):
            otp.required_roles()

    @override_settings(
        ACCOUNTS_OTP_REQUIRED_ROLES=["system_admin", "security_admin", "audit_admin", "leader"]
    )
    def test_the_list_is_the_setting(self):
        """Another list takes effect: here the leader needs one and the office does not."""
        self.assertIn("leader", otp.required_roles())
        self.assertNotIn("case_officer", otp.required_roles())


class CodeTests(SimpleTestCase):
    def test_recovery_codes(self):
        """Ten codes of 12 characters (60 bits) in groups of four, read back however typed."""
        made = codes.new_recovery_codes()
        self.assertEqual(len(set(made)), 10)
        for code in made:
            self.assertRegex(code, r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){2}$")
            self.assertTrue(codes.looks_like_recovery_code(code.lower().replace("-", " ")))
        self.assertEqual(codes.normalise(" abco-il12 "), "ABC01112")
        self.assertEqual(
            codes.recovery_digest(user_id=1, code=made[0]),
            codes.recovery_digest(user_id=1, code=made[0].lower()),
        )
        self.assertNotEqual(
            codes.recovery_digest(user_id=1, code=made[0]),
            codes.recovery_digest(user_id=2, code=made[0]),
        )
