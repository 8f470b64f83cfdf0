"""Sessions end server-side at sign-out; every answer carries the security headers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REPO, csrf_token, login
from motcua.accounts.models import User
from motcua.accounts.service import create_token, hash_password
from motcua.app import create_app

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)


def _session_cookie(client) -> str:  # noqa: ANN001
    cookie = client.get_cookie("motcua_session")
    assert cookie is not None
    return cookie.value


def _replay(app, cookie: str):  # noqa: ANN001, ANN202
    thief = app.test_client()
    thief.set_cookie("motcua_session", cookie)
    return thief


def test_a_cookie_copied_before_sign_out_stops_working_at_sign_out(app, client, users, ward_a):
    login(client, "canbo-a")
    page = f"/{ward_a.slug}/"
    assert client.get(page).status_code == 200
    stolen = _session_cookie(client)
    assert _replay(app, stolen).get(page).status_code == 200  # the copy works while signed in
    client.post("/logout", data={"csrf_token": csrf_token(client, page)})
    refused = _replay(app, stolen).get(page)
    assert refused.status_code == 302 and "/login" in refused.headers["Location"]
    login(client, "canbo-a")  # signing in again works, with a fresh session
    assert client.get(page).status_code == 200
    assert _replay(app, stolen).get(page).status_code == 302


def test_a_password_change_ends_the_old_sessions(app, client, users, ward_a):
    login(client, "canbo-a")
    stolen = _session_cookie(client)
    User.update(password_hash=hash_password("mat-khau-moi-hoan-toan")).where(User.login == "canbo-a").execute()
    assert _replay(app, stolen).get(f"/{ward_a.slug}/").status_code == 302


def _pages(app, ward_a) -> list[str]:  # noqa: ANN001
    paths = ["/login", "/healthz", "/khong-co-trang-nay", "/api/v1/me", "/api/v1/records"]
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and set(rule.arguments) <= {"tenant_slug"} and not rule.rule.startswith("/api/"):
            paths.append(rule.rule.replace("<tenant_slug>", ward_a.slug))
    return paths


def test_every_page_carries_the_security_headers(app, client, users, ward_a):
    login(client, "quantri-a")
    _, token = create_token(ward_a, users.admin_a)
    checked = 0
    for path in _pages(app, ward_a):
        response = client.get(path, headers={"Authorization": f"Bearer {token}"} if path.startswith("/api/") else {})
        headers = response.headers
        policy = headers.get("Content-Security-Policy", "")
        assert "script-src 'self' 'nonce-" in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0], path
        if response.mimetype == "application/pdf":  # our own pages frame PDFs (previews)
            assert "frame-ancestors 'self'" in policy and headers["X-Frame-Options"] == "SAMEORIGIN", path
        else:
            assert "frame-ancestors 'none'" in policy and headers["X-Frame-Options"] == "DENY", path
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert headers["Referrer-Policy"] == "same-origin", path
        assert headers["Cache-Control"] == "no-store", path
        checked += 1
    assert checked >= 20
    static = client.get("/static/motcua.css")
    assert static.status_code == 200 and static.headers.get("Cache-Control") != "no-store"
    assert static.headers["X-Content-Type-Options"] == "nosniff"


def test_each_request_gets_its_own_nonce(client):
    first = client.get("/login").headers["Content-Security-Policy"]
    second = client.get("/login").headers["Content-Security-Policy"]
    assert first != second


@pytest.mark.parametrize("https", [True, False])
def test_https_turns_on_secure_cookies_and_hsts(migrated_db, tmp_path, https):
    from conftest import make_tenant  # noqa: F401 - the app below shares the test database
    from motcua.accounts.service import create_user

    app = create_app({"database_url": migrated_db, "data_dir": tmp_path / "data", "secret_key": "s",
                      "testing": True, "https": https, "secure_cookies": https, "tenants_dir": REPO / "tenants"})
    client = app.test_client()
    if not User.select().where(User.login == "https-test").exists():
        create_user("https-test", "mat-khau-thu-nghiem", role="platform_admin")
    token = csrf_token(client)
    answer = client.post("/login", data={"login": "https-test", "password": "mat-khau-thu-nghiem", "csrf_token": token},
                         base_url="https://localhost" if https else "http://localhost",
                         headers={"Referer": "https://localhost/login"} if https else {})
    assert answer.status_code == 302, answer.get_data(as_text=True)[:300]
    cookie = answer.headers.get("Set-Cookie", "")
    assert ("; Secure" in cookie) == https
    assert ("Strict-Transport-Security" in answer.headers) == https
    User.delete().where(User.login == "https-test").execute()


def test_no_core_template_has_an_inline_script_and_plugin_ones_carry_the_nonce():
    for template in (REPO / "platform" / "motcua" / "web" / "templates").rglob("*.html"):
        for attributes in SCRIPT_TAG.findall(template.read_text()):
            assert "src=" in attributes, f"{template}: move the inline script to a file in web/static"
    for template in Path(REPO / "plugins").rglob("templates/**/*.html"):
        for attributes in SCRIPT_TAG.findall(template.read_text()):
            assert "src=" in attributes or "csp_nonce()" in attributes, f"{template}: add nonce=\"{{{{ csp_nonce() }}}}\""
