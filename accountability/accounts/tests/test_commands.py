"""The operator's account commands, through call_command."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from accountability.accounts import otp, services
from accountability.accounts.models import User
from accountability.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
PASSWORD = "Admin#2026xy"


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def halves(output):
    lines = dict(line.split("：", 1) for line in output.splitlines() if "激活码第" in line)
    return lines["激活码第一段"], lines["激活码第二段"]


def test_create_administrator_prints_a_working_activation_code():
    """The command makes an administrator account, audited, and prints both halves once;
    with them the administrator sets their own password."""
    out = run("create-administrator", "fengxue", "--role", "security_admin", "--full-name", "冯雪")
    assert "已建立管理员账号 fengxue（安全管理员，冯雪）。" in out
    first, second = halves(out)
    user = User.objects.get(username="fengxue")
    assert (user.kind, user.has_usable_password()) == (User.Kind.ADMINISTRATOR, False)
    services.account_activate(
        username="fengxue", first_code=first, second_code=second, password=PASSWORD
    )
    assert authenticate(username="fengxue", password=PASSWORD) == user
    entry = AuditEntry.objects.filter(action="create").get()
    assert entry.actor is None and "create-administrator" in entry.detail


def test_create_administrator_refuses_business_roles_and_taken_names():
    """Only administrator roles; a taken name is refused with the service's message."""
    with pytest.raises(CommandError):
        run("create-administrator", "x", "--role", "case_officer", "--full-name", "某人")
    run("create-administrator", "auditor", "--role", "audit_admin", "--full-name", "何平")
    with pytest.raises(CommandError, match=services.USERNAME_TAKEN.format(username="auditor")):
        run("create-administrator", "auditor", "--role", "audit_admin", "--full-name", "何平")


def test_reset_and_deactivate_administrator(personas):
    """reset-administrator voids the password and prints a new code; deactivate-administrator
    stops the account and --reactivate restores it; business accounts are refused."""
    out = run("reset-administrator", "system_admin")
    assert authenticate(username="system_admin", password=personas.password) is None
    assert halves(out)
    run("deactivate-administrator", "audit_admin")
    assert not User.objects.get(username="audit_admin").is_active
    run("deactivate-administrator", "audit_admin", "--reactivate")
    assert User.objects.get(username="audit_admin").is_active
    with pytest.raises(CommandError, match=str(services.NOT_ADMIN_ROLE)):
        run("reset-administrator", "case_officer")


def test_otp_reset(personas):
    """otp-reset removes a user's second factor, audited as the operator's."""
    out = run("otp-reset", "case_officer")
    assert "已重置 case_officer 的双因素认证" in out
    assert not otp.has_second_factor(personas.case_officer)
    assert "otp-reset" in AuditEntry.objects.order_by("-seq").first().detail
    with pytest.raises(
        CommandError, match=services.NO_SECOND_FACTOR.format(username="case_officer")
    ):
        run("otp-reset", "case_officer")
    with pytest.raises(CommandError, match=services.USER_NOT_FOUND.format(username="nobody")):
        run("otp-reset", "nobody")
