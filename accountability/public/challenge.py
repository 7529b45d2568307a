"""The challenge drawn by django-simple-captcha: letters and digits that cannot be mistaken
for one another (no 0/O, 1/I/L, 2/Z, 5/S, 8/B), from ``secrets``."""

from __future__ import annotations

import secrets

from django.conf import settings

ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"


def unambiguous_challenge() -> tuple[str, str]:
    """(text drawn, expected answer); the answer is compared without regard to case."""
    length = int(getattr(settings, "CAPTCHA_LENGTH", 5))
    text = "".join(secrets.choice(ALPHABET) for _ in range(length))
    return text, text.lower()
