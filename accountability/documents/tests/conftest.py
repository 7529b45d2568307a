"""Fixtures of the documents tests: a private media folder for every test."""

from __future__ import annotations

import pytest
from django.test import TestCase


@pytest.fixture(autouse=True)
def media_root(request, settings, tmp_path):
    """Issued files go to a folder of the test's own (TestCase classes have their own, see
    base.DocumentsTestCase, so that files made in setUpTestData stay reachable)."""
    if request.instance is not None and isinstance(request.instance, TestCase):
        yield None
        return
    settings.MEDIA_ROOT = str(tmp_path / "media")
    yield tmp_path / "media"
