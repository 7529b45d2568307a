"""Fixtures shared by every app's tests."""

import pytest


@pytest.fixture
def personas(db):
    """The named organisations, users (one per role) and people of accountability.common.testing."""
    from accountability.common.testing import make_personas

    return make_personas()
