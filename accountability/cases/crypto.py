"""Encryption of confidential case fields (the informant's identity) with SM4-GCM.

GB/T 22239 level 3 asks for the confidentiality of personal data at rest, with SM algorithms
where 密码法 art 27 applies (restrictions.md). The key is 16 bytes, given in hex by the
setting ``CASES_FIELD_KEY`` (environment ``CASES_FIELD_KEY`` in production); without it the key
is derived from SECRET_KEY with SM3, which is enough for development and tests but ties the
ciphertexts to that secret.

Stored form: ``sm4gcm$<base64(nonce 12 bytes | ciphertext | tag 16 bytes)>``.
"""

from __future__ import annotations

import base64
import hashlib
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "sm4gcm$"
_NONCE = 12
_TAG = 16


class DecryptionError(ValueError):
    """The stored value cannot be decrypted with the configured key."""


def _key() -> bytes:
    configured = getattr(settings, "CASES_FIELD_KEY", "") or ""
    if configured:
        try:
            key = bytes.fromhex(configured)
        except ValueError:
            raise ImproperlyConfigured("CASES_FIELD_KEY must be 32 hexadecimal digits") from None
        if len(key) != 16:
            raise ImproperlyConfigured("CASES_FIELD_KEY must be 32 hexadecimal digits")
        return key
    return hashlib.new("sm3", b"cases-field-key:" + settings.SECRET_KEY.encode()).digest()[:16]


def encrypt_text(plain: str) -> str:
    """The stored form of ``plain`` ('' stays '', so "no informant" needs no key)."""
    if not plain:
        return ""
    nonce = os.urandom(_NONCE)
    encryptor = Cipher(algorithms.SM4(_key()), modes.GCM(nonce)).encryptor()
    body = encryptor.update(plain.encode()) + encryptor.finalize()
    return PREFIX + base64.b64encode(nonce + body + encryptor.tag).decode("ascii")


def decrypt_text(stored: str) -> str:
    if not stored:
        return ""
    if not stored.startswith(PREFIX):
        raise DecryptionError("not an encrypted value")
    raw = base64.b64decode(stored[len(PREFIX) :])
    nonce, body, tag = raw[:_NONCE], raw[_NONCE:-_TAG], raw[-_TAG:]
    decryptor = Cipher(algorithms.SM4(_key()), modes.GCM(nonce, tag)).decryptor()
    try:
        return (decryptor.update(body) + decryptor.finalize()).decode()
    except InvalidTag:
        raise DecryptionError("the key does not match or the value was altered") from None


def file_hashes(chunks: object) -> tuple[str, str, int]:
    """SHA-256 and SM3 hex digests and the size of an iterable of byte chunks."""
    sha256 = hashlib.sha256()
    sm3 = hashlib.new("sm3")
    size = 0
    for chunk in chunks:  # type: ignore[attr-defined]
        sha256.update(chunk)
        sm3.update(chunk)
        size += len(chunk)
    return sha256.hexdigest(), sm3.hexdigest(), size
