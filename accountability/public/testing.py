"""Helpers for tests of the public pages: answering the challenge as a person reading the
picture would (the answer is read from the challenge's own store, by the key in the page)."""

from __future__ import annotations

import re

from captcha.models import CaptchaStore

_KEY = re.compile(
    r'name="challenge_0"[^>]*value="([0-9a-f]+)"|value="([0-9a-f]+)"[^>]*name="challenge_0"'
)


def challenge_key(html: str) -> str:
    match = _KEY.search(html)
    if match is None:
        raise AssertionError("no challenge on the page")
    return match.group(1) or match.group(2)


def challenge_answer(key: str) -> str:
    return CaptchaStore.objects.get(hashkey=key).response


def solved(html: str) -> dict[str, str]:
    """The form fields that answer the challenge of ``html``."""
    key = challenge_key(html)
    return {"challenge_0": key, "challenge_1": challenge_answer(key)}
