"""The audit trail's HMAC-SM3 keys: the chain's MACs and the keyed hashes of case content.

The key lives outside the database (GB/T 22239 level 3: the log must resist whoever can write
to the database). ``AUDIT_HMAC_KEY`` holds it in hex (at least 32 digits, 64 recommended);
without it, which the settings allow only while debugging, a key is derived from SECRET_KEY
the way ``accountability/cases/crypto.py`` derives its own.

Each key is known by its id, the first 16 hex digits of an HMAC of a fixed label under the
key: an entry names the key that sealed it, so the key can be changed (the next entry under
the new key links to the head written under the old one) while verification still knows the
earlier keys (``AUDIT_HMAC_OLD_KEYS``, comma-separated hex). An id reveals nothing of its key.

Two subkeys are derived from each key, so that a MAC of the chain and a keyed hash of a
value can never be taken for one another.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DIGEST = "sm3"
_ID_LABEL = b"accountability-audit-key-id"
_CHAIN_LABEL = b"accountability-audit-chain"
_CONTENT_LABEL = b"accountability-audit-content"


@dataclass(frozen=True)
class AuditKey:
    key_id: str
    chain: hmac.HMAC
    content: hmac.HMAC

    def chain_mac(self, message: bytes) -> str:
        mac = self.chain.copy()
        mac.update(message)
        return mac.hexdigest()

    def content_mac(self, message: bytes) -> str:
        mac = self.content.copy()
        mac.update(message)
        return mac.hexdigest()


def _parse(raw: str, name: str) -> bytes:
    try:
        key = bytes.fromhex(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be hexadecimal digits") from None
    if len(key) < 16:
        raise ImproperlyConfigured(f"{name} must have at least 32 hexadecimal digits")
    return key


@lru_cache(maxsize=16)
def _make(key: bytes) -> AuditKey:
    return AuditKey(
        key_id=hmac.new(key, _ID_LABEL, DIGEST).hexdigest()[:16],
        chain=hmac.new(hmac.new(key, _CHAIN_LABEL, DIGEST).digest(), digestmod=DIGEST),
        content=hmac.new(hmac.new(key, _CONTENT_LABEL, DIGEST).digest(), digestmod=DIGEST),
    )


def _derived_development_key() -> bytes:
    return hashlib.new("sm3", b"audit-hmac-key:" + settings.SECRET_KEY.encode()).digest()


def keys_configured() -> bool:
    """True when the key comes from the environment (production), not from SECRET_KEY."""
    return bool(getattr(settings, "AUDIT_HMAC_KEY", ""))


def current_key() -> AuditKey:
    """The key new entries are sealed with (read from the settings at each call)."""
    raw = getattr(settings, "AUDIT_HMAC_KEY", "") or ""
    if not raw and getattr(settings, "AUDIT_HMAC_KEY_REQUIRED", False):
        raise ImproperlyConfigured("AUDIT_HMAC_KEY must be set when DJANGO_DEBUG is false")
    return _make(_parse(raw, "AUDIT_HMAC_KEY") if raw else _derived_development_key())


def known_keys() -> dict[str, AuditKey]:
    """The current key and the earlier ones, by key id (for verification)."""
    keys = [current_key()]
    for index, raw in enumerate(getattr(settings, "AUDIT_HMAC_OLD_KEYS", ()) or ()):
        if raw.strip():
            keys.append(_make(_parse(raw, f"AUDIT_HMAC_OLD_KEYS[{index}]")))
    return {key.key_id: key for key in keys}


def key_for(key_id: str) -> AuditKey | None:
    current = current_key()
    if key_id == current.key_id:
        return current
    return known_keys().get(key_id)
