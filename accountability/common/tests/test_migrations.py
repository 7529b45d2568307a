"""The schema migrates cleanly, down and up, on the database under test (SQLite or PostgreSQL)."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase

OUR_APPS = ("accounts", "people", "audit", "assessment", "cases", "documents")


class MigrationTests(TransactionTestCase):
    def test_no_model_change_lacks_a_migration(self) -> None:
        """makemigrations finds nothing to write."""
        out = StringIO()
        call_command("makemigrations", "--check", "--dry-run", stdout=out, verbosity=1)
        self.assertIn("No changes detected", out.getvalue())

    def test_every_app_migrates_down_to_zero_and_up_again(self) -> None:
        """Each of the project's apps unapplies all its migrations and applies them again.

        The apps go down together, in one plan (what ``migrate <app> zero`` does for each app,
        without rendering the project's states once per app)."""
        executor = MigrationExecutor(connection)
        executor.migrate([(app, None) for app in reversed(OUR_APPS)])
        tables = set(connection.introspection.table_names())
        self.assertFalse({t for t in tables if t.split("_")[0] in OUR_APPS})
        call_command("migrate", verbosity=0)
        executor = MigrationExecutor(connection)
        self.assertEqual(executor.migration_plan(executor.loader.graph.leaf_nodes()), [])
        tables = set(connection.introspection.table_names())
        for app in OUR_APPS:
            self.assertTrue(any(t.startswith(f"{app}_") for t in tables), app)
