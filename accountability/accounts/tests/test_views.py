"""The password pages and the administrators' account pages (三员分立 through the interface)."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accountability.accounts import services, throttle
from accountability.accounts.middleware import PASSWORD_EXPIRED, PASSWORD_MUST_CHANGE
from accountability.accounts.models import AccountRequest, User
from accountability.accounts.permissions import FORBIDDEN_MESSAGE
from accountability.accounts.policy import Policy
from accountability.accounts.validators import PASSWORD_REUSED, PASSWORD_TOO_SHORT
from accountability.audit.models import AuditEntry
from accountability.demo.testing import PersonasTestCase

NEW_PASSWORD = "Changed#2026"


def last_entry():
    return AuditEntry.objects.order_by("-seq").first()


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

    def test_must_change_flag(self):
        """An account flagged to change its password must change it first."""
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

    def test_reused_password_refused_with_the_rule(self):
        """Going back to an earlier password shows the message naming the rule."""
        self.client.force_login(self.leader)
        data = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        self.client.post(self.change_url, {"old_password": self.personas.password, **data})
        back = {"new_password1": self.personas.password, "new_password2": self.personas.password}
        response = self.client.post(self.change_url, {"old_password": NEW_PASSWORD, **back})
        self.assertContains(response, PASSWORD_REUSED.format(count=5))


class AccountPagesTests(PersonasTestCase):
    def test_page_access_by_role(self):
        """Each account page opens for its administrator only; others get 403."""
        pages = {
            reverse("accounts:list"): {"system_admin", "security_admin"},
            reverse("accounts:requests"): {"system_admin", "security_admin"},
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

    def test_list_shows_second_factor_and_blocks_in_bounded_queries(self):
        """The list marks who has a second factor and who is blocked, with the same number
        of queries for a few accounts as for many."""
        self.client.force_login(self.security_admin)
        url = reverse("accounts:list")
        self.client.get(url)
        with CaptureQueriesContext(connection) as few:
            self.client.get(url)
        for n in range(20):
            User.objects.create(username=f"extra{n}", full_name="某人", role=User.Role.LEADER)
        with self.assertNumQueries(len(few)):
            response = self.client.get(url)
        rows = {a.username: a for a in response.context["page_obj"]}
        self.assertTrue(rows["case_officer"].has_otp)
        self.assertFalse(rows["leader"].has_otp)

    def test_create_is_a_request_with_the_first_code_shown_once(self):
        """The system administrator's form makes a request and shows the first half of the
        activation code, not cached; no account exists yet."""
        self.client.force_login(self.system_admin)
        response = self.client.post(
            reverse("accounts:create"),
            {
                "username": "wangwu",
                "full_name": "王五",
                "role": "team_member",
                "organisation": self.personas.trial_office.pk,
                "reason": "新任调查组成员",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("no-store", response["Cache-Control"])
        first = response.context["first_code"]
        self.assertContains(response, first)
        self.assertFalse(User.objects.filter(username="wangwu").exists())
        self.assertEqual(AccountRequest.objects.get().status, AccountRequest.Status.PENDING)

    def test_administrator_role_refused_on_the_form(self):
        """An administrator role sent to the form is refused with the rule's message."""
        self.client.force_login(self.system_admin)
        response = self.client.post(
            reverse("accounts:create"),
            {"username": "boss", "full_name": "某人", "role": "security_admin"},
        )
        self.assertContains(response, services.ADMIN_ROLE_REFUSED)
        self.assertNotContains(response, 'value="security_admin"')
        self.assertFalse(AccountRequest.objects.exists())

    def test_shared_name_refused(self):
        """A shared name is refused on the form with the service's message."""
        self.client.force_login(self.system_admin)
        response = self.client.post(
            reverse("accounts:create"),
            {"username": "admin", "full_name": "管理员", "role": "case_officer"},
        )
        self.assertContains(response, services.USERNAME_RESERVED.format(username="admin"))

    def test_edit_saves_the_name_and_asks_for_the_role(self):
        """On the edit page a new name is saved at once, a new role becomes a request."""
        self.client.force_login(self.system_admin)
        response = self.client.post(
            reverse("accounts:edit", args=[self.team_member.pk]),
            {
                "full_name": "赵磊磊",
                "role": "case_officer",
                "organisation": self.team_member.organisation.pk,
            },
        )
        self.assertRedirects(response, reverse("accounts:requests"))
        self.team_member.refresh_from_db()
        self.assertEqual(
            (self.team_member.full_name, self.team_member.role), ("赵磊磊", "team_member")
        )
        self.assertEqual(AccountRequest.objects.get().role, "case_officer")

    def test_administrator_accounts_are_not_edited(self):
        """An administrator account's edit page sends back to the list with the rule."""
        self.client.force_login(self.system_admin)
        response = self.client.get(
            reverse("accounts:edit", args=[self.audit_admin.pk]), follow=True
        )
        self.assertContains(response, services.ADMIN_ACCOUNT_COMMAND_LINE_ONLY)

    def test_security_admin_approves_and_sees_the_second_code_once(self):
        """The security administrator approves a new account on the request page and sees the
        second half; the system administrator cannot decide."""
        account_request, _ = services.account_request_create(
            actor=self.system_admin, username="wangwu", full_name="王五", role="team_member"
        )
        url = reverse("accounts:request_detail", args=[account_request.pk])
        self.client.force_login(self.system_admin)
        self.assertNotContains(self.client.get(url), 'value="approve"')
        response = self.client.post(url, {"decision": "approve"})
        self.assertEqual(response.status_code, 403)
        self.client.force_login(self.security_admin)
        response = self.client.post(url, {"decision": "approve", "note": "同意"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("no-store", response["Cache-Control"])
        self.assertContains(response, response.context["second_code"])
        self.assertTrue(User.objects.filter(username="wangwu").exists())

    def test_refuse_on_the_page(self):
        """Refusing records the note and creates nothing."""
        account_request = services.account_request_change(
            actor=self.system_admin, user=self.leader, role="case_officer"
        )
        self.client.force_login(self.security_admin)
        url = reverse("accounts:request_detail", args=[account_request.pk])
        response = self.client.post(url, {"decision": "refuse", "note": "不符合规定"})
        self.assertRedirects(response, reverse("accounts:requests"))
        account_request.refresh_from_db()
        self.assertEqual(
            (account_request.status, account_request.decision_note), ("refused", "不符合规定")
        )
        self.leader.refresh_from_db()
        self.assertEqual(self.leader.role, "leader")

    def test_deactivate_then_ask_to_reactivate(self):
        """Deactivation is a POST; enabling again is a request."""
        self.client.force_login(self.system_admin)
        self.client.post(reverse("accounts:deactivate", args=[self.leader.pk]))
        self.leader.refresh_from_db()
        self.assertFalse(self.leader.is_active)
        self.client.post(
            reverse("accounts:activate_account", args=[self.leader.pk]), {"reason": "返岗"}
        )
        self.leader.refresh_from_db()
        self.assertFalse(self.leader.is_active)
        self.assertEqual(AccountRequest.objects.get().kind, AccountRequest.Kind.REACTIVATE)

    def test_deactivated_user_is_logged_out(self):
        """A session of a deactivated account ends at its next request."""
        self.client.force_login(self.audit_admin)
        User.objects.filter(pk=self.audit_admin.pk).update(is_active=False)
        response = self.client.get(reverse("audit:log"))
        self.assertEqual(response.status_code, 302)

    def test_security_admin_unlocks(self):
        """The security administrator sees the block and lifts it."""
        for _ in range(5):
            throttle.throttle_failure(
                username="leader", address="10.0.0.9", policy=Policy(5, 15, 90, 30)
            )
        self.client.force_login(self.security_admin)
        response = self.client.get(reverse("accounts:list"), {"locked": "1"})
        self.assertEqual([a.username for a in response.context["page_obj"]], ["leader"])
        self.assertContains(response, reverse("accounts:unlock", args=[self.leader.pk]))
        self.client.post(reverse("accounts:unlock", args=[self.leader.pk]))
        self.assertEqual(throttle.blocked_usernames(["leader"]), set())
        self.assertEqual(last_entry().action, "account_unlocked")

    def test_security_admin_resets_a_second_factor(self):
        """The reset button removes the user's devices (audited)."""
        from accountability.accounts import otp

        self.client.force_login(self.security_admin)
        self.client.post(reverse("accounts:otp_reset", args=[self.case_officer.pk]))
        self.assertFalse(otp.has_second_factor(self.case_officer))
        self.assertEqual(last_entry().detail, "安全管理员重置双因素认证")
        self.client.force_login(self.system_admin)
        response = self.client.post(reverse("accounts:otp_reset", args=[self.office_head.pk]))
        self.assertEqual(response.status_code, 403)

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


class OwnSecondFactorPageTests(PersonasTestCase):
    def test_regenerate_recovery_codes(self):
        """With a current TOTP code the user gets new recovery codes, shown once."""
        from accountability.accounts.testing import persona_totp_device, totp_code

        self.client.force_login(self.case_officer)
        url = reverse("accounts:two_factor")
        self.assertContains(self.client.get(url), "0")
        response = self.client.post(url, {"code": "000000"})
        self.assertContains(response, services.TOTP_CODE_WRONG)
        import time

        time.sleep(1.05)  # django-otp makes the next try wait a second after a wrong code
        response = self.client.post(
            url, {"code": totp_code(persona_totp_device(self.case_officer))}
        )
        self.assertEqual(len(response.context["codes"]), 10)

    def test_optional_role_enrols_from_the_page(self):
        """A leader (second factor optional) enrols from the two-factor page and the session
        counts as verified from then on."""
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from accountability.accounts.testing import enrolling_device, totp_code

        self.client.force_login(self.leader)
        setup = reverse("accounts:second_factor_setup")
        page = self.client.get(setup)
        self.assertFalse(TOTPDevice.objects.filter(user=self.leader).exists())
        device = enrolling_device(self.leader, page.context["secret"])
        response = self.client.post(setup, {"code": totp_code(device)})
        self.assertEqual(len(response.context["codes"]), 10)
        self.assertEqual(self.client.get(reverse("cases:queue")).status_code, 200)
