"""PostgreSQL roles: the owner runs migrations, the application may only append to the audit.

Two login roles (names are settings of the command, defaults below):

* the owner (``accountability_owner``) owns the database's schema and every table; it runs
  ``migrate`` (``DATABASE_MIGRATION_URL``) and then ``accountability db-roles --grant``;
* the application (``accountability_app``) serves the web site and the worker
  (``DATABASE_URL``): SELECT, INSERT, UPDATE, DELETE on the tables of the application, but on
  ``audit_auditentry`` only SELECT and INSERT, and on ``audit_auditchainhead`` SELECT,
  INSERT and UPDATE of its columns (the head's trigger lets it move forward only). It owns
  nothing, so it can neither ALTER TABLE … DISABLE TRIGGER nor DROP TRIGGER, nor TRUNCATE.

Default privileges make the tables a later migration creates usable by the application at
once; ``--grant`` must still run after every migration so that the audit tables keep their
narrower grants (it is idempotent).
"""

from __future__ import annotations

import re

from django.db import connection

OWNER = "accountability_owner"
APP = "accountability_app"
AUDIT_ENTRIES = "audit_auditentry"
AUDIT_HEAD = "audit_auditchainhead"
HEAD_COLUMNS = ("seq", "hash", "key_id", "mac")

_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _ident(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"not a plain PostgreSQL role name: {name!r}")
    return f'"{name}"'


def create_statements(*, owner: str = OWNER, app: str = APP, database: str) -> list[str]:
    """For the database administrator (a superuser), once: the roles and who owns what.

    Passwords are not set here: set them with ``\\password`` in psql, never in a file."""
    o, a, db = _ident(owner), _ident(app), _ident(database)
    return [
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{owner}') "
        f"THEN CREATE ROLE {o} LOGIN; END IF; END $$",
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{app}') "
        f"THEN CREATE ROLE {a} LOGIN; END IF; END $$",
        f"ALTER ROLE {a} NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS",
        f"ALTER DATABASE {db} OWNER TO {o}",
        f"ALTER SCHEMA public OWNER TO {o}",
        f"REVOKE ALL ON DATABASE {db} FROM PUBLIC",
        f"GRANT CONNECT, TEMPORARY ON DATABASE {db} TO {a}",
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        f"GRANT USAGE ON SCHEMA public TO {a}",
    ]


def grant_statements(*, owner: str = OWNER, app: str = APP) -> list[str]:
    """As the owner (or a superuser), after every migration: the application's grants."""
    o, a = _ident(owner), _ident(app)
    head_columns = ", ".join(HEAD_COLUMNS)
    return [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {a}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {a}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {a}",
        f"REVOKE UPDATE, DELETE, TRUNCATE ON {AUDIT_ENTRIES} FROM {a}",
        f"REVOKE UPDATE, DELETE, TRUNCATE ON {AUDIT_HEAD} FROM {a}",
        f"GRANT UPDATE ({head_columns}) ON {AUDIT_HEAD} TO {a}",
        f"REVOKE ALL ON {AUDIT_ENTRIES}, {AUDIT_HEAD} FROM PUBLIC",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA public "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {a}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA public "
        f"GRANT USAGE, SELECT ON SEQUENCES TO {a}",
    ]


def audit_privileges(role: str) -> dict[str, bool]:
    """What ``role`` may do to the audit entries (for ``db-roles --check``)."""
    checks = {
        "SELECT": f"has_table_privilege(%s, '{AUDIT_ENTRIES}', 'SELECT')",
        "INSERT": f"has_table_privilege(%s, '{AUDIT_ENTRIES}', 'INSERT')",
        "UPDATE": f"has_table_privilege(%s, '{AUDIT_ENTRIES}', 'UPDATE')",
        "DELETE": f"has_table_privilege(%s, '{AUDIT_ENTRIES}', 'DELETE')",
        "TRUNCATE": f"has_table_privilege(%s, '{AUDIT_ENTRIES}', 'TRUNCATE')",
        "OWNER": "pg_has_role(%s, (SELECT tableowner FROM pg_tables WHERE tablename = "
        "'audit_auditentry'), 'USAGE')",
        "SUPERUSER": "(SELECT rolsuper FROM pg_roles WHERE rolname = %s)",
    }
    result = {}
    with connection.cursor() as cursor:
        for name, sql in checks.items():
            cursor.execute(f"SELECT {sql}", [role])
            result[name] = bool(cursor.fetchone()[0])
    return result


def audit_role_is_safe(privileges: dict[str, bool]) -> bool:
    return (
        privileges["SELECT"]
        and privileges["INSERT"]
        and not any(privileges[k] for k in ("UPDATE", "DELETE", "TRUNCATE", "OWNER", "SUPERUSER"))
    )
