"""The rulebook is plain Python: no Django, readable beside the regulation."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent


def test_no_module_imports_django() -> None:
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(n.split(".")[0] == "django" for n in names), path


def test_importing_and_assessing_loads_no_django() -> None:
    code = (
        "import sys, rulebook; rulebook.assess_dict({'role': '具体承办人', 'circumstance': 3,"
        " 'severity': '较轻', 'decided_on': '2026-01-05'});"
        "print(any(m.split('.')[0] == 'django' for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_every_rule_module_quotes_its_article() -> None:
    for path in (PACKAGE / "rules").glob("*.py"):
        if path.name == "__init__.py":
            continue
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        assert "第" in doc and "条" in doc, path
