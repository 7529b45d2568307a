"""Fixtures shared by every app's tests."""

import os

import pytest

# Each test process works its own job queue on the shared Redis (pytest-xdist runs several).
os.environ.setdefault("JOBS_QUEUE", f"test-{os.getpid()}")


def pytest_configure(config):
    """Tests hash passwords with MD5, which is fast; production keeps Django's default hasher.
    (Tests that measure the hasher's work, like the login timing test, bring their own.)"""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def personas(db):
    """The named organisations, users (one per role) and people of accountability.common.testing."""
    from accountability.common.testing import make_personas

    return make_personas()
