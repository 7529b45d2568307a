"""Field keys by id: values name the key they were written with, old values stay readable,
and a missing or wrong key is a Chinese message, not a crash."""

from __future__ import annotations

import base64
import os

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from accountability.common import crypto
from accountability.common.crypto import DecryptionError, decrypt_text, encrypt_text

K2026 = "00112233445566778899aabbccddeeff"
K2025 = "ffeeddccbbaa99887766554433221100"
SINGLE = "0123456789abcdeffedcba9876543210"
TWO_KEYS = {"2026a": K2026, "2025b": K2025}


def old_format(plain: str, hex_key: str) -> str:
    """A value as the code before key ids wrote it: sm4gcm$<base64(nonce|body|tag)>."""
    nonce = os.urandom(12)
    encryptor = Cipher(algorithms.SM4(bytes.fromhex(hex_key)), modes.GCM(nonce)).encryptor()
    body = encryptor.update(plain.encode()) + encryptor.finalize()
    return "sm4gcm$" + base64.b64encode(nonce + body + encryptor.tag).decode()


def test_a_value_names_the_current_key():
    with override_settings(FIELD_KEYS=TWO_KEYS, FIELD_KEY_ID="2026a", CASES_FIELD_KEY=""):
        stored = encrypt_text("举报人张三")
        assert stored.startswith("sm4gcm$2026a$")
        assert decrypt_text(stored) == "举报人张三"
    with override_settings(FIELD_KEYS=TWO_KEYS, FIELD_KEY_ID="2025b", CASES_FIELD_KEY=""):
        assert decrypt_text(stored) == "举报人张三"
        assert encrypt_text("x").startswith("sm4gcm$2025b$")


def test_one_listed_key_is_the_current_one_without_field_key_id():
    with override_settings(FIELD_KEYS={"2026a": K2026}, FIELD_KEY_ID="", CASES_FIELD_KEY=""):
        assert encrypt_text("x").startswith("sm4gcm$2026a$")


def test_the_single_key_setting_still_works_and_reads_values_written_before_key_ids():
    legacy = old_format("李四", SINGLE)
    with override_settings(FIELD_KEYS={}, FIELD_KEY_ID="", CASES_FIELD_KEY=SINGLE):
        assert decrypt_text(legacy) == "李四"
        assert encrypt_text("x").startswith("sm4gcm$k0$")
    # Moved to a key set, the old single key is still there as k0 for the old values.
    with override_settings(FIELD_KEYS=TWO_KEYS, FIELD_KEY_ID="2026a", CASES_FIELD_KEY=SINGLE):
        assert decrypt_text(legacy) == "李四"


def test_without_any_key_a_development_key_is_derived():
    with override_settings(FIELD_KEYS={}, FIELD_KEY_ID="", CASES_FIELD_KEY=""):
        assert encrypt_text("x").startswith("sm4gcm$dev$")
        assert crypto.uses_derived_key()


def test_an_unknown_key_is_a_clear_message():
    with override_settings(FIELD_KEYS=TWO_KEYS, FIELD_KEY_ID="2025b", CASES_FIELD_KEY=""):
        stored = encrypt_text("王五")
    with (
        override_settings(FIELD_KEYS={"2026a": K2026}, FIELD_KEY_ID="", CASES_FIELD_KEY=""),
        pytest.raises(DecryptionError) as caught,
    ):
        decrypt_text(stored)
    assert caught.value.message == crypto.MSG_KEY_UNKNOWN.format(key_id="2025b")
    assert caught.value.code == "key_unknown"


def test_a_wrong_key_under_a_known_id_is_a_clear_message():
    with override_settings(FIELD_KEYS={"2026a": K2026}, FIELD_KEY_ID="", CASES_FIELD_KEY=""):
        stored = encrypt_text("王五")
    with (
        override_settings(FIELD_KEYS={"2026a": K2025}, FIELD_KEY_ID="", CASES_FIELD_KEY=""),
        pytest.raises(DecryptionError) as caught,
    ):
        decrypt_text(stored)
    assert caught.value.message == crypto.MSG_KEY_MISMATCH.format(key_id="2026a")


def test_an_altered_value_is_detected():
    with override_settings(FIELD_KEYS={"2026a": K2026}, FIELD_KEY_ID="", CASES_FIELD_KEY=""):
        stored = encrypt_text("13800000000")
        head, body = stored.rsplit("$", 1)
        raw = bytearray(base64.b64decode(body))
        raw[14] ^= 1
        with pytest.raises(DecryptionError) as caught:
            decrypt_text(head + "$" + base64.b64encode(bytes(raw)).decode())
        assert caught.value.code == "key_mismatch"
        for garbage in ("plain text", "sm4gcm$2026a$!!!", "sm4gcm$2026a$AAAA"):
            with pytest.raises(DecryptionError) as caught:
                decrypt_text(garbage)
            assert caught.value.message == crypto.MSG_NOT_ENCRYPTED


@pytest.mark.parametrize(
    ("keys", "current", "single"),
    [
        (TWO_KEYS, "", ""),  # several keys, none named current
        (TWO_KEYS, "2027c", ""),  # the current key is not listed
        ({"k0": K2026}, "", SINGLE),  # k0 twice, two different keys
        ({"2026a": "abc"}, "", ""),  # not 32 hex digits
    ],
)
def test_contradicting_key_settings_are_configuration_errors(keys, current, single):
    with (
        override_settings(FIELD_KEYS=keys, FIELD_KEY_ID=current, CASES_FIELD_KEY=single),
        pytest.raises(ImproperlyConfigured),
    ):
        encrypt_text("x")


def test_a_configuration_error_while_reading_is_a_message_too():
    with override_settings(FIELD_KEYS=TWO_KEYS, FIELD_KEY_ID="", CASES_FIELD_KEY=""):
        with pytest.raises(DecryptionError) as caught:
            decrypt_text("sm4gcm$2026a$AAAA")
        assert caught.value.code == "key_config"
        assert "FIELD_KEY_ID" in caught.value.message
