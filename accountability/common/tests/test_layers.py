"""The layering of docs/architecture.md ("Layers") is a contract: `lint-imports` keeps it.

The contracts are in pyproject.toml ([tool.importlinter]); an import from a lower layer into a
higher one, or between siblings kept independent, fails this test (and `make lint`).
"""

from pathlib import Path

from importlinter import cli

PYPROJECT = Path(__file__).resolve().parents[3] / "pyproject.toml"


def test_the_import_contracts_are_kept(capsys):
    status = cli.lint_imports(config_filename=str(PYPROJECT), no_cache=True, no_logo=True)
    report = capsys.readouterr().out
    assert status == cli.EXIT_STATUS_SUCCESS, report
