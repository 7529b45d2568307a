"""SM4-GCM for confidential fields, with named keys; SHA-256 and SM3 for files.

GB/T 22239 level 3 asks for the confidentiality of personal data at rest, with SM algorithms
where 密码法 art 27 applies (restrictions.md). Keys are 16 bytes, configured as a set by id:

    FIELD_KEYS="2026a:<32 hex>,2025b:<32 hex>"   FIELD_KEY_ID=2026a   (the key new values use)

``CASES_FIELD_KEY`` (one key, 32 hex digits) still works: its id is ``k0``. Without any key the
key is derived from SECRET_KEY with SM3 (id ``dev``), which is enough for development and tests;
preflight refuses it in production. ``accountability rotate-key`` re-encrypts stored values
with the current key, so an old key can be removed once nothing uses it.

Stored form: ``sm4gcm$<key id>$<base64(nonce 12 bytes | ciphertext | tag 16 bytes)>``. Values
written before keys had ids (``sm4gcm$<base64>``) are read with ``k0``, else the derived key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from accountability.common.errors import DomainError

PREFIX = "sm4gcm$"
SINGLE_KEY_ID = "k0"
DERIVED_KEY_ID = "dev"
_NONCE = 12
_TAG = 16
_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")

MSG_KEY_UNKNOWN = _(
    "无法解密：该信息使用密钥“{key_id}”加密，而本系统未配置该密钥（设置 FIELD_KEYS；"
    "k0 即 CASES_FIELD_KEY）。"
    "请系统管理员补充该密钥后再查看。"
)
MSG_KEY_MISMATCH = _(
    "无法解密：密钥“{key_id}”与存储的密文不符，或密文已被改动。请系统管理员核对设置 FIELD_KEYS。"
)
MSG_NOT_ENCRYPTED = _("无法解密：存储的值不是本系统的加密格式，可能已被改动。")
MSG_KEY_CONFIG = _("无法解密：字段密钥配置有误（{detail}）。请系统管理员更正后再查看。")

CONFIG_KEY_HEX = "{setting}: the key {key_id!r} must be 32 hexadecimal digits"
CONFIG_CURRENT_UNKNOWN = "FIELD_KEY_ID names the key {key_id!r}, which FIELD_KEYS does not list"
CONFIG_CURRENT_MISSING = "FIELD_KEY_ID must name the current key when FIELD_KEYS lists several"
CONFIG_K0_CONFLICT = "FIELD_KEYS gives the id 'k0' a key other than CASES_FIELD_KEY"


class DecryptionError(DomainError):
    """A stored value that cannot be decrypted: unknown key, wrong key, or an altered value."""

    # A configuration fault of the server, shown as a page, never as a crash.
    status = 503

    def __init__(self, message: str, *, code: str, key_id: str = "") -> None:
        super().__init__(message, code=code)
        self.key_id = key_id


@dataclass(frozen=True)
class KeyRing:
    keys: dict[str, bytes]
    current: str
    # The key for values stored without an id (before keys were named).
    legacy: str

    def key(self, key_id: str) -> bytes | None:
        return self.keys.get(key_id)


def _hex_key(setting: str, key_id: str, value: str) -> bytes:
    try:
        key = bytes.fromhex(value)
    except ValueError:
        key = b""
    if len(key) != 16:
        raise ImproperlyConfigured(CONFIG_KEY_HEX.format(setting=setting, key_id=key_id))
    return key


def key_ring() -> KeyRing:
    """The configured keys (ImproperlyConfigured when they contradict each other)."""
    keys: dict[str, bytes] = {}
    single = settings.CASES_FIELD_KEY or ""
    if single:
        keys[SINGLE_KEY_ID] = _hex_key("CASES_FIELD_KEY", SINGLE_KEY_ID, single)
    listed = dict(settings.FIELD_KEYS or {})
    for key_id, value in listed.items():
        key = _hex_key("FIELD_KEYS", key_id, value)
        if key_id == SINGLE_KEY_ID and single and key != keys[SINGLE_KEY_ID]:
            raise ImproperlyConfigured(CONFIG_K0_CONFLICT)
        keys[key_id] = key
    current = settings.FIELD_KEY_ID or ""
    if current:
        if current not in keys:
            raise ImproperlyConfigured(CONFIG_CURRENT_UNKNOWN.format(key_id=current))
    elif len(listed) == 1:
        current = next(iter(listed))
    elif listed:
        raise ImproperlyConfigured(CONFIG_CURRENT_MISSING)
    elif single:
        current = SINGLE_KEY_ID
    if not keys:
        derived = hashlib.new("sm3", b"cases-field-key:" + settings.SECRET_KEY.encode()).digest()
        keys[DERIVED_KEY_ID] = derived[:16]
        current = DERIVED_KEY_ID
    legacy = DERIVED_KEY_ID if DERIVED_KEY_ID in keys else SINGLE_KEY_ID
    return KeyRing(keys=keys, current=current, legacy=legacy)


def uses_derived_key() -> bool:
    return key_ring().current == DERIVED_KEY_ID


def encrypt_text(plain: str) -> str:
    """The stored form of ``plain`` under the current key ('' stays '': no key needed)."""
    if not plain:
        return ""
    ring = key_ring()
    nonce = os.urandom(_NONCE)
    encryptor = Cipher(algorithms.SM4(ring.keys[ring.current]), modes.GCM(nonce)).encryptor()
    body = encryptor.update(plain.encode()) + encryptor.finalize()
    encoded = base64.b64encode(nonce + body + encryptor.tag).decode("ascii")
    return f"{PREFIX}{ring.current}${encoded}"


def stored_key_id(stored: str) -> str | None:
    """The id of the key a stored value was written with ('' for the old form, None if not
    an encrypted value at all)."""
    if not stored.startswith(PREFIX):
        return None
    rest = stored[len(PREFIX) :]
    key_id, sep, _body = rest.partition("$")
    return key_id if sep else ""


def decrypt_text(stored: str, *, ring: KeyRing | None = None) -> str:
    """The plain text of a stored value; DecryptionError (a Chinese message) when it cannot be."""
    if not stored:
        return ""
    key_id = stored_key_id(stored)
    if key_id is None or (key_id and not _KEY_ID.match(key_id)):
        raise DecryptionError(MSG_NOT_ENCRYPTED, code="not_encrypted")
    if ring is None:
        try:
            ring = key_ring()
        except ImproperlyConfigured as error:
            raise DecryptionError(MSG_KEY_CONFIG.format(detail=error), code="key_config") from None
    used = key_id or ring.legacy
    key = ring.key(used)
    if key is None:
        raise DecryptionError(MSG_KEY_UNKNOWN.format(key_id=used), code="key_unknown", key_id=used)
    encoded = stored[len(PREFIX) + (len(key_id) + 1 if key_id else 0) :]
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise DecryptionError(MSG_NOT_ENCRYPTED, code="not_encrypted") from None
    if len(raw) < _NONCE + _TAG:
        raise DecryptionError(MSG_NOT_ENCRYPTED, code="not_encrypted")
    nonce, body, tag = raw[:_NONCE], raw[_NONCE:-_TAG], raw[-_TAG:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    try:
        return (decryptor.update(body) + decryptor.finalize()).decode()
    except (InvalidTag, UnicodeDecodeError):
        raise DecryptionError(
            MSG_KEY_MISMATCH.format(key_id=used), code="key_mismatch", key_id=used
        ) from None


def needs_rotation(stored: str, ring: KeyRing) -> bool:
    """Whether a stored value is written with another key than the current one."""
    return bool(stored) and stored_key_id(stored) != ring.current


def file_hashes(chunks: Iterable[bytes]) -> tuple[str, str, int]:
    """SHA-256 and SM3 hex digests and the size of an iterable of byte chunks."""
    sha256 = hashlib.sha256()
    sm3 = hashlib.new("sm3")
    size = 0
    for chunk in chunks:
        sha256.update(chunk)
        sm3.update(chunk)
        size += len(chunk)
    return sha256.hexdigest(), sm3.hexdigest(), size
