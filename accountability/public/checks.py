"""Deployment check (run by ``accountability preflight`` through Django's checks): the key
of the 查询码 hashes must come from the environment in production."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register

MIN_KEY_DIGITS = 32
MSG_KEY_MISSING = (
    "PUBLIC_CODE_KEY 未设置：举报查询码的带密钥哈希（HMAC-SM3）需要它（至少 32 位十六进制数字）。"
)
MSG_KEY_WEAK = "PUBLIC_CODE_KEY 应为至少 32 位十六进制数字。"


@register(deploy=True)
def check_code_key(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    raw = str(getattr(settings, "PUBLIC_CODE_KEY", "") or "").strip()
    if not raw:
        return [Error(MSG_KEY_MISSING, id="public.E001")]
    try:
        ok = len(bytes.fromhex(raw)) * 2 >= MIN_KEY_DIGITS
    except ValueError:
        ok = False
    return [] if ok else [Error(MSG_KEY_WEAK, id="public.E002")]
