"""The cases app does not import the documents app: documents imports cases (models,
selectors, services), so the dependency goes one way. What documents adds to the case pages
(the decision's issue pages, the documents panel) it registers through cases.extensions."""

from __future__ import annotations

import ast
from pathlib import Path

import accountability.cases

ROOT = Path(accountability.cases.__file__).parent


def documents_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        found += [n for n in names if n.startswith("accountability.documents")]
    return found


def test_cases_does_not_import_documents():
    offenders = {
        str(path.relative_to(ROOT)): documents_imports(path)
        for path in ROOT.rglob("*.py")
        if "tests" not in path.relative_to(ROOT).parts and documents_imports(path)
    }
    assert offenders == {}


def test_documents_registers_its_case_pages():
    from accountability.cases import extensions

    assert "accountability.documents.urls_case" in extensions.url_modules()
