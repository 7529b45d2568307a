"""Login, lockout, logout, password change and the administrators' account pages."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from accountability.accounts.forms import ACCOUNT_LOCKED, LOGIN_INVALID
from accountability.accounts.middleware import PASSWORD_EXPIRED, PASSWORD_MUST_CHANGE
from accountability.accounts.models import User
from accountability.accounts.permissions import FORBIDDEN_MESSAGE
from accountability.accounts.validators import PASSWORD_TOO_SHORT
from accountability.audit.models import AuditEntry
from accountability.common.testing import PersonasTestCase

LOGIN = reverse("accounts:login")
NEW_PASSWORD = "Changed#2026"


def last_entry():
    return AuditEntry.objects.order_by("-seq").first()


class LoginTests(PersonasTestCase):
    def login(self, password):
        return self.client.post(LOGIN, {"username": "leader", "password": password})

    def test_login_page_renders(self):
        """The login page is in Chinese and has the form."""
        response = self.client.get(LOGIN)
        self.assertContains(response, 'name="username"')
        self.assertContains(response, "登录")

    def test_success_is_audited(self):
        """A good password logs in and writes a login entry with the IP."""
        response = self.login(self.personas.password)
        self.assertEqual(response.status_code, 302)
        entry = last_entry()
        self.assertEqual((entry.action, entry.actor, entry.ip), ("login", self.leader, "127.0.0.1"))

    def test_failure_message_and_audit(self):
        """A bad password shows the generic message and writes login_failed."""
        response = self.login("wrong")
        self.assertContains(response, LOGIN_INVALID.format(threshold=5, minutes=15))
        entry = last_entry()
        self.assertEqual((entry.action, entry.outcome), ("login_failed", "failure"))

    def test_lockout_after_five_failures(self):
        """The fifth failure locks; even the right password is then refused for 15 minutes."""
        for _ in range(4):
            self.login("wrong")
        response = self.login("wrong")
        self.assertContains(response, ACCOUNT_LOCKED.format(minutes=15))
        response = self.login(self.personas.password)
        self.assertContains(response, ACCOUNT_LOCKED.format(minutes=15))
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertEqual(last_entry().detail, "账号已锁定")

    def test_lock_expires(self):
        """After the lock period the right password works again."""
        User.objects.filter(pk=self.leader.pk).update(
            locked_until=timezone.now() - timedelta(seconds=1)
        )
        response = self.login(self.personas.password)
        self.assertEqual(response.status_code, 302)

    def test_idle_timeout_set_on_login(self):
        """The session expires after 30 idle minutes."""
        self.login(self.personas.password)
        self.assertEqual(self.client.session.get_expiry_age(), 30 * 60)

    def test_logout_is_post_and_audited(self):
        """Logout takes POST only and is audited."""
        self.client.force_login(self.leader)
        self.assertEqual(self.client.get(reverse("accounts:logout")).status_code, 405)
        response = self.client.post(reverse("accounts:logout"))
        self.assertRedirects(response, LOGIN, fetch_redirect_response=False)
        self.assertEqual((last_entry().action, last_entry().actor), ("logout", self.leader))


class PasswordPolicyTests(PersonasTestCase):
    change_url = reverse("accounts:password_change")

    def test_expired_password_redirects(self):
        """A password older than 90 days sends every page to the change form."""
        User.objects.filter(pk=self.leader.pk).update(
            password_changed_at=timezone.now() - timedelta(days=91)
        )
        self.client.force_login(self.leader)
        response = self.client.get(reverse("audit:log"))
        self.assertRedirects(response, self.change_url, fetch_redirect_response=False)
        response = self.client.get(self.change_url)
        self.assertContains(response, PASSWORD_EXPIRED.format(days=90))

    def test_89_days_is_fine(self):
        """A password changed 89 days ago is still valid."""
        User.objects.filter(pk=self.audit_admin.pk).update(
            password_changed_at=timezone.now() - timedelta(days=89)
        )
        self.client.force_login(self.audit_admin)
        self.assertEqual(self.client.get(reverse("audit:log")).status_code, 200)

    def test_must_change_after_admin_set_password(self):
        """An administrator-set password must be changed first."""
        User.objects.filter(pk=self.leader.pk).update(must_change_password=True)
        self.client.force_login(self.leader)
        response = self.client.get(reverse("home"), follow=True)
        self.assertContains(response, PASSWORD_MUST_CHANGE)

    def test_change_password(self):
        """Changing the password keeps the session and clears the requirement."""
        User.objects.filter(pk=self.leader.pk).update(must_change_password=True)
        self.client.force_login(self.leader)
        response = self.client.post(
            self.change_url,
            {
                "old_password": self.personas.password,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        )
        self.assertEqual(response.status_code, 302)
        self.leader.refresh_from_db()
        self.assertFalse(self.leader.must_change_password)
        self.assertTrue(self.leader.check_password(NEW_PASSWORD))
        self.assertEqual(last_entry().action, "password_change")
        self.assertIn("_auth_user_id", self.client.session)

    def test_weak_new_password_refused(self):
        """The policy message appears on the form."""
        self.client.force_login(self.leader)
        response = self.client.post(
            self.change_url,
            {
                "old_password": self.personas.password,
                "new_password1": "Ab1!",
                "new_password2": "Ab1!",
            },
        )
        self.assertContains(response, PASSWORD_TOO_SHORT.format(min_length=8))


class AccountPagesTests(PersonasTestCase):
    def test_page_access_by_role(self):
        """Each account page opens for its administrator only; others get 403."""
        pages = {
            reverse("accounts:list"): {"system_admin", "security_admin"},
            reverse("accounts:create"): {"system_admin"},
            reverse("accounts:edit", args=[self.leader.pk]): {"system_admin"},
            reverse("accounts:reset_password", args=[self.leader.pk]): {"system_admin"},
            reverse("accounts:security"): {"security_admin"},
        }
        for url, allowed in pages.items():
            for user in self.personas.users:
                self.client.force_login(user)
                response = self.client.get(url)
                expected = 200 if user.role in allowed else 403
                self.assertEqual(response.status_code, expected, (url, user.role))
                if expected == 403:
                    self.assertContains(
                        response,
                        FORBIDDEN_MESSAGE.format(role=user.get_role_display()),
                        status_code=403,
                    )

    def test_create_account_page(self):
        """The system administrator creates an account from the form."""
        self.client.force_login(self.system_admin)
        response = self.client.post(
            reverse("accounts:create"),
            {
                "username": "wangwu",
                "full_name": "王五",
                "role": "team_member",
                "organisation": self.personas.trial_office.pk,
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
            },
        )
        self.assertRedirects(response, reverse("accounts:list"))
        self.assertTrue(User.objects.get(username="wangwu").must_change_password)

    def test_create_shared_account_refused(self):
        """A shared name is refused on the form with the service's message."""
        from accountability.accounts.services import USERNAME_RESERVED

        self.client.force_login(self.system_admin)
        response = self.client.post(
            reverse("accounts:create"),
            {
                "username": "admin",
                "full_name": "管理员",
                "role": "case_officer",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
            },
        )
        self.assertContains(response, USERNAME_RESERVED.format(username="admin"))

    def test_deactivate_then_activate(self):
        """Deactivation is a POST and can be undone."""
        self.client.force_login(self.system_admin)
        self.client.post(reverse("accounts:deactivate", args=[self.leader.pk]))
        self.leader.refresh_from_db()
        self.assertFalse(self.leader.is_active)
        self.client.post(reverse("accounts:activate", args=[self.leader.pk]))
        self.leader.refresh_from_db()
        self.assertTrue(self.leader.is_active)

    def test_deactivated_user_is_logged_out(self):
        """A session of a deactivated account ends at its next request."""
        self.client.force_login(self.audit_admin)
        User.objects.filter(pk=self.audit_admin.pk).update(is_active=False)
        response = self.client.get(reverse("audit:log"))
        self.assertEqual(response.status_code, 302)

    def test_security_admin_unlocks(self):
        """The security administrator sees the lock and lifts it."""
        User.objects.filter(pk=self.leader.pk).update(
            locked_until=timezone.now() + timedelta(minutes=10)
        )
        self.client.force_login(self.security_admin)
        response = self.client.get(reverse("accounts:list"), {"locked": "1"})
        self.assertContains(response, reverse("accounts:unlock", args=[self.leader.pk]))
        self.client.post(reverse("accounts:unlock", args=[self.leader.pk]))
        self.leader.refresh_from_db()
        self.assertFalse(self.leader.is_locked())
        self.assertEqual(last_entry().action, "account_unlocked")

    def test_security_settings_page(self):
        """The security administrator saves a stricter policy."""
        self.client.force_login(self.security_admin)
        response = self.client.post(
            reverse("accounts:security"),
            {
                "lockout_threshold": 3,
                "lockout_minutes": 30,
                "password_max_age_days": 60,
                "idle_timeout_minutes": 15,
            },
        )
        self.assertRedirects(response, reverse("accounts:security"))
        self.assertEqual(last_entry().action, "settings_change")
