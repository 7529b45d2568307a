"""The four findings of the level-3 assessment on 三员分立 (GB/T 22239-2019), as an attacker
at the system administrator's desk would try them through the interface.

Each test failed on the code before the separation of duties (the system administrator chose
passwords and roles alone).
"""

from django.contrib.auth import authenticate
from django.urls import reverse

from accountability.accounts.models import User
from accountability.demo.testing import PersonasTestCase

CHOSEN_PASSWORD = "Chosen#2026x"


class SystemAdministratorAloneTests(PersonasTestCase):
    def setUp(self):
        self.client.force_login(self.system_admin)

    def test_cannot_create_a_case_officer_and_log_in_as_them(self):
        """A case-officer account the system administrator creates has no password the system
        administrator chose: logging in with it fails, and no case officer exists until the
        security administrator approves."""
        self.client.post(
            reverse("accounts:create"),
            {
                "username": "mole",
                "full_name": "内线",
                "role": User.Role.CASE_OFFICER,
                "organisation": self.personas.supervision_office.pk,
                "password1": CHOSEN_PASSWORD,
                "password2": CHOSEN_PASSWORD,
            },
        )
        self.assertIsNone(authenticate(username="mole", password=CHOSEN_PASSWORD))
        self.assertFalse(User.objects.filter(username="mole").exists())

    def test_cannot_reset_an_officers_password_and_log_in_as_them(self):
        """A password reset of a case officer sets no password of the system administrator's
        choosing: the officer's own password keeps working until the reset is approved."""
        self.client.post(
            reverse("accounts:reset_password", args=[self.case_officer.pk]),
            {"password1": CHOSEN_PASSWORD, "password2": CHOSEN_PASSWORD},
        )
        self.assertIsNone(authenticate(username="case_officer", password=CHOSEN_PASSWORD))
        self.assertIsNotNone(authenticate(username="case_officer", password=self.personas.password))

    def test_cannot_turn_the_auditor_into_a_case_officer(self):
        """The audit administrator's role cannot be changed to a business role."""
        self.client.post(
            reverse("accounts:edit", args=[self.audit_admin.pk]),
            {"full_name": "何平", "role": User.Role.CASE_OFFICER},
        )
        self.audit_admin.refresh_from_db()
        self.assertEqual(self.audit_admin.role, User.Role.AUDIT_ADMIN)

    def test_cannot_create_a_security_or_audit_administrator(self):
        """No further security or audit administrator can be created through the interface,
        nor can an existing account be given an administrator role."""
        for role in (User.Role.SECURITY_ADMIN, User.Role.AUDIT_ADMIN):
            self.client.post(
                reverse("accounts:create"),
                {
                    "username": f"second_{role}",
                    "full_name": "第二管理员",
                    "role": role,
                    "password1": CHOSEN_PASSWORD,
                    "password2": CHOSEN_PASSWORD,
                },
            )
            self.client.post(
                reverse("accounts:edit", args=[self.leader.pk]),
                {"full_name": "王强", "role": role},
            )
        self.assertEqual(
            User.objects.filter(role__in=[User.Role.SECURITY_ADMIN, User.Role.AUDIT_ADMIN]).count(),
            2,
        )
        self.leader.refresh_from_db()
        self.assertEqual(self.leader.role, User.Role.LEADER)
