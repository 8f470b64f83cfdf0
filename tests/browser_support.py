"""Shared fixtures for browser tests: a real motcua server in a thread, a headless Chromium.

Use in a test module::

    from browser_support import browser, live_server  # noqa: F401 - fixtures

    @pytest.mark.browser
    def test_x(live_server, browser, users, ward_a): ...

``live_server`` serves the test's ``app`` (same database) on 127.0.0.1 with a free port;
``browser`` is a Playwright Chromium (``/usr/bin/chromium``), one per test module.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from werkzeug.serving import make_server

from conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass(frozen=True)
class LiveServer:
    """A running server: its base URL."""

    url: str

    def sign_in(self, page, login_name: str, password: str = PASSWORD) -> None:  # noqa: ANN001
        """Sign ``page`` in as ``login_name`` through the login form."""
        page.goto(f"{self.url}/login")
        page.fill("input[name=login]", login_name)
        page.fill("input[name=password]", password)
        page.click("form button[type=submit], form button.primary")
        page.wait_for_load_state("networkidle")


@pytest.fixture
def live_server(app) -> Iterator[LiveServer]:  # noqa: ANN001
    """Serve ``app`` from a thread on 127.0.0.1 (threaded, so the page's fetches run in parallel)."""
    app.config["RATELIMIT_ENABLED"] = False
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """A headless Chromium driven by Playwright (sync API)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser) -> Iterator[object]:  # noqa: ANN001
    """A fresh browser context and page (own cookies and localStorage) for one test."""
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        yield page
    finally:
        context.close()
