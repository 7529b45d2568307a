"""Every audit test writes and reads anchors in a folder of its own."""

import pytest


@pytest.fixture(autouse=True)
def anchor_dir(tmp_path, settings):
    settings.AUDIT_ANCHOR_DIR = str(tmp_path / "anchors")
    return tmp_path / "anchors"
