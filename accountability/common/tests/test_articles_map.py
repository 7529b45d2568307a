"""docs/articles.md: every one of the 19 articles has an entry, and every path it names exists."""

from __future__ import annotations

import re
from pathlib import Path

from rulebook.regulation import article_ref, articles

ROOT = Path(__file__).resolve().parents[3]
MAP = ROOT / "docs" / "articles.md"
HEADING = re.compile(r"^## (第[一二三四五六七八九十]+条)\s*(.*)$", re.MULTILINE)
PATH = re.compile(r"`([\w./-]+\.(?:py|toml|md|txt))`")


def _entries() -> dict[str, str]:
    text = MAP.read_text(encoding="utf-8")
    found = list(HEADING.finditer(text))
    return {
        match.group(1): text[match.end() : found[i + 1].start() if i + 1 < len(found) else None]
        for i, match in enumerate(found)
    }


def test_every_article_has_an_entry_in_order():
    refs = [a.ref for a in articles()]
    assert len(refs) == 19
    assert list(_entries()) == refs == [article_ref(n) for n in range(1, 20)]


def test_each_entry_names_code_and_tests_or_why_it_is_not_modelled():
    for ref, body in _entries().items():
        modelled = "- Code:" in body and "- Tests:" in body
        assert modelled or "**Not modelled" in body, ref
        if "- Code:" in body:
            assert "- Tests:" in body, f"{ref}: code without tests"


def test_every_path_named_exists():
    text = MAP.read_text(encoding="utf-8")
    paths = set(PATH.findall(text))
    assert len(paths) > 40
    missing = sorted(p for p in paths if not (ROOT / p).is_file())
    assert not missing, missing


def test_each_named_test_file_is_a_test():
    for ref, body in _entries().items():
        for line in body.splitlines():
            if line.startswith("- Tests:"):
                for path in PATH.findall(line):
                    assert "/tests/" in path, (ref, path)
