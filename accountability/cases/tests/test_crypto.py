"""SM4-GCM for the informant's identity, SHA-256 and SM3 for files (the names of
accountability.cases.crypto; key ids are tested in accountability/common/tests/test_crypto.py)."""

from __future__ import annotations

import base64
import hashlib

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from accountability.cases.crypto import (
    PREFIX,
    DecryptionError,
    decrypt_text,
    encrypt_text,
    file_hashes,
)

KEY = "0123456789abcdeffedcba9876543210"


def test_a_value_round_trips_and_never_repeats():
    first, second = encrypt_text("举报人张三"), encrypt_text("举报人张三")
    assert first.startswith(PREFIX) and first != second
    assert decrypt_text(first) == decrypt_text(second) == "举报人张三"


def test_empty_stays_empty():
    assert encrypt_text("") == "" and decrypt_text("") == ""


def test_an_altered_value_is_detected():
    stored = encrypt_text("13800000000")
    head, body = stored.rsplit("$", 1)
    raw = bytearray(base64.b64decode(body))
    raw[14] ^= 1
    with pytest.raises(DecryptionError):
        decrypt_text(head + "$" + base64.b64encode(bytes(raw)).decode())
    with pytest.raises(DecryptionError):
        decrypt_text("plain text")


def test_the_configured_key_is_used_and_another_key_cannot_read():
    with override_settings(CASES_FIELD_KEY=KEY):
        stored = encrypt_text("李四")
        assert decrypt_text(stored) == "李四"
    with pytest.raises(DecryptionError):
        decrypt_text(stored)


@pytest.mark.parametrize("key", ["abc", "zz" * 16, "00" * 8])
def test_a_malformed_key_is_a_configuration_error(key):
    with override_settings(CASES_FIELD_KEY=key), pytest.raises(ImproperlyConfigured):
        encrypt_text("x")


def test_file_hashes_are_sha256_and_sm3():
    chunks = [b"abc", "中文".encode()]
    data = b"".join(chunks)
    assert file_hashes(chunks) == (
        hashlib.sha256(data).hexdigest(),
        hashlib.new("sm3", data).hexdigest(),
        len(data),
    )
