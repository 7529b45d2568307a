"""The 查询码 a reporter gets: random, shown once, stored only as a keyed hash.

* 20 characters of Crockford's base32 alphabet (no I, L, O, U), drawn with ``secrets``:
  100 bits, shown in five groups of four (``7K3Q-…``). Typed back, it is read without regard
  to case, spaces or hyphens, and O is read as 0, I and L as 1, as Crockford's alphabet says.
* Stored as HMAC-SM3 under PUBLIC_CODE_KEY (hex, >= 32 digits): whoever reads the database
  cannot test guesses offline without the key, which lives in the environment. Without it,
  in development only, the key is derived from SECRET_KEY (a deployment check refuses that
  in production). PUBLIC_CODE_OLD_KEYS (comma-separated hex) still open codes issued under
  earlier keys.
* A lost code cannot be recovered: nothing stored leads back to it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 20
GROUP = 4
#: The first characters of a typed code, the key of the per-code throttle (throttle.py).
PREFIX_LENGTH = 4
BITS = LENGTH * 5
_LABEL = b"accountability-public-report-code:"
_TRANSLATE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def generate() -> str:
    """A new code, grouped for reading: ``XXXX-XXXX-XXXX-XXXX-XXXX``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return format_code(raw)


def format_code(raw: str) -> str:
    return "-".join(raw[i : i + GROUP] for i in range(0, len(raw), GROUP))


def normalise(typed: str) -> str:
    """The code as typed, without separators, upper-case, O→0 and I/L→1 ('' if malformed)."""
    text = "".join(ch for ch in str(typed or "") if ch not in " -\t\r\n").upper()
    text = text.translate(_TRANSLATE)
    if len(text) != LENGTH or any(ch not in ALPHABET for ch in text):
        return ""
    return text


def _parse(raw: str, name: str) -> bytes:
    try:
        key = bytes.fromhex(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be hexadecimal digits") from None
    if len(key) < 16:
        raise ImproperlyConfigured(f"{name} must have at least 32 hexadecimal digits")
    return key


def current_key() -> bytes:
    raw = str(getattr(settings, "PUBLIC_CODE_KEY", "") or "")
    if raw:
        return _parse(raw, "PUBLIC_CODE_KEY")
    return hashlib.new("sm3", b"public-code-key:" + settings.SECRET_KEY.encode()).digest()


def _keys() -> list[bytes]:
    keys = [current_key()]
    for index, raw in enumerate(getattr(settings, "PUBLIC_CODE_OLD_KEYS", ()) or ()):
        if raw.strip():
            keys.append(_parse(raw, f"PUBLIC_CODE_OLD_KEYS[{index}]"))
    return keys


def _mac(key: bytes, label: bytes, value: str) -> str:
    return hmac.new(key, label + value.encode(), "sm3").hexdigest()


def digest(code: str) -> str:
    """The stored form of a code (normalised first) under the current key."""
    return _mac(current_key(), _LABEL, normalise(code) or code)


def candidate_digests(code: str) -> list[str]:
    """The stored forms ``code`` may have: under the current key and each earlier one."""
    value = normalise(code)
    return [_mac(key, _LABEL, value) for key in _keys()] if value else []


def keyed(label: str, value: str) -> str:
    """A keyed hash of ``value`` for the throttle and the audit trail (an address, a code
    prefix): linkable to itself, not readable."""
    return _mac(current_key(), f"accountability-public-{label}:".encode(), value)
