"""Account services: personal accounts only, separated administrator powers, audited."""

from datetime import timedelta

from django.test import TestCase
from django.utils import timezone

from accountability.accounts import services
from accountability.accounts.models import User
from accountability.accounts.policy import Policy, security_policy
from accountability.accounts.validators import PASSWORD_TOO_SIMPLE
from accountability.audit.models import AuditEntry
from accountability.common.errors import DomainError, PermissionDenied
from accountability.common.testing import PersonasTestCase

GOOD_PASSWORD = "Start#2026x"


class AccountCreateTests(PersonasTestCase):
    def create(self, **overrides):
        values = {
            "actor": self.system_admin,
            "username": "newcomer",
            "full_name": "新同志",
            "role": User.Role.CASE_OFFICER,
            "organisation": self.personas.supervision_office,
            "password": GOOD_PASSWORD,
        }
        values.update(overrides)
        return services.account_create(**values)

    def test_creates_personal_account_to_change_password(self):
        """The account is created, must change its password, and the creation is audited."""
        user = self.create()
        self.assertTrue(user.check_password(GOOD_PASSWORD))
        self.assertTrue(user.must_change_password)
        entry = AuditEntry.objects.order_by("-seq").first()
        self.assertEqual((entry.action, entry.target_id), ("create", str(user.pk)))
        self.assertEqual(entry.changes["role"], [None, "case_officer"])

    def test_reserved_name_refused(self):
        """Generic names such as admin are refused: no shared or default accounts."""
        with self.assertRaisesMessage(
            DomainError, services.USERNAME_RESERVED.format(username="Admin")
        ):
            self.create(username="Admin")

    def test_taken_name_refused(self):
        """A username in use (any case) is refused."""
        with self.assertRaisesMessage(
            DomainError, services.USERNAME_TAKEN.format(username="LEADER")
        ):
            self.create(username="LEADER")

    def test_full_name_required(self):
        """Every account names a person."""
        with self.assertRaisesMessage(DomainError, str(services.FULL_NAME_REQUIRED)):
            self.create(full_name="  ")

    def test_weak_password_refused(self):
        """The password policy applies to initial passwords."""
        with self.assertRaisesMessage(DomainError, PASSWORD_TOO_SIMPLE.format(min_classes=3)):
            self.create(password="abcdefgh123")
        self.assertFalse(User.objects.filter(username="newcomer").exists())

    def test_only_system_admin(self):
        """The security and audit administrators cannot create accounts."""
        for actor in (self.security_admin, self.audit_admin, self.office_head):
            with self.assertRaisesMessage(PermissionDenied, str(services.NOT_SYSTEM_ADMIN)):
                self.create(actor=actor)


class AccountChangeTests(PersonasTestCase):
    def test_update_records_changes(self):
        """Changing role and unit records old and new values."""
        services.account_update(
            actor=self.system_admin,
            user=self.team_member,
            full_name="赵磊",
            role=User.Role.CASE_OFFICER,
            organisation=self.personas.supervision_office,
        )
        entry = AuditEntry.objects.order_by("-seq").first()
        self.assertEqual(
            entry.changes,
            {
                "role": ["team_member", "case_officer"],
                "organisation": ["第一监督检查室", "纪检监察干部监督室"],
            },
        )

    def test_cannot_change_own_role(self):
        """The system administrator cannot give themselves another role."""
        with self.assertRaisesMessage(DomainError, str(services.CANNOT_CHANGE_OWN_ROLE)):
            services.account_update(
                actor=self.system_admin,
                user=self.system_admin,
                full_name="郑涛",
                role=User.Role.AUDIT_ADMIN,
            )

    def test_deactivate_and_not_self(self):
        """Accounts are deactivated, never deleted; not one's own."""
        services.account_set_active(actor=self.system_admin, user=self.leader, active=False)
        self.leader.refresh_from_db()
        self.assertFalse(self.leader.is_active)
        with self.assertRaisesMessage(DomainError, str(services.CANNOT_DEACTIVATE_SELF)):
            services.account_set_active(
                actor=self.system_admin, user=self.system_admin, active=False
            )

    def test_reset_password_requires_change(self):
        """A reset password is temporary."""
        services.account_reset_password(
            actor=self.system_admin, user=self.leader, password=GOOD_PASSWORD
        )
        self.leader.refresh_from_db()
        self.assertTrue(self.leader.must_change_password)
        self.assertTrue(self.leader.check_password(GOOD_PASSWORD))

    def test_unlock_is_the_security_admins(self):
        """Only the security administrator unlocks; unlocking clears the lock and the count."""
        self.leader.locked_until = timezone.now() + timedelta(minutes=10)
        self.leader.failed_login_count = 3
        self.leader.save()
        with self.assertRaisesMessage(PermissionDenied, str(services.NOT_SECURITY_ADMIN)):
            services.account_unlock(actor=self.system_admin, user=self.leader)
        services.account_unlock(actor=self.security_admin, user=self.leader)
        self.leader.refresh_from_db()
        self.assertFalse(self.leader.is_locked())
        self.assertEqual(self.leader.failed_login_count, 0)

    def test_own_password_change(self):
        """The user's change checks the old password, refuses the same one, clears the flag."""
        user = self.leader
        user.must_change_password = True
        with self.assertRaisesMessage(DomainError, str(services.OLD_PASSWORD_WRONG)):
            services.password_change(user=user, old_password="x", new_password=GOOD_PASSWORD)
        with self.assertRaisesMessage(DomainError, str(services.PASSWORD_SAME_AS_OLD)):
            services.password_change(
                user=user,
                old_password=self.personas.password,
                new_password=self.personas.password,
            )
        services.password_change(
            user=user, old_password=self.personas.password, new_password=GOOD_PASSWORD
        )
        user.refresh_from_db()
        self.assertFalse(user.must_change_password)
        self.assertLess(timezone.now() - user.password_changed_at, timedelta(minutes=1))


class SecurityPolicyTests(PersonasTestCase):
    def test_defaults_from_settings(self):
        """Without a stored policy: 5 failures, 15 minutes, 90 days, 30 minutes idle."""
        self.assertEqual(security_policy(), Policy(5, 15, 90, 30))

    def test_update_is_audited_and_bounded(self):
        """The security administrator tightens the policy; values below level 3 are refused."""
        services.security_policy_update(actor=self.security_admin, policy=Policy(3, 30, 60, 15))
        self.assertEqual(security_policy(), Policy(3, 30, 60, 15))
        entry = AuditEntry.objects.order_by("-seq").first()
        self.assertEqual(entry.action, "settings_change")
        self.assertEqual(entry.changes["lockout_threshold"], [5, 3])
        from django.core.exceptions import ValidationError

        with self.assertRaises(ValidationError):
            services.security_policy_update(
                actor=self.security_admin, policy=Policy(20, 15, 365, 120)
            )


class LoginBookkeepingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = User.objects.create_user("someone", password=GOOD_PASSWORD, full_name="某人")

    def test_fifth_failure_locks_for_15_minutes(self):
        """Failures 1–4 count; the 5th locks for 15 minutes and is audited."""
        for expected in range(1, 5):
            services.login_failure_record(username="someone")
            self.user.refresh_from_db()
            self.assertEqual(self.user.failed_login_count, expected)
            self.assertFalse(self.user.is_locked())
        services.login_failure_record(username="someone")
        self.user.refresh_from_db()
        self.assertTrue(self.user.is_locked())
        remaining = self.user.locked_until - timezone.now()
        self.assertTrue(timedelta(minutes=14) < remaining <= timedelta(minutes=15))
        actions = list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))
        self.assertEqual(actions, ["login_failed"] * 5 + ["account_locked"])

    def test_unknown_username_audited(self):
        """A failure for a username that does not exist is audited too."""
        self.assertIsNone(services.login_failure_record(username="ghost"))
        entry = AuditEntry.objects.get()
        self.assertEqual((entry.action, entry.target_repr), ("login_failed", "ghost"))

    def test_success_resets_count(self):
        """A successful login resets the failure count."""
        services.login_failure_record(username="someone")
        self.user.refresh_from_db()
        services.login_success_record(user=self.user)
        self.user.refresh_from_db()
        self.assertEqual(self.user.failed_login_count, 0)
