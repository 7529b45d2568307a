"""`accountability seed_demo`: idempotent demo data with working logins.

The whole demo is seeded once for the class (setUpTestData), twice over: first forced with
DEBUG off, then again with DEBUG on, so that every test reads what a second run left.
"""

import importlib
import shutil
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import Client, TestCase, override_settings
from django.urls import reverse

from accountability.accounts.models import User
from accountability.accounts.validators import PasswordComplexityValidator
from accountability.demo.management.commands.seed_demo import (
    DEMO_OTP_HINT,
    DEMO_URL,
    REFUSED_WITHOUT_DEBUG,
)
from accountability.demo.registry import DEMO_PASSWORD, PEOPLE, USERS
from accountability.documents.models import IssuedDocument
from accountability.people.models import Organisation, Person

DEMO_OTP = importlib.import_module("accountability.demo.management.commands.demo-otp")
USERNAMES = [u[0] for u in USERS]


class RefusedWithoutDebugTests(TestCase):
    @override_settings(DEBUG=False)
    def test_refused_without_debug(self):
        """With DEBUG off the command refuses to create demo accounts unless forced (forced:
        SeedDemoTests)."""
        with self.assertRaisesMessage(CommandError, REFUSED_WITHOUT_DEBUG):
            call_command("seed_demo")
        self.assertFalse(User.objects.exists())


@override_settings(DEBUG=True)
class SeedDemoTests(TestCase):
    media_root: str

    @classmethod
    def setUpClass(cls):
        # seed_demo issues the demo documents: their files go to a temporary MEDIA_ROOT,
        # removed afterwards, never into var/media/.
        cls.media_root = tempfile.mkdtemp(prefix="seed-demo-media-")
        cls.addClassCleanup(shutil.rmtree, cls.media_root, ignore_errors=True)
        cls.enterClassContext(override_settings(MEDIA_ROOT=cls.media_root))
        super().setUpClass()

    @classmethod
    def setUpTestData(cls):
        with override_settings(DEBUG=False):
            call_command("seed_demo", "--force", stdout=StringIO())
        cls.forced_users = User.objects.filter(username__in=USERNAMES).count()
        out = StringIO()
        call_command("seed_demo", stdout=out)
        cls.out = out.getvalue()

    def test_forced_without_debug(self):
        """--force creates the demo accounts with DEBUG off."""
        self.assertEqual(self.forced_users, len(USERS))

    def test_seed_demo_is_idempotent(self):
        """Two runs leave one set of organisations, people and users, one user per role."""
        numbers = [p[0] for p in PEOPLE]
        self.assertEqual(Person.objects.filter(id_number__in=numbers).count(), len(PEOPLE))
        self.assertGreaterEqual(len(PEOPLE), 30)
        demo_users = User.objects.filter(username__in=USERNAMES)
        self.assertEqual(demo_users.count(), len(USERS))
        self.assertEqual(set(demo_users.values_list("role", flat=True)), set(User.Role.values))
        self.assertEqual(Organisation.objects.filter(kind="township").count(), 4)
        self.assertIn(DEMO_URL, self.out)
        self.assertIn("审计管理员", self.out)
        self.assertIn("auditor", self.out)
        self.assertIn(DEMO_OTP_HINT, self.out)
        self.assertIn("演示案件：新增0件", self.out)
        self.assertIn("演示文书：新增0份", self.out)

    def test_demo_logins_work(self):
        """Every demo user logs in through the login page with the printed password, which
        meets the policy, and, where their role needs it, the code that demo-otp prints (only
        for the demo accounts, and only with DEBUG on)."""
        PasswordComplexityValidator().validate(DEMO_PASSWORD)
        needs_code = set()
        for username in USERNAMES:
            client = Client()
            response = client.post(
                reverse("accounts:login"), {"username": username, "password": DEMO_PASSWORD}
            )
            if response["Location"] == reverse("accounts:second_factor"):
                needs_code.add(username)
                out = StringIO()
                call_command("demo-otp", username, stdout=out)
                client.post(reverse("accounts:second_factor"), {"code": out.getvalue().strip()})
            self.assertIn("_auth_user_id", client.session, username)
        self.assertEqual(needs_code, {"officer", "head", "sysadmin", "secadmin", "auditor"})
        # demo-otp prints nothing for other accounts, and nothing at all with DEBUG off.
        message = DEMO_OTP.NOT_A_DEMO_ACCOUNT
        with self.assertRaisesMessage(CommandError, message.format(username="leader")):
            call_command("demo-otp", "leader")
        User.objects.create(username="someone", role="case_officer")
        with self.assertRaisesMessage(CommandError, message.format(username="someone")):
            call_command("demo-otp", "someone")
        with (
            override_settings(DEBUG=False),
            self.assertRaisesMessage(CommandError, DEMO_OTP.REFUSED_WITHOUT_DEBUG),
        ):
            call_command("demo-otp", "officer")

    def test_demo_people_span_authority(self):
        """The demo has a leader managed by the city, and the subject's account is a person."""
        self.assertTrue(Person.objects.filter(managed_by__code="ZT").exists())
        self.assertEqual(Person.objects.get(account__username="subject").name, "吴刚")

    def test_demo_documents_are_written_to_the_media_root(self):
        """The demo's issued documents are stored under MEDIA_ROOT (here a temporary folder)."""
        documents = list(IssuedDocument.objects.all())
        self.assertTrue(documents)
        for document in documents:
            self.assertTrue(Path(document.docx.path).is_relative_to(self.media_root))
            self.assertTrue(Path(document.docx.path).is_file())
