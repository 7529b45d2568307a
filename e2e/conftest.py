"""Browser tests: Playwright's sync API on Debian's Chromium against Django's live server.

Run with ``.venv/bin/pytest e2e`` (marker ``browser``). Catches from TOOLCHAIN.md:
Chromium is /usr/bin/chromium (never ``playwright install``), it needs the launch arguments
below, Playwright's event loop needs DJANGO_ALLOW_ASYNC_UNSAFE, and pages must be opened with
locale zh-CN or LocaleMiddleware serves English. Screenshots go to /tmp/e2e-screenshots
(override with E2E_SCREENSHOTS), never into the repository.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS", "/tmp/e2e-screenshots"))  # noqa: S108
DESKTOP = {"width": 1280, "height": 900}
TABLET = {"width": 768, "height": 1024}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if shutil.which(CHROMIUM) or Path(CHROMIUM).exists():
        return
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def media_root(settings: Any) -> Iterator[Path]:
    """Files the journey stores (issued documents, attachments) go to a temporary folder,
    removed afterwards, never into var/media/ (the live server runs in this process)."""
    folder = Path(tempfile.mkdtemp(prefix="e2e-media-"))
    settings.MEDIA_ROOT = str(folder)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def context_args() -> dict[str, Any]:
    """Extra options of the browser context; a test module may override this fixture."""
    return {}


@pytest.fixture
def page(browser: Any, live_server: Any, context_args: dict[str, Any]) -> Iterator[Any]:
    """A zh-CN page at 1280px that refuses to leave the live server (no external requests)."""
    options = {"locale": "zh-CN", "viewport": DESKTOP, **context_args}
    context = browser.new_context(**options)
    context.set_default_timeout(10_000)
    outside: list[str] = []

    def guard(route: Any) -> None:
        url = route.request.url
        if url.startswith(live_server.url) or url.startswith("data:"):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    yield page
    context.close()
    assert not outside, f"external requests: {outside}"


@pytest.fixture
def screenshot() -> Callable[[Any, str], Path]:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page: Any, name: str, *, full_page: bool = True) -> Path:
        # Back to the top first: a page opened at an anchor would draw the sticky top bar
        # in the middle of a full-page screenshot. (Works with JavaScript off too.)
        page.mouse.wheel(0, -100_000)
        page.wait_for_timeout(100)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


def pass_second_factor(page: Any, username: str) -> None:
    """On the second-factor page, type the code the user's TOTP device accepts now, computed
    with pyotp from the device's key as an authenticator app would."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accountability.accounts.testing import totp_code

    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    page.fill("#id_code", totp_code(device))
    page.get_by_role("button", name="验证").click()
    page.wait_for_load_state()


@pytest.fixture
def login(page: Any, live_server: Any) -> Callable[[str, str], None]:
    """Log in through the login page as ``username`` (logging out whoever was in), and through
    the second-factor page where the user's role or device asks for it."""

    def do(username: str, password: str) -> None:
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.get_by_role("button", name="登录").click()
        page.wait_for_load_state()
        if "/accounts/login/second-factor/" in page.url:
            pass_second_factor(page, username)
        assert "/accounts/login/" not in page.url, f"login failed for {username}"

    return do
