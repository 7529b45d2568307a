"""The login page: throttling that cannot keep an owner out, no telling a missing account from
an existing one, the second factor (TOTP, recovery codes, enrolment at first login) and the
gate that refuses every page until it is passed.

The TOTP requirement is on in these tests: they log in through the pages with a plain
``django.test.Client`` and compute the codes with pyotp.
"""

import re
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accountability.accounts import codes, services
from accountability.accounts.login import (
    FACTOR_KEY,
    LOGIN_INVALID,
    LOGIN_THROTTLED,
    PENDING_KEY,
    RECOVERY_CODE_USED,
    SECOND_FACTOR_EXPIRED,
    SECOND_FACTOR_INVALID,
    VERIFIED,
)
from accountability.accounts.middleware import SECOND_FACTOR_SESSION_ENDED
from accountability.accounts.models import LoginThrottle, User
from accountability.accounts.testing import (
    enrolling_device,
    login_through_pages,
    persona_totp_device,
    totp_code,
    totp_for_key,
)
from accountability.audit.models import AuditEntry
from accountability.demo.testing import PersonasTestCase

LOGIN = reverse("accounts:login")
SECOND_FACTOR = reverse("accounts:second_factor")
SETUP = reverse("accounts:second_factor_setup")
ATTACKER = "203.0.113.5"
OWNER = "10.20.0.8"


def last_entry():
    return AuditEntry.objects.order_by("-seq").first()


def errors(response):
    form = response.context["form"]
    return [str(e) for e in form.non_field_errors()] + [
        str(e) for field in form for e in field.errors
    ]


class CountingHasher(MD5PasswordHasher):
    """MD5 (the tests' hasher) that counts how often a password is hashed."""

    calls = 0

    def encode(self, password, salt):
        type(self).calls += 1
        return super().encode(password, salt)


COUNTING = ["accountability.accounts.tests.test_login.CountingHasher"]


class LoginTestCase(PersonasTestCase):
    client_class = Client

    def post_login(self, username, password, address=OWNER, client=None, **data):
        client = client or self.client
        return client.post(
            LOGIN, {"username": username, "password": password, **data}, REMOTE_ADDR=address
        )

    def full_login(self, username, address=OWNER, client=None):
        client = client or self.client
        user = User.objects.get(username=username)
        response = self.post_login(username, self.personas.password, address, client)
        self.assertRedirects(response, SECOND_FACTOR, fetch_redirect_response=False)
        code = totp_code(persona_totp_device(user))
        return client.post(SECOND_FACTOR, {"code": code}, REMOTE_ADDR=address)

    def assertLoggedIn(self, client=None, user=None):
        session = (client or self.client).session
        self.assertIn("_auth_user_id", session)
        if user is not None:
            self.assertEqual(session["_auth_user_id"], str(user.pk))

    def assertNotLoggedIn(self, client=None):
        self.assertNotIn("_auth_user_id", (client or self.client).session)


class PasswordOnlyTests(LoginTestCase):
    """A role without a required second factor (the leader) and no device enrolled."""

    def test_login_page_renders(self):
        """The login page is in Chinese and has the form and the activation link."""
        response = self.client.get(LOGIN)
        self.assertContains(response, 'name="username"')
        self.assertContains(response, reverse("accounts:activate"))

    def test_success_is_audited(self):
        """A good password logs in and writes a login entry with the IP and the factors."""
        response = self.post_login("leader", self.personas.password)
        self.assertEqual(response.status_code, 302)
        self.assertLoggedIn(user=self.leader)
        entry = last_entry()
        self.assertEqual(
            (entry.action, entry.actor, entry.ip, entry.detail),
            ("login", self.leader, OWNER, "密码"),
        )

    def test_failure_message_and_audit(self):
        """A bad password shows the generic message and writes login_failed."""
        response = self.post_login("leader", "wrong")
        self.assertEqual(errors(response), [LOGIN_INVALID.format(threshold=5, minutes=15)])
        entry = last_entry()
        self.assertEqual((entry.action, entry.outcome), ("login_failed", "failure"))

    def test_fifth_failure_blocks_from_that_address(self):
        """The fifth failure blocks the account from this address for 15 minutes, even with the
        right password; from another address the right password works."""
        for _ in range(4):
            self.post_login("leader", "wrong", ATTACKER)
        response = self.post_login("leader", "wrong", ATTACKER)
        self.assertEqual(errors(response), [LOGIN_THROTTLED.format(minutes=15)])
        response = self.post_login("leader", self.personas.password, ATTACKER)
        self.assertEqual(errors(response), [LOGIN_THROTTLED.format(minutes=15)])
        self.assertNotLoggedIn()
        self.assertEqual(last_entry().outcome, "denied")
        self.post_login("leader", self.personas.password, OWNER)
        self.assertLoggedIn(user=self.leader)

    def test_block_expires(self):
        """After the block the right password works again from the same address."""
        for _ in range(5):
            self.post_login("leader", "wrong", ATTACKER)
        LoginThrottle.objects.update(
            blocked_until=timezone.now() - timedelta(seconds=1),
            last_failure_at=timezone.now() - timedelta(minutes=16),
        )
        self.post_login("leader", self.personas.password, ATTACKER)
        self.assertLoggedIn(user=self.leader)

    def test_idle_timeout_set_on_login(self):
        """The session expires after 30 idle minutes."""
        self.post_login("leader", self.personas.password)
        self.assertEqual(self.client.session.get_expiry_age(), 30 * 60)

    def test_logout_is_post_and_audited(self):
        """Logout takes POST only and is audited."""
        self.client.force_login(self.leader)
        self.assertEqual(self.client.get(reverse("accounts:logout")).status_code, 405)
        response = self.client.post(reverse("accounts:logout"))
        self.assertRedirects(response, LOGIN, fetch_redirect_response=False)
        self.assertEqual((last_entry().action, last_entry().actor), ("logout", self.leader))

    def test_enrolled_device_must_be_used(self):
        """A user of an optional role who enrolled a second factor must give it."""
        persona_totp_device(self.leader)
        response = self.post_login("leader", self.personas.password)
        self.assertRedirects(response, SECOND_FACTOR, fetch_redirect_response=False)
        self.assertNotLoggedIn()

    def test_next_is_kept_and_checked(self):
        """The page asked for is reached after the login; another host's address is not."""
        response = self.post_login("leader", self.personas.password, next="/cases/")
        self.assertRedirects(response, "/cases/", fetch_redirect_response=False)
        self.client.logout()
        response = self.post_login("leader", self.personas.password, next="https://evil.example/")
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)


class NoOracleTests(LoginTestCase):
    """A missing account and an existing one, blocked or not, answer alike (finding 6)."""

    def attempts(self, username, count=6):
        return [self.post_login(username, "wrong", ATTACKER) for _ in range(count)]

    def test_blocked_account_answers_like_a_missing_one(self):
        """Six wrong passwords for an existing account and for a missing one give the same
        statuses and messages at every step, the block included."""
        existing = self.attempts("leader")
        missing = self.attempts("ghost")
        self.assertEqual([r.status_code for r in existing], [r.status_code for r in missing])
        self.assertEqual([errors(r) for r in existing], [errors(r) for r in missing])
        self.assertEqual(errors(existing[-1]), [LOGIN_THROTTLED.format(minutes=15)])

    @override_settings(PASSWORD_HASHERS=COUNTING)
    def test_the_hasher_runs_alike(self):
        """A wrong password hashes once, for a missing account as for an existing one; a
        blocked name is refused without hashing, whether or not it exists."""
        runs = {}
        for username in ("leader", "ghost"):
            counts = []
            for _ in range(6):
                CountingHasher.calls = 0
                self.post_login(username, "wrong", ATTACKER)
                counts.append(CountingHasher.calls)
            runs[username] = counts
        self.assertEqual(runs["leader"], [1, 1, 1, 1, 1, 0])
        self.assertEqual(runs["ghost"], runs["leader"])

    def test_missing_account_audited(self):
        """A failure for a name that does not exist is audited with that name."""
        self.post_login("ghost", "wrong")
        entry = AuditEntry.objects.filter(action="login_failed").get()
        self.assertEqual((entry.target_repr, entry.detail), ("ghost", "密码错误(用户名不存在)"))


class ThrottleCannotKeepTheOwnerOutTests(LoginTestCase):
    """Finding 6: anonymous failures cannot lock an administrator out."""

    def test_five_anonymous_failures_do_not_lock_the_security_administrator(self):
        """Five wrong passwords from an attacker's address block that address only: the
        security administrator logs in from theirs with password and TOTP."""
        for _ in range(5):
            self.post_login("security_admin", "wrong", ATTACKER)
        response = self.full_login("security_admin", OWNER)
        self.assertEqual(response.status_code, 302)
        self.assertLoggedIn(user=self.security_admin)

    def test_many_addresses_cannot_block_an_owner_with_a_second_factor(self):
        """Twenty failures from twenty addresses block the account everywhere, except for
        the right password and a valid second factor from an address with no failure."""
        for n in range(25):
            self.post_login("system_admin", "wrong", f"198.51.100.{n}")
        response = self.post_login("system_admin", "wrong", "198.51.100.3")
        self.assertEqual(errors(response), [LOGIN_THROTTLED.format(minutes=15)])
        response = self.full_login("system_admin", OWNER)
        self.assertEqual(response.status_code, 302)
        self.assertLoggedIn(user=self.system_admin)
        self.assertFalse(LoginThrottle.objects.filter(scope="account").exists())

    def test_owner_without_a_second_factor_waits_out_the_account_block(self):
        """Without a second factor there is no way past the account-wide block, and the right
        password answers like a wrong one (documented: roles that matter need one)."""
        for n in range(20):
            self.post_login("leader", "wrong", f"198.51.100.{n}")
        response = self.post_login("leader", self.personas.password, OWNER)
        wrong = self.post_login("leader", "wrong", "192.0.2.1")
        # The same message (each failure lengthens the block, hence another figure).
        same = [re.sub(r"\d+", "N", e) for e in errors(response)]
        self.assertEqual(same, [re.sub(r"\d+", "N", e) for e in errors(wrong)])
        self.assertEqual(same, [LOGIN_THROTTLED.format(minutes="N")])
        self.assertNotLoggedIn()

    def test_wrong_second_factor_counts_as_a_failure(self):
        """Five wrong codes end the pending login and count as failures of the account from
        this address."""
        self.post_login("case_officer", self.personas.password)
        for _ in range(4):
            response = self.client.post(SECOND_FACTOR, {"code": "000000"}, REMOTE_ADDR=OWNER)
            self.assertEqual(errors(response), [SECOND_FACTOR_INVALID])
        response = self.client.post(SECOND_FACTOR, {"code": "000000"}, REMOTE_ADDR=OWNER)
        self.assertRedirects(response, LOGIN, fetch_redirect_response=False)
        self.assertNotIn(PENDING_KEY, self.client.session)
        pair = LoginThrottle.objects.get(scope="account_address", username="case_officer")
        self.assertEqual(pair.failures, 5)
        follow = self.client.get(LOGIN)
        self.assertContains(follow, SECOND_FACTOR_EXPIRED)


class SecondFactorTests(LoginTestCase):
    def test_password_alone_is_not_a_login(self):
        """For a role that needs a second factor the password step logs nobody in."""
        response = self.post_login("case_officer", self.personas.password)
        self.assertRedirects(response, SECOND_FACTOR, fetch_redirect_response=False)
        self.assertNotLoggedIn()

    def test_every_page_is_refused_until_the_second_factor(self):
        """While the second factor is pending, every page but the second-factor pages and
        logout sends the visitor to the second-factor page."""
        self.post_login("case_officer", self.personas.password)
        pages = [
            reverse("home"),
            reverse("cases:queue"),
            reverse("cases:list"),
            reverse("people:list"),
            reverse("assessment:assess"),
            reverse("assessment:regulation"),
            reverse("audit:log"),
            reverse("accounts:list"),
            reverse("accounts:password_change"),
            reverse("accounts:two_factor"),
            reverse("accounts:activate"),
            LOGIN,
        ]
        for url in pages:
            response = self.client.get(url)
            self.assertRedirects(
                response, SECOND_FACTOR, fetch_redirect_response=False, msg_prefix=url
            )
        self.assertEqual(self.client.get(SECOND_FACTOR).status_code, 200)
        response = self.client.post(reverse("accounts:logout"))
        self.assertRedirects(response, LOGIN, fetch_redirect_response=False)
        self.assertNotIn(PENDING_KEY, self.client.session)

    def test_totp_completes_the_login(self):
        """The TOTP code completes the login; the session records the verified factor."""
        response = self.full_login("case_officer")
        self.assertEqual(response.status_code, 302)
        self.assertLoggedIn(user=self.case_officer)
        self.assertEqual(self.client.session[FACTOR_KEY], VERIFIED)
        self.assertEqual(last_entry().detail, "密码+动态口令")
        self.assertEqual(self.client.get(reverse("cases:queue")).status_code, 200)

    def test_a_code_works_once(self):
        """The same TOTP code cannot be used for a second login."""
        device = persona_totp_device(self.case_officer)
        code = totp_code(device)
        self.post_login("case_officer", self.personas.password)
        self.client.post(SECOND_FACTOR, {"code": code}, REMOTE_ADDR=OWNER)
        self.client.logout()
        self.post_login("case_officer", self.personas.password)
        response = self.client.post(SECOND_FACTOR, {"code": code}, REMOTE_ADDR=OWNER)
        self.assertEqual(errors(response), [SECOND_FACTOR_INVALID])

    def test_pending_login_expires(self):
        """A pending login older than five minutes is over."""
        self.post_login("case_officer", self.personas.password)
        session = self.client.session
        session[PENDING_KEY] = {**session[PENDING_KEY], "at": 0}
        session.save()
        self.assertRedirects(self.client.get(SECOND_FACTOR), LOGIN, fetch_redirect_response=False)

    def test_session_without_second_factor_is_ended(self):
        """A session made without the second factor (force_login) for a role that needs one
        is ended at its next request; for an optional role it is fine."""
        self.client.force_login(self.case_officer)
        response = self.client.get(reverse("cases:queue"))
        self.assertRedirects(response, LOGIN, fetch_redirect_response=False)
        self.assertNotLoggedIn()
        self.assertContains(self.client.get(LOGIN), SECOND_FACTOR_SESSION_ENDED)
        self.client.force_login(self.leader)
        self.assertEqual(self.client.get(reverse("cases:queue")).status_code, 200)

    def test_reset_second_factor_ends_verified_sessions(self):
        """When the security administrator resets a user's second factor, their session ends."""
        self.full_login("office_head")
        self.assertEqual(self.client.get(reverse("cases:queue")).status_code, 200)
        services.otp_reset(actor=self.security_admin, user=self.office_head)
        response = self.client.get(reverse("cases:queue"))
        self.assertRedirects(response, LOGIN, fetch_redirect_response=False)


class EnrolmentTests(LoginTestCase):
    def setUp(self):
        self.newcomer = User(username="newcomer", full_name="新同志", role=User.Role.CASE_OFFICER)
        self.newcomer.set_password("First#2026x")
        self.newcomer.save()

    def enrol(self):
        response = self.post_login("newcomer", "First#2026x")
        self.assertRedirects(response, SECOND_FACTOR, fetch_redirect_response=False)
        response = self.client.get(SECOND_FACTOR)
        self.assertRedirects(response, SETUP, fetch_redirect_response=False)
        page = self.client.get(SETUP)
        self.assertFalse(TOTPDevice.objects.filter(user=self.newcomer).exists())
        return page, enrolling_device(self.newcomer, page.context["secret"])

    def test_enrolment_at_first_login(self):
        """A case officer without a device enrols one after the password: the page shows an
        inline SVG QR code and the secret; a wrong code is refused; the right one shows ten
        recovery codes once, stores them hashed and completes the login."""
        page, device = self.enrol()
        self.assertContains(page, "<svg")
        secret = page.context["secret"].replace(" ", "")
        self.assertEqual(totp_for_key(device.key).secret, secret)
        self.assertEqual(self.client.get(SETUP).context["secret"], page.context["secret"])
        response = self.client.post(SETUP, {"code": totp_code(device)}, REMOTE_ADDR=OWNER)
        recovery = response.context["codes"]
        self.assertEqual(len(recovery), 10)
        self.assertIn("no-store", response["Cache-Control"])
        self.assertLoggedIn(user=self.newcomer)
        stored = set(StaticToken.objects.values_list("token", flat=True))
        self.assertEqual(len(stored), 10)
        self.assertFalse(stored & {codes.normalise(c) for c in recovery})
        self.assertEqual(
            stored, {codes.recovery_digest(user_id=self.newcomer.pk, code=c) for c in recovery}
        )
        entry = AuditEntry.objects.filter(action="update", target_id=str(self.newcomer.pk)).get()
        self.assertEqual(entry.changes, {"second_factor": ["未启用", "已启用"]})

    def test_wrong_first_code_refused(self):
        """A wrong code does not confirm the device and nobody is logged in."""
        self.enrol()
        response = self.client.post(SETUP, {"code": "123456"})
        self.assertEqual(errors(response), [str(services.TOTP_CODE_WRONG)])
        self.assertFalse(TOTPDevice.objects.filter(user=self.newcomer).exists())
        self.assertNotLoggedIn()

    def test_recovery_code_logs_in_once(self):
        """A recovery code replaces the TOTP code once, with a notice of how many are left."""
        _, device = self.enrol()
        recovery = self.client.post(SETUP, {"code": totp_code(device)}).context["codes"]
        self.client.logout()
        self.post_login("newcomer", "First#2026x")
        response = self.client.post(SECOND_FACTOR, {"code": recovery[3].lower()}, follow=True)
        self.assertLoggedIn(user=self.newcomer)
        self.assertContains(response, RECOVERY_CODE_USED.format(count=9))
        self.assertEqual(last_entry().detail, "密码+恢复码")
        self.client.logout()
        self.post_login("newcomer", "First#2026x")
        response = self.client.post(SECOND_FACTOR, {"code": recovery[3]})
        self.assertEqual(errors(response), [SECOND_FACTOR_INVALID])

    def test_activation_leads_to_enrolment(self):
        """With both halves of an activation code the person sets a password and goes on to
        enrol their second factor."""
        account_request, first = services.account_request_create(
            actor=self.system_admin,
            username="fresh",
            full_name="新人",
            role=User.Role.OFFICE_HEAD,
        )
        _, second = services.account_request_approve(
            actor=self.security_admin, account_request=account_request
        )
        response = self.client.post(
            reverse("accounts:activate"),
            {
                "username": "fresh",
                "first_code": first,
                "second_code": second,
                "new_password1": "Mine#2026xy",
                "new_password2": "Mine#2026xy",
            },
        )
        self.assertRedirects(response, SECOND_FACTOR, fetch_redirect_response=False)
        self.assertRedirects(self.client.get(SECOND_FACTOR), SETUP, fetch_redirect_response=False)
        self.assertNotLoggedIn()

    def test_wrong_activation_codes_are_throttled(self):
        """Wrong activation codes count like wrong passwords."""
        data = {
            "username": "newcomer",
            "first_code": "AAAA-AAAA",
            "second_code": "BBBB-BBBB",
            "new_password1": "Mine#2026xy",
            "new_password2": "Mine#2026xy",
        }
        url = reverse("accounts:activate")
        for _ in range(4):
            response = self.client.post(url, data, REMOTE_ADDR=ATTACKER)
            self.assertEqual(errors(response), [str(services.ACTIVATION_INVALID)])
        response = self.client.post(url, data, REMOTE_ADDR=ATTACKER)
        self.assertEqual(errors(response), [LOGIN_THROTTLED.format(minutes=15)])


class HelperTests(LoginTestCase):
    def test_login_through_pages(self):
        """The tests' helper logs in through both pages."""
        login_through_pages(
            self.client,
            "audit_admin",
            self.personas.password,
            persona_totp_device(self.audit_admin),
        )
        self.assertLoggedIn(user=self.audit_admin)


class EnglishPagesTests(LoginTestCase):
    """The login's own pages are complete in English (names of people and units aside)."""

    def setUp(self):
        # The last English request leaves English active in this thread: back to Chinese.
        self.addCleanup(translation.activate, settings.LANGUAGE_CODE)

    def assertEnglish(self, response):
        from accountability.common.tests.test_i18n import CJK, visible_text

        self.assertEqual(response["Content-Language"], "en")
        text = visible_text(response.content.decode())
        # Names of people and of the organ, and the language switch's 中文, stay as they are.
        from accountability.people.models import Organisation

        kept = {
            "中文",
            settings.ORGANISATION_NAME,
            "镇雄县纪委监委",
            "新同志",
            *User.objects.values_list("full_name", flat=True),
            *Organisation.objects.values_list("name", flat=True),
        }
        for data in sorted(kept, key=len, reverse=True):
            text = text.replace(data, "")
        self.assertEqual(sorted({m.group() for m in CJK.finditer(text)}), [])

    def test_second_factor_enrolment_and_activation_pages(self):
        """The second-factor, enrolment, activation and recovery-code pages in English."""
        english = {"HTTP_ACCEPT_LANGUAGE": "en"}
        self.assertEnglish(self.client.get(reverse("accounts:activate"), **english))
        self.post_login("security_admin", self.personas.password)
        self.assertEnglish(self.client.get(SECOND_FACTOR, **english))
        newcomer = User(username="newcomer", full_name="新同志", role=User.Role.CASE_OFFICER)
        newcomer.set_password("First#2026x")
        newcomer.save()
        self.client.logout()
        self.post_login("newcomer", "First#2026x")
        page = self.client.get(SETUP, **english)
        self.assertEnglish(page)
        device = enrolling_device(newcomer, page.context["secret"])
        self.assertEnglish(self.client.post(SETUP, {"code": totp_code(device)}, **english))

    def test_administrator_pages(self):
        """The account list, the requests and a request in English."""
        english = {"HTTP_ACCEPT_LANGUAGE": "en"}
        account_request, _ = services.account_request_create(
            actor=self.system_admin, username="wangwu", full_name="新同志", role="team_member"
        )
        self.full_login("security_admin")
        for url in (
            reverse("accounts:list"),
            reverse("accounts:requests"),
            reverse("accounts:request_detail", args=[account_request.pk]),
            reverse("accounts:two_factor"),
        ):
            self.assertEnglish(self.client.get(url, **english))
