"""`accountability verify-audit` through call_command."""

import pytest
from django.core.management import CommandError, call_command

from accountability.audit.selectors import CHAIN_EDITED, CHAIN_OK
from accountability.audit.services import audit_log
from accountability.audit.tests.test_selectors import raw_sql

pytestmark = pytest.mark.django_db


def test_verify_prints_count(personas, capsys):
    """An intact log prints 审计日志完整 N 条."""
    for _ in range(3):
        audit_log(actor=personas.case_officer, action="create")
    call_command("verify-audit")
    assert capsys.readouterr().out.strip() == CHAIN_OK.format(count=3)


def test_verify_fails_with_status_1(personas):
    """A tampered log makes the command fail with exit status 1 naming the entry."""
    for _ in range(3):
        audit_log(actor=personas.case_officer, action="create")
    raw_sql("UPDATE audit_auditentry SET action = 'delete' WHERE seq = 2")
    with pytest.raises(CommandError) as excinfo:
        call_command("verify-audit")
    assert excinfo.value.returncode == 1
    assert str(excinfo.value) == CHAIN_EDITED.format(seq=2)
