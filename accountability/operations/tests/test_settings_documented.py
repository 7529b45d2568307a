"""Every setting read from the environment is documented, once, in the README's table."""

from __future__ import annotations

import re
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[3]
READ = re.compile(r'(?:env_[a-z_]+|database_from_url)\(\s*(?:env_str\(\s*)?"([A-Z][A-Z_0-9]+)"')
ROW = re.compile(r"^\| `([A-Z][A-Z_0-9]+)` \|", re.MULTILINE)


def settings_read() -> set[str]:
    return set(READ.findall((ROOT / "config" / "settings.py").read_text(encoding="utf-8")))


def settings_documented() -> list[str]:
    return ROW.findall((ROOT / "README.md").read_text(encoding="utf-8"))


class SettingsDocumentedTests(SimpleTestCase):
    def test_every_setting_read_has_a_row(self) -> None:
        missing = sorted(settings_read() - set(settings_documented()))
        self.assertEqual(missing, [], "settings read in config/settings.py but not in the README")

    def test_every_row_names_a_setting_that_is_read(self) -> None:
        read = settings_read() | {"ACCOUNTABILITY_HOLIDAYS"}
        stale = sorted(set(settings_documented()) - read)
        self.assertEqual(stale, [], "README rows for settings nobody reads")

    def test_each_setting_has_one_row(self) -> None:
        rows = settings_documented()
        self.assertEqual(sorted({n for n in rows if rows.count(n) > 1}), [])

    def test_the_pattern_finds_the_settings(self) -> None:
        # The check above would pass vacuously if the pattern stopped matching.
        found = settings_read()
        self.assertGreater(len(found), 50)
        self.assertLessEqual({"DATABASE_URL", "REPORTS_DATABASE_URL", "FIELD_KEYS"}, found)
