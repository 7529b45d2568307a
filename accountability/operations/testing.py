"""Helpers for tests and benchmarks that talk to a real server in another process.

    server = LiveServer(database_url, env={...})   # gunicorn on 127.0.0.1:<free port>
    with server:
        key = login_session(user)                  # a session row, as force_login makes one
        server.post("/cases/new/", {...}, session=key)

The server runs the production launcher's gunicorn configuration (config/gunicorn.conf.py).
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from django.conf import settings

CSRF_SECRET_LENGTH = 32


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def login_session(user: Any) -> str:
    """A logged-in session for ``user`` stored in the database (what force_login does), so a
    client of another process can use it without the login form."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accountability.accounts.testing import second_factor_session

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.update(second_factor_session(user))
    session.create()
    assert session.session_key is not None
    return session.session_key


def database_url(settings_dict: dict[str, Any]) -> str:
    """The DATABASE_URL of a PostgreSQL DATABASES entry (for the test database in use)."""
    user = urllib.parse.quote(settings_dict["USER"] or "")
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{urllib.parse.quote(password)}" if password else user
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or "5432"
    return f"postgres://{auth}@{host}:{port}/{urllib.parse.quote(settings_dict['NAME'])}"


class LiveServer:
    """gunicorn in a subprocess on a free loopback port, stopped on exit."""

    def __init__(self, database_url: str, *, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.csrf = secrets.token_hex(CSRF_SECRET_LENGTH // 2)
        self.env = {
            **os.environ,
            "DJANGO_DEBUG": "true",
            "DJANGO_SECRET_KEY": settings.SECRET_KEY,
            "DATABASE_URL": database_url,
            "WEB_BIND": f"127.0.0.1:{self.port}",
            "WEB_WORKERS": "2",
            "WEB_THREADS": "5",
            "DATABASE_POOL_MAX_SIZE": "5",
            "LOG_LEVEL": "WARNING",
            **(env or {}),
        }
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> LiveServer:
        config = Path(settings.BASE_DIR) / "config" / "gunicorn.conf.py"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(config), "config.wsgi:application"],
            cwd=settings.BASE_DIR,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    self.process.stderr.read().decode() if self.process.stderr else ""
                )
            try:
                with urllib.request.urlopen(f"{self.url}/accounts/login/", timeout=2):  # noqa: S310
                    return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("the server did not answer within 60 s")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def headers(self, session: str) -> dict[str, str]:
        return {
            "Cookie": f"sessionid={session}; csrftoken={self.csrf}",
            "Referer": f"{self.url}/",
            "Accept-Language": "zh-hans",
        }

    def post(self, path: str, data: dict[str, Any], *, session: str) -> tuple[int, str, str]:
        """(status, Location, body) of a form POST, without following a redirect."""
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.csrf}, doseq=True)
        request = urllib.request.Request(  # noqa: S310
            f"{self.url}{path}",
            data=body.encode(),
            headers={**self.headers(session), "Content-Type": "application/x-www-form-urlencoded"},
            method="POST",
        )
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=60) as response:
                return (
                    response.status,
                    response.headers.get("Location", ""),
                    response.read().decode(),
                )
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location", ""), error.read().decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None
