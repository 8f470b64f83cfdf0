"""Sign-in, throttling, CSRF, roles and API tokens — each refusal with the right status and a Vietnamese message."""

from __future__ import annotations

from conftest import PASSWORD, csrf_token, login
from motcua.accounts.models import ApiToken, User
from motcua.accounts.service import create_token, grant_role, revoke_role, verify_token
from motcua.audit import AuditLog


def test_login_success_redirects_to_the_ward(client, users, ward_a):
    response = login(client, "canbo-a")
    assert response.status_code == 302
    assert client.get(response.headers["Location"]).headers["Location"].endswith(f"/{ward_a.slug}/")
    home = client.get(f"/{ward_a.slug}/")
    assert home.status_code == 200
    assert "Phường Nếnh" in home.get_data(as_text=True)
    assert AuditLog.select().where(AuditLog.action == "auth.login", AuditLog.actor == "canbo-a").exists()


def test_wrong_password_is_refused_in_vietnamese(client, users):
    response = login(client, "canbo-a", "sai-mat-khau-roi")
    assert response.status_code == 401
    assert "Sai tên đăng nhập hoặc mật khẩu" in response.get_data(as_text=True)
    assert AuditLog.select().where(AuditLog.action == "auth.failure").count() == 1


def test_unknown_login_looks_like_a_wrong_password(client, users):
    response = login(client, "khong-co-ai", "sai-mat-khau-roi")
    assert response.status_code == 401
    assert "Sai tên đăng nhập hoặc mật khẩu" in response.get_data(as_text=True)


def test_repeated_failures_throttle_that_client_not_the_account(client, users, app):
    limit = app.extensions["motcua.settings"].login_max_failures
    for _ in range(limit):
        assert login(client, "canbo-a", "sai-mat-khau-roi").status_code == 401
    throttled = login(client, "canbo-a")  # this client waits, even with the right password
    assert throttled.status_code == 429
    assert "Quá nhiều yêu cầu đăng nhập sai" in throttled.get_data(as_text=True)
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "10.0.0.9"
    assert login(elsewhere, "canbo-a").status_code == 302  # the clerk at the counter is not locked out
    assert User.get(User.login == "canbo-a").locked_until is None


def test_login_is_rate_limited_per_address(client, users, app):
    app.extensions["motcua.limiter"].reset()
    statuses = [login(client, f"khong-co-ai-{n}", "x" * 12).status_code for n in range(25)]
    assert 429 in statuses
    assert statuses.index(429) >= 20
    page = login(client, "khong-co-ai", "x" * 12)
    assert page.status_code == 429
    assert "Quá nhiều yêu cầu" in page.get_data(as_text=True)


def test_post_without_csrf_is_refused(client, users):
    response = client.post("/login", data={"login": "canbo-a", "password": PASSWORD})
    assert response.status_code == 400
    assert "mã bảo vệ biểu mẫu (CSRF)" in response.get_data(as_text=True)
    assert not AuditLog.select().where(AuditLog.action == "auth.login").exists()


def test_logout_needs_csrf_and_ends_the_session(client, users, ward_a):
    login(client, "canbo-a")
    assert client.post("/logout").status_code == 400
    token = csrf_token(client, f"/{ward_a.slug}/")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get(f"/{ward_a.slug}/").status_code == 302


def test_open_redirect_after_login_is_refused(client, users):
    token = csrf_token(client)
    response = client.post("/login", data={"login": "canbo-a", "password": PASSWORD, "csrf_token": token,
                                           "next": "//evil.example/"})
    assert response.headers["Location"] == "/"


def test_staff_cannot_open_another_ward(client, users, ward_b):
    login(client, "canbo-a")
    response = client.get(f"/{ward_b.slug}/")
    assert response.status_code == 403
    assert "không có quyền truy cập" in response.get_data(as_text=True)


def test_province_overview_only_for_its_admins(client, users, ward_a, ward_b):
    login(client, "canbo-a")
    assert client.get(f"/tinh/{ward_a.province.slug}/").status_code == 403
    client.post("/logout", data={"csrf_token": csrf_token(client, f"/{ward_a.slug}/")})
    login(client, "tinh-a")
    page = client.get(f"/tinh/{ward_a.province.slug}/")
    assert page.status_code == 200 and "Phường Nếnh" in page.get_data(as_text=True)
    assert client.get(f"/tinh/{ward_b.province.slug}/").status_code == 403
    assert client.get(f"/{ward_a.slug}/").status_code == 200
    assert client.get(f"/{ward_b.slug}/").status_code == 403


def test_language_switch(client, users, ward_a):
    login(client, "canbo-a")
    token = csrf_token(client, f"/{ward_a.slug}/")
    client.post("/language", data={"lang": "en", "csrf_token": token, "next": f"/{ward_a.slug}/"})
    page = client.get(f"/{ward_a.slug}/").get_data(as_text=True)
    assert "Reception points" in page and 'lang="en"' in page


def test_api_token_is_hashed_scoped_and_bound_to_one_ward(client, users, ward_a):
    token, text = create_token(ward_a, users.staff_a, scopes=["records.view"])
    assert text not in token.secret_hash and len(token.secret_hash) == 64
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {text}"})
    assert response.status_code == 200
    assert response.get_json()["tenant"]["code"] == ward_a.code
    assert response.get_json()["permissions"] == ["records.view"]
    assert client.get("/api/v1/me").status_code == 401
    bad = client.get("/api/v1/me", headers={"Authorization": f"Bearer {text}x"})
    assert bad.status_code == 401
    assert "mã truy cập" in bad.get_json()["error"]["message"]["vi"]


def test_token_scopes_cannot_exceed_the_role(users, ward_a):
    import pytest

    from motcua.errors import Forbidden

    with pytest.raises(Forbidden):
        create_token(ward_a, users.staff_a, scopes=["users.manage"])
    assert ApiToken.select().count() == 0


def test_revoking_a_role_kills_its_tokens_and_is_audited(users, ward_a):
    _, text = create_token(ward_a, users.staff_a)
    assert verify_token(text) is not None
    revoke_role(users.staff_a, ward_a, actor=users.admin_a)
    assert verify_token(text) is None
    grant_role(users.staff_a, ward_a, "staff", actor=users.admin_a)
    assert verify_token(text) is None  # revoked tokens stay revoked
    actions = [row.action for row in AuditLog.select().order_by(AuditLog.id)]
    assert "role.revoke" in actions and actions.count("role.grant") >= 2
