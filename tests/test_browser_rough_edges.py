"""In Chromium: the procedure-key pattern compiles (Chromium reads `pattern` with the `v`
flag, where a bare `-` in a class is a syntax error and the check is silently off), and no
page asks for a resource that answers 404 (the favicon did, on every page)."""

from __future__ import annotations

import pytest

from browser_support import browser, live_server, page  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


def test_the_key_pattern_checks_and_no_page_gets_a_404(live_server, page, users, ward_a):  # noqa: F811
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    warnings: list[str] = []
    page.on("console", lambda m: warnings.append(m.text) if "pattern" in m.text.lower() else None)
    live_server.sign_in(page, "quantri-a")
    page.goto(f"{live_server.url}/{ward_a.slug}/quy-trinh/")
    box = page.locator("#new-key")
    box.fill("Chung Thuc")
    assert box.evaluate("el => el.validity.patternMismatch") is True
    box.fill("chung-thuc-ban-sao")
    assert box.evaluate("el => el.validity.patternMismatch") is False
    page.goto(f"{live_server.url}/{ward_a.slug}/tra-cuu?ma=KHONG-CO")
    page.wait_for_load_state("networkidle")
    assert warnings == []
    assert [url for url in missing if "tra-cuu" not in url] == []
