"""Fixtures shared by every app's tests."""

import os

import pytest

# Each test process works its own job queue on the shared Redis (pytest-xdist runs several),
# never the queue of a worker serving the application. An xdist worker inherits the
# controller's environment, where this file ran first, so a worker names its own queue; and
# pytest-django has read the settings before this file runs, so the setting is set too.
if os.environ.get("PYTEST_XDIST_WORKER") or "JOBS_QUEUE" not in os.environ:
    os.environ["JOBS_QUEUE"] = f"test-{os.getpid()}"


def pytest_configure(config):
    """Each process's own job queue (above); and tests hash passwords with MD5, which is fast,
    while production keeps Django's default hasher (tests that measure the hasher's work, like
    the login timing test, bring their own)."""
    from django.conf import settings

    settings.JOBS_QUEUE = os.environ["JOBS_QUEUE"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def personas(db):
    """The named organisations, users (one per role) and people of accountability.demo.testing."""
    from accountability.demo.testing import make_personas

    return make_personas()
