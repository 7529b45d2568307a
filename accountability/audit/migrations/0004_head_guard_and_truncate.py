"""On PostgreSQL: TRUNCATE refused on the audit tables, and the chain head guarded.

0002 let TRUNCATE through for the test databases' flushes. With the roles of
``accountability db-roles`` the application's role has no TRUNCATE privilege at all; this
trigger refuses it to every other role as well (the migration owner running ``flush`` by
mistake), except a superuser: a superuser can switch any trigger off anyway, and Django's
test runner flushes its test databases as one.

The head may be changed only forward: onto the entry just appended, never backwards, never
deleted; a no-op update (a writer taking the row lock) passes. So the application's role,
which must update the head, cannot rewind it; the head's MAC and the signed anchors catch
whoever can bypass triggers (the owner, a superuser).
"""

from django.db import migrations

CREATE = [
    """
    CREATE OR REPLACE FUNCTION audit_refuse_truncate() RETURNS trigger AS $$
    BEGIN
        IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION USING MESSAGE = 'audit tables are append-only: TRUNCATE ' || TG_TABLE_NAME;
    END;
    $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_auditentry",
    """
    CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_auditentry
        FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_truncate()
    """,
    "DROP TRIGGER IF EXISTS audit_head_no_truncate ON audit_auditchainhead",
    """
    CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_auditchainhead
        FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_truncate()
    """,
    """
    CREATE OR REPLACE FUNCTION audit_head_guard() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION USING MESSAGE = 'the audit chain head cannot be deleted';
        END IF;
        IF NEW.id <> 1 THEN
            RAISE EXCEPTION USING MESSAGE = 'the audit chain has one head, id 1';
        END IF;
        IF TG_OP = 'UPDATE' THEN
            IF NEW.seq = OLD.seq AND NEW.hash = OLD.hash
               AND NEW.key_id = OLD.key_id AND NEW.mac = OLD.mac THEN
                RETURN NEW;
            END IF;
            IF NEW.seq <= OLD.seq THEN
                RAISE EXCEPTION USING MESSAGE = 'the audit chain head cannot move backwards';
            END IF;
        END IF;
        IF NEW.seq = 0 THEN
            IF EXISTS (SELECT 1 FROM audit_auditentry) THEN
                RAISE EXCEPTION USING MESSAGE = 'the audit chain head must name the last entry';
            END IF;
        ELSIF NOT EXISTS (
                SELECT 1 FROM audit_auditentry WHERE seq = NEW.seq AND hash = NEW.hash
            ) OR EXISTS (SELECT 1 FROM audit_auditentry WHERE seq > NEW.seq) THEN
            RAISE EXCEPTION USING MESSAGE = 'the audit chain head must name the last entry';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS audit_head_forward_only ON audit_auditchainhead",
    """
    CREATE TRIGGER audit_head_forward_only
        BEFORE INSERT OR UPDATE OR DELETE ON audit_auditchainhead
        FOR EACH ROW EXECUTE FUNCTION audit_head_guard()
    """,
]

DROP = [
    "DROP TRIGGER IF EXISTS audit_head_forward_only ON audit_auditchainhead",
    "DROP TRIGGER IF EXISTS audit_head_no_truncate ON audit_auditchainhead",
    "DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_auditentry",
    "DROP FUNCTION IF EXISTS audit_head_guard()",
    "DROP FUNCTION IF EXISTS audit_refuse_truncate()",
]


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement, params=None)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_keyed_chain")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
