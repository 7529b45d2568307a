"""`accountability seed_demo`: idempotent demo data with working logins."""

import importlib
import shutil
import tempfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import reverse

from accountability.accounts.models import User
from accountability.accounts.validators import PasswordComplexityValidator
from accountability.common.demo import DEMO_PASSWORD, PEOPLE, USERS
from accountability.common.management.commands.seed_demo import (
    DEMO_OTP_HINT,
    DEMO_URL,
    REFUSED_WITHOUT_DEBUG,
)
from accountability.documents.models import IssuedDocument
from accountability.people.models import Organisation, Person

pytestmark = pytest.mark.django_db
DEMO_OTP = importlib.import_module("accountability.accounts.management.commands.demo-otp")


@pytest.fixture(autouse=True)
def media_root():
    """seed_demo issues the demo documents: their files go to a temporary MEDIA_ROOT,
    removed afterwards, never into var/media/."""
    folder = tempfile.mkdtemp(prefix="seed-demo-media-")
    try:
        with override_settings(MEDIA_ROOT=folder):
            yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_seed_demo_is_idempotent(settings, capsys):
    """Two runs leave one set of organisations, people and users, one user per role."""
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    numbers = [p[0] for p in PEOPLE]
    usernames = [u[0] for u in USERS]
    assert Person.objects.filter(id_number__in=numbers).count() == len(PEOPLE) >= 30
    demo_users = User.objects.filter(username__in=usernames)
    assert demo_users.count() == len(USERS)
    assert set(demo_users.values_list("role", flat=True)) == set(User.Role.values)
    assert Organisation.objects.filter(kind="township").count() == 4
    out = capsys.readouterr().out
    assert DEMO_URL in out
    assert "审计管理员" in out
    assert "auditor" in out
    assert DEMO_OTP_HINT in out


def test_demo_logins_work(settings):
    """Every demo user logs in through the login page with the printed password, which meets
    the policy, and, where their role needs it, the code that demo-otp prints (only for the
    demo accounts, and only with DEBUG on)."""
    settings.DEBUG = True
    call_command("seed_demo")
    PasswordComplexityValidator().validate(DEMO_PASSWORD)
    needs_code = set()
    for username, *_ in USERS:
        client = Client()
        response = client.post(
            reverse("accounts:login"), {"username": username, "password": DEMO_PASSWORD}
        )
        if response["Location"] == reverse("accounts:second_factor"):
            needs_code.add(username)
            out = StringIO()
            call_command("demo-otp", username, stdout=out)
            client.post(reverse("accounts:second_factor"), {"code": out.getvalue().strip()})
        assert "_auth_user_id" in client.session, username
    assert needs_code == {"officer", "head", "sysadmin", "secadmin", "auditor"}
    # demo-otp prints nothing for other accounts, and nothing at all with DEBUG off.
    with pytest.raises(CommandError, match=DEMO_OTP.NOT_A_DEMO_ACCOUNT.format(username="leader")):
        call_command("demo-otp", "leader")
    User.objects.create(username="someone", role="case_officer")
    with pytest.raises(CommandError, match=DEMO_OTP.NOT_A_DEMO_ACCOUNT.format(username="someone")):
        call_command("demo-otp", "someone")
    settings.DEBUG = False
    with pytest.raises(CommandError, match=DEMO_OTP.REFUSED_WITHOUT_DEBUG):
        call_command("demo-otp", "officer")


def test_demo_people_span_authority(settings):
    """The demo has a leader managed by the city, and the subject's account is a person."""
    settings.DEBUG = True
    call_command("seed_demo")
    assert Person.objects.filter(managed_by__code="ZT").exists()
    assert Person.objects.get(account__username="subject").name == "吴刚"


def test_refused_without_debug(settings):
    """With DEBUG off the command refuses to create demo accounts unless forced."""
    settings.DEBUG = False
    with pytest.raises(CommandError, match=REFUSED_WITHOUT_DEBUG):
        call_command("seed_demo")
    assert not User.objects.exists()
    call_command("seed_demo", "--force")
    assert User.objects.filter(username__in=[u[0] for u in USERS]).count() == len(USERS)


def test_demo_documents_are_written_to_the_media_root(settings, media_root):
    """The demo's issued documents are stored under MEDIA_ROOT (here a temporary folder)."""
    settings.DEBUG = True
    call_command("seed_demo")
    documents = list(IssuedDocument.objects.all())
    assert documents
    for document in documents:
        assert Path(document.docx.path).is_relative_to(media_root)
        assert Path(document.docx.path).is_file()
