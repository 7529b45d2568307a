"""The PostgreSQL roles: as the application's role, the audit log can only be appended to.

The test creates a role like production's ``accountability_app`` (inside the test's
transaction, so nothing is left behind in the shared cluster), grants it what
``accountability db-roles --grant`` grants, and switches to it with SET ROLE: every
privilege check from then on is the application role's, as over its own connection.
"""

import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from accountability.audit import roles
from accountability.audit.models import AuditChainHead, AuditEntry
from accountability.audit.services import audit_log
from accountability.audit.verify import audit_chain_verify

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="roles exist on PostgreSQL only"
)


def test_grant_statements_printed(capsys):
    """Without --apply the statements are printed for the database administrator."""
    call_command("db-roles", "--grant")
    out = capsys.readouterr().out
    grant = "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public"
    assert f'{grant} TO "accountability_app";' in out
    assert 'REVOKE UPDATE, DELETE, TRUNCATE ON audit_auditentry FROM "accountability_app";' in out
    assert 'ALTER DEFAULT PRIVILEGES FOR ROLE "accountability_owner"' in out


def test_create_statements_printed(capsys):
    """--create prints the roles and the ownership for a named database."""
    call_command("db-roles", "--create", "--database", "accountability")
    out = capsys.readouterr().out
    assert 'ALTER DATABASE "accountability" OWNER TO "accountability_owner";' in out
    assert 'CREATE ROLE "accountability_app" LOGIN' in out


def test_role_names_are_checked():
    """A role name that is not a plain identifier is refused (no SQL in names)."""
    with pytest.raises(CommandError):
        call_command("db-roles", "--grant", "--app", 'x"; DROP TABLE audit_auditentry; --')


def as_role(role):
    with connection.cursor() as cursor:
        cursor.execute(f'SET ROLE "{role}"')


def refused(sql, params=()):
    """True when the statement fails (in a savepoint, so the test goes on)."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError:
        return True
    return False


@pytest.fixture
def app_role(personas):
    role = f"test_acc_app_{uuid.uuid4().hex[:10]}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        owner = cursor.fetchone()[0]
        cursor.execute(f'CREATE ROLE "{role}" NOLOGIN')
        cursor.execute(f'GRANT USAGE ON SCHEMA public TO "{role}"')
    call_command("db-roles", "--grant", "--apply", "--owner", owner, "--app", role)
    audit_log(actor=personas.case_officer, action="create")
    audit_log(actor=personas.case_officer, action="create")
    yield role
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


@on_postgresql
def test_app_role_can_only_append_to_the_audit(app_role, personas, capsys):
    """As the application's role: UPDATE, DELETE, TRUNCATE of the audit entries, disabling
    or dropping the trigger, switching triggers off and rewinding or deleting the head all
    fail; INSERT and SELECT work, and so do the application's normal writes."""
    call_command("db-roles", "--check", "--role", app_role)
    assert "只能 SELECT、INSERT" in capsys.readouterr().out
    as_role(app_role)
    first = AuditEntry.objects.get(seq=1)
    for sql in (
        "UPDATE audit_auditentry SET detail = 'x'",
        "DELETE FROM audit_auditentry",
        "TRUNCATE audit_auditentry",
        "ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only",
        "ALTER TABLE audit_auditentry DISABLE TRIGGER ALL",
        "DROP TRIGGER audit_entry_append_only ON audit_auditentry",
        "DROP TABLE audit_auditentry",
        "SET session_replication_role = replica",
        "DELETE FROM audit_auditchainhead",
        "TRUNCATE audit_auditchainhead",
        "ALTER TABLE audit_auditchainhead DISABLE TRIGGER audit_head_forward_only",
    ):
        assert refused(sql), sql
    assert refused("UPDATE audit_auditchainhead SET seq = 1, hash = %s", [first.hash])
    # What it may do: read and append (the head moves forward with each entry).
    assert AuditEntry.objects.count() == 2
    entry = audit_log(actor=personas.case_officer, action="create")
    assert (entry.seq, AuditChainHead.objects.get().seq) == (3, 3)
    # The application's normal work: a case registered through the services.
    from accountability.cases.tests.factories import Flow

    flow = Flow.register(personas).accept()
    assert flow.case.state == "accepted"
    assert audit_chain_verify().ok


@on_postgresql
def test_superuser_is_not_a_safe_application_role():
    """db-roles --check fails for a role that can change the audit (the superuser here)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        me = cursor.fetchone()[0]
    with pytest.raises(CommandError) as excinfo:
        call_command("db-roles", "--check", "--role", me)
    assert "UPDATE" in str(excinfo.value)


@on_postgresql
def test_truncate_refused_even_with_the_privilege(personas):
    """A role that holds TRUNCATE (the owner running flush by mistake) meets the trigger."""
    audit_log(actor=personas.case_officer, action="create")
    role = f"test_acc_owner_{uuid.uuid4().hex[:10]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" NOLOGIN')
        cursor.execute(f'GRANT USAGE ON SCHEMA public TO "{role}"')
        cursor.execute(
            f'GRANT TRUNCATE, SELECT ON audit_auditentry, audit_auditchainhead TO "{role}"'
        )
    with connection.cursor() as cursor:
        # The test's own inserts leave deferred FK checks pending, which TRUNCATE refuses.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    try:
        as_role(role)
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("TRUNCATE audit_auditentry")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
    assert AuditEntry.objects.count() == 1


def test_safety_rule():
    """Only SELECT and INSERT, nothing else, is a safe application role."""
    safe = dict.fromkeys(("SELECT", "INSERT"), True) | dict.fromkeys(
        ("UPDATE", "DELETE", "TRUNCATE", "OWNER", "SUPERUSER"), False
    )
    assert roles.audit_role_is_safe(safe)
    for key in ("UPDATE", "DELETE", "TRUNCATE", "OWNER", "SUPERUSER"):
        assert not roles.audit_role_is_safe({**safe, key: True})
