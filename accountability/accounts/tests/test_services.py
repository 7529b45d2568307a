"""Account services: personal accounts only; the system administrator asks, the security
administrator approves (two-person rule); nobody chooses another person's password."""

from datetime import timedelta

from django.contrib.auth import authenticate
from django.test import TestCase, override_settings
from django.utils import timezone

from accountability.accounts import services, throttle
from accountability.accounts.models import AccountRequest, Activation, LoginThrottle, User
from accountability.accounts.policy import Policy, security_policy
from accountability.accounts.validators import PASSWORD_REUSED, PASSWORD_TOO_SIMPLE
from accountability.audit.models import AuditEntry
from accountability.common.errors import DomainError, PermissionDenied
from accountability.demo.testing import PersonasTestCase

GOOD_PASSWORD = "Start#2026x"


def last_entries(count):
    return list(AuditEntry.objects.order_by("-seq")[:count])[::-1]


class AccountRequestCreateTests(PersonasTestCase):
    def ask(self, **overrides):
        values = {
            "actor": self.system_admin,
            "username": "newcomer",
            "full_name": "新同志",
            "role": User.Role.CASE_OFFICER,
            "organisation": self.personas.supervision_office,
            "reason": "新调入监督室",
        }
        values.update(overrides)
        return services.account_request_create(**values)

    def test_request_creates_nothing_until_approved(self):
        """The request is recorded and audited; no account exists yet; the requester gets the
        first half of the activation code, stored only as a hash."""
        account_request, first = self.ask()
        self.assertEqual(account_request.status, AccountRequest.Status.PENDING)
        self.assertFalse(User.objects.filter(username="newcomer").exists())
        self.assertRegex(first, r"^[0-9A-Z]{4}-[0-9A-Z]{4}$")
        self.assertNotIn(first.replace("-", ""), account_request.first_code)
        entry = last_entries(1)[0]
        self.assertEqual(
            (entry.action, entry.actor, entry.target_type),
            ("create", self.system_admin, "accounts.accountrequest"),
        )
        self.assertEqual(entry.changes["role"], [None, "case_officer"])
        self.assertIn("新调入监督室", entry.detail)

    def test_approval_creates_the_account_without_a_password(self):
        """On approval the account exists with no usable password and an activation whose
        second half only the approver sees; both halves together set the person's own."""
        account_request, first = self.ask()
        decided, second = services.account_request_approve(
            actor=self.security_admin, account_request=account_request, note="同意"
        )
        user = User.objects.get(username="newcomer")
        self.assertEqual((user.role, user.kind), ("case_officer", User.Kind.BUSINESS))
        self.assertFalse(user.has_usable_password())
        self.assertEqual(decided.account, user)
        self.assertNotEqual(first, second)
        services.account_activate(
            username="newcomer", first_code=first, second_code=second, password=GOOD_PASSWORD
        )
        self.assertIsNotNone(authenticate(username="newcomer", password=GOOD_PASSWORD))
        actions = [(e.action, e.actor) for e in last_entries(3)]
        self.assertEqual(
            actions,
            [
                ("update", self.security_admin),
                ("create", self.security_admin),
                ("password_change", user),
            ],
        )

    def test_one_half_alone_does_not_activate(self):
        """Neither administrator alone holds a usable credential: each half alone (twice) fails."""
        account_request, first = self.ask()
        _, second = services.account_request_approve(
            actor=self.security_admin, account_request=account_request
        )
        for pair in ((first, first), (second, second), (second, first), (first, "")):
            with self.assertRaisesMessage(DomainError, str(services.ACTIVATION_INVALID)):
                services.account_activate(
                    username="newcomer",
                    first_code=pair[0],
                    second_code=pair[1],
                    password=GOOD_PASSWORD,
                )
        self.assertFalse(User.objects.get(username="newcomer").has_usable_password())

    def test_activation_works_once_and_expires(self):
        """A used or expired activation code is refused with the same message."""
        account_request, first = self.ask()
        _, second = services.account_request_approve(
            actor=self.security_admin, account_request=account_request
        )
        Activation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
        with self.assertRaisesMessage(DomainError, str(services.ACTIVATION_INVALID)):
            services.account_activate(
                username="newcomer", first_code=first, second_code=second, password=GOOD_PASSWORD
            )
        Activation.objects.update(expires_at=timezone.now() + timedelta(hours=1))
        services.account_activate(
            username="newcomer",
            first_code=first.lower().replace("-", " "),
            second_code=second,
            password=GOOD_PASSWORD,
        )
        with self.assertRaisesMessage(DomainError, str(services.ACTIVATION_INVALID)):
            services.account_activate(
                username="newcomer", first_code=first, second_code=second, password="Other#2026x"
            )

    def test_refusal_creates_nothing(self):
        """A refused request is recorded and audited; no account is made."""
        account_request, _ = self.ask()
        services.account_request_refuse(
            actor=self.security_admin, account_request=account_request, note="人员未到岗"
        )
        account_request.refresh_from_db()
        self.assertEqual(account_request.status, AccountRequest.Status.REFUSED)
        self.assertFalse(User.objects.filter(username="newcomer").exists())
        entry = last_entries(1)[0]
        self.assertEqual(entry.changes, {"status": ["pending", "refused"]})
        self.assertIn("人员未到岗", entry.detail)

    def test_decided_once(self):
        """A request is decided once."""
        account_request, _ = self.ask()
        services.account_request_refuse(actor=self.security_admin, account_request=account_request)
        with self.assertRaisesMessage(DomainError, str(services.REQUEST_DECIDED)):
            services.account_request_approve(
                actor=self.security_admin, account_request=account_request
            )

    def test_only_the_system_admin_asks_only_the_security_admin_approves(self):
        """The security administrator cannot ask; the system administrator (the requester)
        and every other role cannot approve."""
        with self.assertRaisesMessage(PermissionDenied, str(services.NOT_SYSTEM_ADMIN)):
            self.ask(actor=self.security_admin)
        account_request, _ = self.ask()
        for actor in (self.system_admin, self.audit_admin, self.office_head):
            with self.assertRaisesMessage(PermissionDenied, str(services.NOT_APPROVER)):
                services.account_request_approve(actor=actor, account_request=account_request)
        account_request.refresh_from_db()
        self.assertEqual(account_request.status, AccountRequest.Status.PENDING)

    def test_requester_is_never_the_approver(self):
        """Even a security administrator who is recorded as the requester cannot approve."""
        account_request, _ = self.ask()
        AccountRequest.objects.filter(pk=account_request.pk).update(
            requested_by=self.security_admin
        )
        with self.assertRaisesMessage(PermissionDenied, str(services.REQUESTER_CANNOT_APPROVE)):
            services.account_request_approve(
                actor=self.security_admin, account_request=account_request
            )

    def test_administrator_roles_refused(self):
        """No administrator role through the interface's services."""
        for role in User.ADMIN_ROLES:
            with self.assertRaisesMessage(DomainError, str(services.ADMIN_ROLE_REFUSED)):
                self.ask(username=f"x_{role}", role=role)
        self.assertFalse(AccountRequest.objects.exists())

    def test_names(self):
        """Generic names, names in use (any case) and empty names are refused; one open
        request per name."""
        with self.assertRaisesMessage(
            DomainError, services.USERNAME_RESERVED.format(username="Admin")
        ):
            self.ask(username="Admin")
        with self.assertRaisesMessage(
            DomainError, services.USERNAME_TAKEN.format(username="LEADER")
        ):
            self.ask(username="LEADER")
        with self.assertRaisesMessage(DomainError, str(services.FULL_NAME_REQUIRED)):
            self.ask(full_name="  ")
        self.ask()
        with self.assertRaisesMessage(
            DomainError, services.REQUEST_PENDING_EXISTS.format(username="NewComer")
        ):
            self.ask(username="NewComer")


class AccountRequestChangeTests(PersonasTestCase):
    def test_role_change_applies_only_on_approval(self):
        """A team member becomes a case officer only when the security administrator approves;
        the applied change records old and new values and who approved."""
        account_request = services.account_request_change(
            actor=self.system_admin,
            user=self.team_member,
            role=User.Role.CASE_OFFICER,
            organisation=self.personas.supervision_office,
        )
        self.team_member.refresh_from_db()
        self.assertEqual(self.team_member.role, User.Role.TEAM_MEMBER)
        services.account_request_approve(actor=self.security_admin, account_request=account_request)
        self.team_member.refresh_from_db()
        self.assertEqual(self.team_member.role, User.Role.CASE_OFFICER)
        entry = last_entries(1)[0]
        self.assertEqual(
            entry.changes,
            {
                "role": ["team_member", "case_officer"],
                "organisation": ["第一监督检查室", "纪检监察干部监督室"],
            },
        )
        self.assertIn("安全管理员冯雪批准", entry.detail)

    def test_nothing_to_change(self):
        """A request that changes nothing is refused."""
        with self.assertRaisesMessage(DomainError, str(services.NOTHING_TO_CHANGE)):
            services.account_request_change(
                actor=self.system_admin,
                user=self.leader,
                role=User.Role.LEADER,
                organisation=self.leader.organisation,
            )

    def test_administrator_accounts_are_not_changed_through_the_interface(self):
        """The auditor cannot be turned into a case officer, nor a leader into an
        administrator; the name of an administrator is not edited either."""
        with self.assertRaisesMessage(DomainError, str(services.ADMIN_ACCOUNT_COMMAND_LINE_ONLY)):
            services.account_request_change(
                actor=self.system_admin, user=self.audit_admin, role=User.Role.CASE_OFFICER
            )
        with self.assertRaisesMessage(DomainError, str(services.ADMIN_ROLE_REFUSED)):
            services.account_request_change(
                actor=self.system_admin, user=self.leader, role=User.Role.SECURITY_ADMIN
            )
        with self.assertRaisesMessage(DomainError, str(services.ADMIN_ACCOUNT_COMMAND_LINE_ONLY)):
            services.account_update(actor=self.system_admin, user=self.audit_admin, full_name="X")

    def test_name_is_corrected_directly(self):
        """The person's name needs no approval and is audited."""
        services.account_update(actor=self.system_admin, user=self.leader, full_name="王刚")
        self.leader.refresh_from_db()
        self.assertEqual(self.leader.full_name, "王刚")
        self.assertEqual(last_entries(1)[0].changes, {"full_name": ["王强", "王刚"]})


class AccountRequestResetTests(PersonasTestCase):
    def test_reset_keeps_the_password_until_approved(self):
        """Asking for a reset changes nothing; approval voids the password and issues a new
        activation; the person's second factor stays."""
        account_request, first = services.account_request_reset(
            actor=self.system_admin, user=self.case_officer, reason="忘记密码"
        )
        self.assertIsNotNone(authenticate(username="case_officer", password=self.personas.password))
        _, second = services.account_request_approve(
            actor=self.security_admin, account_request=account_request
        )
        self.assertIsNone(authenticate(username="case_officer", password=self.personas.password))
        services.account_activate(
            username="case_officer", first_code=first, second_code=second, password=GOOD_PASSWORD
        )
        self.assertIsNotNone(authenticate(username="case_officer", password=GOOD_PASSWORD))
        from accountability.accounts import otp

        self.assertTrue(otp.has_second_factor(self.case_officer))

    def test_reset_refuses_an_earlier_password(self):
        """The password set with an activation code cannot be one of the last 5."""
        self.case_officer.set_password(GOOD_PASSWORD)
        self.case_officer.save()
        account_request, first = services.account_request_reset(
            actor=self.system_admin, user=self.case_officer
        )
        _, second = services.account_request_approve(
            actor=self.security_admin, account_request=account_request
        )
        with self.assertRaisesMessage(DomainError, PASSWORD_REUSED.format(count=5)):
            services.account_activate(
                username="case_officer",
                first_code=first,
                second_code=second,
                password=GOOD_PASSWORD,
            )

    def test_reactivation_needs_approval(self):
        """Deactivating is the system administrator's alone; enabling again is a request."""
        services.account_deactivate(actor=self.system_admin, user=self.leader)
        self.leader.refresh_from_db()
        self.assertFalse(self.leader.is_active)
        account_request = services.account_request_reactivate(
            actor=self.system_admin, user=self.leader
        )
        self.leader.refresh_from_db()
        self.assertFalse(self.leader.is_active)
        services.account_request_approve(actor=self.security_admin, account_request=account_request)
        self.leader.refresh_from_db()
        self.assertTrue(self.leader.is_active)

    def test_deactivation_not_of_oneself_nor_of_administrators(self):
        """Not one's own account; administrator accounts only from the command line."""
        with self.assertRaisesMessage(DomainError, str(services.CANNOT_DEACTIVATE_SELF)):
            services.account_deactivate(actor=self.system_admin, user=self.system_admin)
        with self.assertRaisesMessage(DomainError, str(services.ADMIN_ACCOUNT_COMMAND_LINE_ONLY)):
            services.account_deactivate(actor=self.system_admin, user=self.audit_admin)
        with self.assertRaisesMessage(DomainError, str(services.ADMIN_ACCOUNT_COMMAND_LINE_ONLY)):
            services.account_request_reset(actor=self.system_admin, user=self.security_admin)


class SecurityAdministratorTests(PersonasTestCase):
    def test_unlock_clears_the_accounts_blocks(self):
        """Only the security administrator unlocks; unlocking lifts every block of the
        account and is audited."""
        for _ in range(5):
            throttle.throttle_failure(
                username="leader", address="10.0.0.9", policy=Policy(5, 15, 90, 30)
            )
        self.assertEqual(throttle.blocked_usernames(["leader"]), {"leader"})
        with self.assertRaisesMessage(PermissionDenied, str(services.NOT_SECURITY_ADMIN)):
            services.account_unlock(actor=self.system_admin, user=self.leader)
        services.account_unlock(actor=self.security_admin, user=self.leader)
        self.assertEqual(throttle.blocked_usernames(["leader"]), set())
        self.assertEqual(last_entries(1)[0].action, "account_unlocked")
        self.assertTrue(LoginThrottle.objects.filter(scope="address").exists())

    def test_second_factor_reset(self):
        """The security administrator resets another user's second factor (audited), never
        their own."""
        from accountability.accounts import otp

        services.otp_reset(actor=self.security_admin, user=self.case_officer)
        self.assertFalse(otp.has_second_factor(self.case_officer))
        entry = last_entries(1)[0]
        self.assertEqual(
            (entry.actor, entry.detail), (self.security_admin, "安全管理员重置双因素认证")
        )
        with self.assertRaisesMessage(
            DomainError, services.NO_SECOND_FACTOR.format(username="case_officer")
        ):
            services.otp_reset(actor=self.security_admin, user=self.case_officer)
        with self.assertRaisesMessage(DomainError, str(services.CANNOT_RESET_OWN_SECOND_FACTOR)):
            services.otp_reset(actor=self.security_admin, user=self.security_admin)
        with self.assertRaisesMessage(PermissionDenied, str(services.NOT_SECURITY_ADMIN)):
            services.otp_reset(actor=self.system_admin, user=self.office_head)

    def test_policy_defaults_from_settings(self):
        """Without a stored policy: 5 failures, 15 minutes, 90 days, 30 minutes idle."""
        self.assertEqual(security_policy(), Policy(5, 15, 90, 30))

    def test_policy_update_is_audited_and_bounded(self):
        """The security administrator tightens the policy; values below level 3 are refused."""
        services.security_policy_update(actor=self.security_admin, policy=Policy(3, 30, 60, 15))
        self.assertEqual(security_policy(), Policy(3, 30, 60, 15))
        entry = last_entries(1)[0]
        self.assertEqual(entry.action, "settings_change")
        self.assertEqual(entry.changes["lockout_threshold"], [5, 3])
        from django.core.exceptions import ValidationError

        with self.assertRaises(ValidationError):
            services.security_policy_update(
                actor=self.security_admin, policy=Policy(20, 15, 365, 120)
            )


class AdministratorAccountTests(TestCase):
    def test_create_administrator(self):
        """The command line's service makes an administrator account with an activation code
        in two halves, audited without an actor."""
        user, first, second = services.administrator_create(
            username="secadmin2", full_name="第二安全管理员", role=User.Role.SECURITY_ADMIN
        )
        self.assertEqual(user.kind, User.Kind.ADMINISTRATOR)
        self.assertFalse(user.has_usable_password())
        entry = AuditEntry.objects.order_by("-seq").first()
        self.assertEqual((entry.action, entry.actor), ("create", None))
        self.assertIn("create-administrator", entry.detail)
        services.account_activate(
            username="secadmin2", first_code=first, second_code=second, password=GOOD_PASSWORD
        )
        self.assertIsNotNone(authenticate(username="secadmin2", password=GOOD_PASSWORD))

    def test_only_administrator_roles(self):
        """The command line makes administrators only."""
        with self.assertRaisesMessage(DomainError, str(services.NOT_ADMIN_ROLE)):
            services.administrator_create(
                username="officer2", full_name="某人", role=User.Role.CASE_OFFICER
            )

    def test_reset_and_deactivate_administrator(self):
        """A reset voids the password; deactivation stops the account; both audited."""
        user, first, second = services.administrator_create(
            username="auditor2", full_name="某审计员", role=User.Role.AUDIT_ADMIN
        )
        services.account_activate(
            username="auditor2", first_code=first, second_code=second, password=GOOD_PASSWORD
        )
        _, first, second = services.administrator_reset(username="auditor2")
        self.assertIsNone(authenticate(username="auditor2", password=GOOD_PASSWORD))
        services.administrator_set_active(username="auditor2", active=False)
        user.refresh_from_db()
        self.assertFalse(user.is_active)
        actions = list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))
        self.assertEqual(actions, ["create", "password_change", "password_change", "update"])

    @override_settings(ACCOUNTS_ACTIVATION_HOURS=1)
    def test_activation_lifetime_is_a_setting(self):
        """The activation code lasts ACCOUNTS_ACTIVATION_HOURS."""
        user, _, _ = services.administrator_create(
            username="sysadmin2", full_name="某管理员", role=User.Role.SYSTEM_ADMIN
        )
        left = user.activations.get().expires_at - timezone.now()
        self.assertTrue(timedelta(minutes=59) < left <= timedelta(hours=1))


class OwnPasswordTests(PersonasTestCase):
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

    def test_weak_password_refused(self):
        """The complexity rule applies."""
        with self.assertRaisesMessage(DomainError, PASSWORD_TOO_SIMPLE.format(min_classes=3)):
            services.password_change(
                user=self.leader, old_password=self.personas.password, new_password="abcdefgh123"
            )

    def test_no_reuse_of_the_last_five(self):
        """Each of the last 5 passwords (the current one included) is refused with the rule's
        message; the 6th one back is allowed again."""
        passwords = [f"Pass#{n}word2026" for n in range(1, 7)]
        current = self.personas.password
        for new in passwords:
            services.password_change(user=self.leader, old_password=current, new_password=new)
            current = new
        # Last five: passwords[1..5]; passwords[0] was six changes ago.
        for old in passwords[2:5]:
            with self.assertRaisesMessage(DomainError, PASSWORD_REUSED.format(count=5)):
                services.password_change(user=self.leader, old_password=current, new_password=old)
        services.password_change(user=self.leader, old_password=current, new_password=passwords[0])
        self.assertEqual(self.leader.password_history.count(), 5)
        self.assertTrue(
            all(h.password.startswith("md5$") for h in self.leader.password_history.all())
        )
