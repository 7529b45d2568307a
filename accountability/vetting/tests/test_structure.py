"""The vetting app sits above cases and documents: nothing below imports it."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase

from accountability.vetting.permissions import VETTING_ROLES
from config.navigation import NAV

APPS = Path(settings.BASE_DIR) / "accountability"
IMPORT = re.compile(r"^\s*(?:from|import)\s+accountability\.vetting\b", re.MULTILINE)


class StructureTests(SimpleTestCase):
    def test_no_other_app_imports_vetting(self):
        found = [
            str(path.relative_to(APPS))
            for path in APPS.rglob("*.py")
            if "vetting" not in path.relative_to(APPS).parts[:1]
            and IMPORT.search(path.read_text(encoding="utf-8"))
        ]
        self.assertEqual(found, [])

    def test_the_app_comes_after_cases_and_documents(self):
        apps = list(settings.INSTALLED_APPS)
        at = apps.index("accountability.vetting")
        self.assertGreater(at, apps.index("accountability.cases"))
        self.assertGreater(at, apps.index("accountability.documents"))

    def test_the_navigation_entry_names_the_vetting_roles(self):
        entry = next(e for e in NAV if e.key == "vetting")
        self.assertEqual(entry.roles, frozenset(str(r) for r in VETTING_ROLES))
