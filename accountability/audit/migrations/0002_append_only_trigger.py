"""On PostgreSQL, a trigger refuses UPDATE and DELETE on audit entries.

Other databases rely on the model's own refusal and on the hash chain.
TRUNCATE is not a row event and stays possible for test-database flushes; the
chain head row makes a truncation visible to verify-audit.
"""

from django.db import migrations

CREATE = [
    """
    CREATE OR REPLACE FUNCTION audit_entry_refuse_change() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION USING MESSAGE = 'audit entries are append-only: ' || TG_OP;
    END;
    $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry",
    """
    CREATE TRIGGER audit_entry_append_only
        BEFORE UPDATE OR DELETE ON audit_auditentry
        FOR EACH ROW EXECUTE FUNCTION audit_entry_refuse_change()
    """,
]

DROP = [
    "DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry",
    "DROP FUNCTION IF EXISTS audit_entry_refuse_change()",
]


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
