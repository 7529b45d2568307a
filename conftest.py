"""Fixtures shared by every app's tests."""

import os

import pytest

# Each test process works its own job queue on the shared Redis (pytest-xdist runs several).
os.environ.setdefault("JOBS_QUEUE", f"test-{os.getpid()}")


@pytest.fixture
def personas(db):
    """The named organisations, users (one per role) and people of accountability.common.testing."""
    from accountability.common.testing import make_personas

    return make_personas()
