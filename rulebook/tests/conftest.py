from __future__ import annotations

from pathlib import Path

import pytest

import rulebook
from rulebook.versions import shipped_version_dirs

DATA = Path(__file__).parent / "data"
HYPOTHETICAL = DATA / "versions" / "zx-2027-hypothetical"


@pytest.fixture(scope="session")
def book() -> rulebook.Rulebook:
    return rulebook.load()


@pytest.fixture(scope="session")
def revised_book() -> rulebook.Rulebook:
    """The shipped version plus a hypothetical revision in force from 2027-01-01."""
    return rulebook.load(version_dirs=[*shipped_version_dirs(), HYPOTHETICAL])
