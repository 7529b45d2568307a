"""Strict readers for settings taken from the environment.

A bad value raises ImproperlyConfigured at start-up instead of being guessed. Whether a
well-formed value is safe for production is a different question, answered by
``accountability preflight`` (accountability/operations/preflight.py).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_HEADER = re.compile(r"^([A-Za-z0-9-]+)\s*[:=]\s*(\S+)$")


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of {sorted(_TRUE | _FALSE)}, not {raw!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from exc
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_json_object(name: str, default: dict[str, str]) -> dict[str, str]:
    """A JSON object of strings, e.g. DOCUMENTS_ORGAN='{"name": "中共某县纪律检查委员会"}'."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return dict(default)
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a JSON object: {exc}") from exc
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ImproperlyConfigured(f"{name} must be a JSON object of strings")
    return value


def env_key_set(name: str) -> dict[str, str]:
    """Field keys as 'id:hex,id:hex' (FIELD_KEYS), in the order given, each 32 hex digits."""
    raw = os.environ.get(name, "")
    keys: dict[str, str] = {}
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        key_id, sep, hex_key = item.partition(":")
        key_id, hex_key = key_id.strip(), hex_key.strip()
        if not sep or not KEY_ID.match(key_id):
            raise ImproperlyConfigured(
                f"{name} must be a comma-separated list of id:hex, with ids of letters, digits, "
                f"'-' or '_' (at most 32), not {item.split(':')[0]!r}"
            )
        if not re.fullmatch(r"[0-9a-fA-F]{32}", hex_key):
            raise ImproperlyConfigured(f"{name}: the key {key_id!r} must be 32 hexadecimal digits")
        if key_id in keys:
            raise ImproperlyConfigured(f"{name} names the key {key_id!r} twice")
        keys[key_id] = hex_key.lower()
    return keys


def env_proxy_header(name: str) -> tuple[str, str] | None:
    """'X-Forwarded-Proto: https' -> ('HTTP_X_FORWARDED_PROTO', 'https'); '' -> None."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    match = _HEADER.match(raw)
    if not match:
        raise ImproperlyConfigured(f"{name} must look like 'X-Forwarded-Proto: https', not {raw!r}")
    header, value = match.groups()
    return "HTTP_" + header.upper().replace("-", "_"), value


def database_from_url(
    url: str,
    base_dir: Path,
    *,
    test_name: str = "",
    sqlite_timeout: int = 20,
    pool_max_size: int = 4,
    pool_timeout: int = 10,
) -> dict[str, object]:
    """Django DATABASES entry for sqlite:///path or postgres://user@host:port/name.

    SQLite is set up for concurrent writers: WAL (readers never wait for the writer), a busy
    timeout (a writer waits for the lock instead of failing with "database is locked"), and
    IMMEDIATE transactions (a transaction takes the write lock when it begins, so two writers
    never deadlock upgrading a read lock, which SQLite reports at once, without waiting).
    PostgreSQL connections come from a bounded psycopg pool per process (pool_max_size; 0
    turns the pool off, and each request then opens and closes its own connection).
    """
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = unquote(parsed.path)
        if path.startswith("/") and not url.startswith("sqlite:////"):
            path = path[1:]
        name = Path(path) if Path(path).is_absolute() else base_dir / path
        entry: dict[str, object] = {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(name),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": sqlite_timeout,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
        if test_name:
            test_path = Path(test_name)
            entry["TEST"] = {
                "NAME": str(test_path if test_path.is_absolute() else base_dir / test_path)
            }
        return entry
    if parsed.scheme in {"postgres", "postgresql"}:
        name = unquote(parsed.path.lstrip("/"))
        if not name:
            raise ImproperlyConfigured("DATABASE_URL names no database")
        options: dict[str, object] = {}
        if pool_max_size > 0:
            options["pool"] = {
                "min_size": 1,
                "max_size": pool_max_size,
                "timeout": pool_timeout,
            }
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            # The pool keeps connections; Django's own persistence must be off with it (and
            # without the pool, a connection per request is what bounds them).
            "CONN_MAX_AGE": 0,
            "OPTIONS": options,
            "TEST": {"NAME": test_name or f"test_{name}"},
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL must start with sqlite:/// or postgres://, not {parsed.scheme!r}"
    )
