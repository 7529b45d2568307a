"""Preflight refuses an unsafe production configuration, naming the setting; with a safe one
`manage.py check --deploy` is clean and `accountability serve` prepares and starts the server."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.test import SimpleTestCase, override_settings

from accountability.operations import preflight
from accountability.operations.launcher import ProcessSpec, supervise

ROOT = Path(settings.BASE_DIR)


def production_env(folder: Path, **extra: str) -> dict[str, str]:
    """A safe production environment on an embedded SQLite file (allowed by its setting)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "FIELD_", "CASES_", "AUDIT_", "WEB_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "accountability.internal",
            "FIELD_KEYS": f"2026a:{secrets.token_hex(16)}",
            "FIELD_KEY_ID": "2026a",
            "AUDIT_HMAC_KEY": secrets.token_hex(32),
            "PUBLIC_CODE_KEY": secrets.token_hex(32),
            "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
            "ALLOW_SQLITE_IN_PRODUCTION": "true",
            "STATIC_ROOT": str(folder / "static"),
            "MEDIA_ROOT": str(folder / "media"),
            "BACKUP_DIR": str(folder / "backups"),
            "SOFFICE_BINARY": "",
        }
    )
    env.update(extra)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "config.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


SQLITE = {"ENGINE": "django.db.backends.sqlite3", "NAME": "var/db.sqlite3"}
SAFE = {
    "DEBUG": False,
    "SECRET_KEY": "x" * 20 + secrets.token_urlsafe(40),
    "FIELD_KEYS": {"2026a": "8f3a1c5e9b2d4f6a0c7e1b3d5f7a9c2e"},
    "FIELD_KEY_ID": "2026a",
    "CASES_FIELD_KEY": "",
    "AUDIT_HMAC_KEY": "0123456789abcdef" * 4,
    "PUBLIC_CODE_KEY": "fedcba9876543210" * 4,
    "ALLOWED_HOSTS": ["accountability.internal"],
    "ALLOW_SQLITE_IN_PRODUCTION": True,
    "SECURE_SSL_REDIRECT": True,
    "SECURE_HSTS_SECONDS": 31_536_000,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "SESSION_COOKIE_AGE": 1800,
    "SOFFICE_BINARY": "",
    "DOCUMENTS_ORGAN": {},
}


class PreflightCheckTests(SimpleTestCase):
    def problems(self, **changes) -> dict[str, str]:
        # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process (Django's check
        # async.E001 rightly refuses it in production).
        environ = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
        with (
            override_settings(**{**SAFE, **changes}),
            mock.patch.dict(os.environ, environ, clear=True),
        ):
            return {p.setting: p.message for p in preflight.preflight_errors()}

    def test_a_safe_configuration_passes(self):
        self.assertEqual(self.problems(), {})

    def test_each_unsafe_setting_is_named(self):
        cases = [
            ({"DEBUG": True}, "DJANGO_DEBUG", preflight.DEBUG_ON),
            ({"SECRET_KEY": settings.DEV_SECRET_KEY}, "DJANGO_SECRET_KEY", None),
            ({"SECRET_KEY": "short-secret"}, "DJANGO_SECRET_KEY", None),
            ({"SECRET_KEY": "ab" * 40}, "DJANGO_SECRET_KEY", None),
            ({"SECRET_KEY": ""}, "DJANGO_SECRET_KEY", preflight.SECRET_MISSING),
            ({"FIELD_KEYS": {}, "FIELD_KEY_ID": ""}, "FIELD_KEYS", preflight.FIELD_KEY_MISSING),
            ({"FIELD_KEY_ID": "2025b"}, "FIELD_KEYS", None),
            ({"FIELD_KEYS": {"2026a": "00" * 16}}, "FIELD_KEYS", None),
            ({"AUDIT_HMAC_KEY": ""}, "AUDIT_HMAC_KEY", preflight.AUDIT_KEY_MISSING),
            ({"AUDIT_HMAC_KEY": "short"}, "AUDIT_HMAC_KEY", None),
            ({"ALLOWED_HOSTS": ["*"]}, "DJANGO_ALLOWED_HOSTS", preflight.HOSTS_WILDCARD),
            ({"ALLOWED_HOSTS": []}, "DJANGO_ALLOWED_HOSTS", preflight.HOSTS_EMPTY),
            (
                {"ALLOW_SQLITE_IN_PRODUCTION": False, "DATABASES": {"default": SQLITE}},
                "DATABASE_URL",
                preflight.SQLITE_IN_PRODUCTION,
            ),
            ({"SECURE_SSL_REDIRECT": False}, "DJANGO_SECURE_SSL_REDIRECT", None),
            ({"SECURE_HSTS_SECONDS": 0}, "DJANGO_SECURE_HSTS_SECONDS", None),
            ({"SESSION_COOKIE_AGE": 7200}, "SESSION_IDLE_SECONDS", None),
            ({"DOCUMENTS_ORGAN": {"nmae": "某县"}}, "DOCUMENTS_ORGAN", None),
            ({"SOFFICE_BINARY": "/nonexistent/soffice"}, "SOFFICE_BINARY", None),
            ({"SESSION_COOKIE_SECURE": False}, "security.W012", None),
            ({"REDIS_URL": "redis://127.0.0.1:1/0"}, "REDIS_URL", None),
        ]
        for changes, setting, message in cases:
            with self.subTest(changes=changes):
                problems = self.problems(**changes)
                self.assertIn(setting, problems)
                self.assertIn(setting, problems[setting])
                if message is not None:
                    self.assertEqual(problems[setting], message)

    def test_the_pool_must_cover_the_threads_of_a_worker(self):
        database = {**settings.DATABASES["default"], "ENGINE": "django.db.backends.postgresql"}
        with override_settings(DATABASES={"default": database}):
            problems = self.problems(WEB_THREADS=8, DATABASE_POOL_MAX_SIZE=4)
        self.assertEqual(
            problems["DATABASE_POOL_MAX_SIZE"], preflight.POOL_TOO_SMALL.format(threads=8, pool=4)
        )


class ProductionStartTests(SimpleTestCase):
    """Through the console script in a clean process with production settings."""

    def setUp(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="preflight-"))
        self.addCleanup(shutil.rmtree, self.folder, True)

    def test_check_deploy_is_clean_with_production_settings(self):
        result = run(["check", "--deploy", "--fail-level", "WARNING"], production_env(self.folder))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("System check identified no issues", result.stdout)

    def test_preflight_refuses_an_unsafe_setting_and_names_it(self):
        env = production_env(self.folder, DJANGO_ALLOWED_HOSTS="*", AUDIT_HMAC_KEY="")
        result = run(["preflight"], env)
        self.assertEqual(result.returncode, 1)
        self.assertIn(preflight.HOSTS_WILDCARD, result.stderr)
        self.assertIn(preflight.AUDIT_KEY_MISSING, result.stderr)
        self.assertEqual(run(["preflight"], production_env(self.folder)).returncode, 0)

    def test_the_wsgi_application_refuses_an_unsafe_configuration(self):
        env = production_env(self.folder, ALLOW_SQLITE_IN_PRODUCTION="false")
        result = subprocess.run(
            [sys.executable, "-c", "import config.wsgi"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        self.assertNotEqual(result.returncode, 0)
        self.assertIn(preflight.SQLITE_IN_PRODUCTION, result.stderr)

    def test_serve_checks_migrations_and_collects_the_static_files(self):
        env = production_env(self.folder)
        result = run(["serve", "--check"], env)
        self.assertEqual(result.returncode, 1)
        self.assertIn("个迁移未执行", result.stderr)
        result = run(["serve", "--check", "--migrate"], env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("gunicorn -c", result.stdout)
        self.assertIn("worker: ", result.stdout)
        static = self.folder / "static"
        self.assertTrue((static / "staticfiles.json").exists())
        self.assertTrue(list((static / "css").glob("app.*.css.gz")))

    def test_serve_runs_gunicorn_and_stops_it_on_a_signal(self):
        port = str(_free_port())
        env = production_env(self.folder, WEB_BIND=f"127.0.0.1:{port}", WEB_WORKERS="1")
        self.assertEqual(run(["migrate", "-v", "0"], env).returncode, 0)
        process = subprocess.Popen(
            [sys.executable, "-m", "config.cli", "serve"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    request = urllib.request.Request(
                        f"http://127.0.0.1:{port}/accounts/login/",
                        headers={"Host": "accountability.internal"},
                    )
                    urllib.request.build_opener(_NoRedirect).open(request, timeout=2)
                except urllib.error.HTTPError as error:
                    # Plain HTTP is sent to HTTPS: the production settings are in force.
                    self.assertEqual(error.code, 301)
                    self.assertEqual(
                        error.headers["Location"], "https://accountability.internal/accounts/login/"
                    )
                    break
                except OSError:  # not listening yet, or too slow to answer (URLError too)
                    self.assertLess(time.monotonic(), deadline, "the server did not start")
                    time.sleep(0.3)
        finally:
            process.send_signal(signal.SIGTERM)
            out, _err = process.communicate(timeout=60)
        self.assertIn("已启动 web", out)
        self.assertIn("已启动 worker", out)
        self.assertIn("收到信号 SIGTERM", out)


class SupervisorTests(SimpleTestCase):
    def test_when_one_process_ends_the_others_are_stopped(self):
        specs = [
            ProcessSpec("web", (sys.executable, "-c", "import time; time.sleep(60)")),
            ProcessSpec("worker", (sys.executable, "-c", "import sys; sys.exit(3)")),
        ]
        lines: list[str] = []
        started = time.monotonic()
        self.assertEqual(supervise(specs, log=lines.append), 3)
        self.assertLess(time.monotonic() - started, 30)
        self.assertIn("worker 已退出（状态 3），停止其余进程。", lines)


def _free_port() -> int:
    from accountability.operations.testing import free_port

    return free_port()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class MalformedSettingTests(SimpleTestCase):
    def test_a_malformed_setting_stops_the_console_script_with_its_name(self):
        folder = Path(tempfile.mkdtemp(prefix="preflight-"))
        self.addCleanup(shutil.rmtree, folder, True)
        for name, value in (
            ("FIELD_KEYS", "2026a:abc"),
            ("DATABASE_POOL_MAX_SIZE", "many"),
            ("DJANGO_SECURE_PROXY_SSL_HEADER", "https"),
            ("DOCUMENTS_ORGAN", "[1, 2]"),
        ):
            with self.subTest(name=name):
                result = run(["check"], production_env(folder, **{name: value}))
                self.assertEqual(result.returncode, 2)
                self.assertIn(f"配置错误：{name}", result.stderr)
                self.assertNotIn("Traceback", result.stderr)
