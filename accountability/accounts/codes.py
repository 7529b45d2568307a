"""One-time codes a person types: activation codes (two halves) and recovery codes.

Both use Crockford's base32 alphabet (no I, L, O, U), so that a code read aloud or copied
from paper is hard to get wrong; input is normalised (case, spaces, hyphens, O→0, I/L→1).

- An activation half is 8 characters (40 bits), stored with Django's password hasher (salted,
  slow): a stolen database does not give the halves back.
- A recovery code is 12 characters (60 bits), stored in django-otp's static token field as the
  first 16 hex digits of SM3(user id, code): the field holds 16 characters, the user id salts
  the hash so that one search does not serve every user, and 60 bits make a search for one
  code of one user impractical. A code works once (django-otp deletes the token).
"""

from __future__ import annotations

import hashlib
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_TRANSLATE = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None})

ACTIVATION_HALF_LENGTH = 8
RECOVERY_CODE_LENGTH = 12
RECOVERY_CODE_COUNT = 10


def random_code(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def group(code: str, size: int = 4) -> str:
    """ABCDEFGH → ABCD-EFGH, for display."""
    return "-".join(code[i : i + size] for i in range(0, len(code), size))


def normalise(raw: str) -> str:
    return (raw or "").strip().upper().translate(_TRANSLATE)


def new_activation_half() -> str:
    return group(random_code(ACTIVATION_HALF_LENGTH))


def new_recovery_codes(count: int = RECOVERY_CODE_COUNT) -> list[str]:
    return [group(random_code(RECOVERY_CODE_LENGTH)) for _ in range(count)]


def recovery_digest(*, user_id: int, code: str) -> str:
    """What the static token stores for a recovery code (16 hex digits of SM3)."""
    data = f"{user_id}:{normalise(code)}".encode()
    return hashlib.new("sm3", data).hexdigest()[:16]


def looks_like_recovery_code(raw: str) -> bool:
    value = normalise(raw)
    return len(value) == RECOVERY_CODE_LENGTH and all(c in ALPHABET for c in value)
