"""The documents app's modules import one way: services may read through selectors, never
the other way round (what both need lives in the module that owns it)."""

from __future__ import annotations

import ast
from importlib import resources

import pytest

#: module -> documents modules it must not import, at the top or inside a function.
FORBIDDEN = {
    "selectors": {"services", "views"},
    "roles": {"services", "selectors", "views"},
    "sandbox": {"services", "selectors", "views", "models", "render"},
    "package": {"services", "selectors", "views", "models", "render", "sandbox"},
    "render": {"services", "selectors", "views", "models"},
}


def imported_modules(name: str) -> set[str]:
    source = (resources.files("accountability.documents") / f"{name}.py").read_text("utf-8")
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


@pytest.mark.parametrize("module", sorted(FORBIDDEN))
def test_no_module_imports_the_layers_above_it(module):
    imported = imported_modules(module)
    for other in FORBIDDEN[module]:
        assert f"accountability.documents.{other}" not in imported, f"{module} imports {other}"
