"""Where the statistics read from: every read in selectors.py, on the REPORTS_DATABASE alias,
so that pointing the setting at a replica moves all of them and nothing else."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.test import SimpleTestCase, TestCase, override_settings
from django.utils.connection import ConnectionDoesNotExist

from accountability.demo.testing import PersonasMixin
from accountability.reports import selectors

APP = Path(selectors.__file__).resolve().parent
# services.py writes (the summary tables), testing.py writes test data, indexes.py is the
# benchmark's; the others neither read nor write.
MODULES = sorted(
    p for p in APP.glob("*.py") if p.name not in ("services.py", "testing.py", "indexes.py")
)


class ReadsTests(SimpleTestCase):
    def test_only_the_selectors_read_the_database(self):
        """No other module of the app uses a manager, a cursor or a connection."""
        for path in MODULES:
            if path.name == "selectors.py":
                continue
            text = path.read_text(encoding="utf-8")
            with self.subTest(module=path.name):
                self.assertNotRegex(text, r"\.objects\b|\bconnections?\b|\.cursor\(")

    def test_every_query_of_the_selectors_names_the_statistics_alias(self):
        """Each manager use is followed by .using(statistics_db()) or (alias), and each raw
        query takes connections[alias] with alias = statistics_db()."""
        text = (APP / "selectors.py").read_text(encoding="utf-8")
        uses = [m.end() for m in re.finditer(r"\.objects\.", text)]
        self.assertGreater(len(uses), 5)
        for end in uses:
            self.assertTrue(
                text[end:].startswith(("using(statistics_db())", "using(alias)")),
                text[end - 40 : end + 40],
            )
        tree = ast.parse(text)
        for node in ast.walk(tree):
            if isinstance(node, ast.Subscript) and getattr(node.value, "id", "") == "connections":
                self.assertEqual(ast.unparse(node.slice), "alias")
            if isinstance(node, ast.Assign) and any(
                getattr(t, "id", "") == "alias" for t in node.targets
            ):
                self.assertEqual(ast.unparse(node.value), "statistics_db()")


class AliasTests(PersonasMixin, TestCase):
    def test_the_setting_moves_the_reads(self):
        """With an alias that does not exist the first read fails: the reads do use it."""
        with (
            override_settings(REPORTS_DATABASE="replica-that-is-not-configured"),
            self.assertRaises(ConnectionDoesNotExist),
        ):
            selectors.viewer_for_user(user=self.case_officer)
        self.assertEqual(selectors.statistics_db(), "default")
