"""Citizen sign-in through the simulator's OpenID Connect provider: PKCE, state and nonce checked;
the citizen sees only their own records, across wards."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from conftest import ward_of
from motcua.portal_sim.process import running_sim
from motcua.records.applicant import Applicant
from motcua.records.service import receive
from records_support import MARITAL, publish_form, sample_values

MINE = "024196003333"
THEIRS = "024096007777"


@pytest.fixture
def provider(app, clock):  # noqa: ANN001, ANN201
    with running_sim("--now", clock.isoformat(), "--seed", "1") as sim:
        httpx.post(f"{sim.url}/_sim/citizens", json={"cccd": MINE, "name": "Đặng Thu Lan"})
        settings = app.extensions["motcua.settings"]
        app.extensions["motcua.settings"] = settings.with_overrides(
            oidc_issuer=sim.url, oidc_client_id="motcua", oidc_client_secret="motcua-sim-secret"
        )
        yield sim


def _records(ward_a, ward_b) -> dict[str, str]:  # noqa: ANN001
    codes = {}
    for label, tenant, number in (("a", ward_a, MINE), ("b", ward_b, MINE), ("other", ward_a, THEIRS)):
        publish_form(tenant) if label != "other" else None
        values = {**sample_values(), "cccd_nguoi_yeu_cau": number}
        codes[label] = receive(ward_of(tenant), MARITAL, values, actor="canbo",
                               applicant=Applicant(name="Đặng Thu Lan", id_number=number)).record.code
    return codes


def _authorize(client, login_hint: str = MINE):  # noqa: ANN001, ANN202
    start = client.get("/cong-dan/dang-nhap")
    assert start.status_code == 302
    location = start.headers["Location"]
    query = parse_qs(urlsplit(location).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["state"][0] and query["nonce"][0] and query["response_type"] == ["code"]
    back = httpx.get(location + f"&login_hint={login_hint}", follow_redirects=False)
    assert back.status_code == 302, back.text
    parts = urlsplit(back.headers["Location"])
    assert parts.path == "/cong-dan/callback"
    return f"{parts.path}?{parts.query}"


def test_citizen_signs_in_and_sees_only_their_own_records(app, client, ward_a, ward_b, provider):
    codes = _records(ward_a, ward_b)
    assert "Đăng nhập VNeID" in client.get("/cong-dan/").get_data(as_text=True)
    signed_in = client.get(_authorize(client))
    assert signed_in.status_code == 302 and signed_in.headers["Location"].endswith("/cong-dan/")
    page = client.get("/cong-dan/").get_data(as_text=True)
    assert codes["a"] in page and codes["b"] in page and codes["other"] not in page
    assert ward_a.name in page and ward_b.name in page
    with client.session_transaction() as session:
        assert session["citizen"] == {"id_number": MINE, "name": "Đặng Thu Lan"} and "user_id" not in session


def test_a_forged_state_is_refused(app, client, ward_a, ward_b, provider):
    callback = _authorize(client)
    forged = callback.replace("state=", "state=x")
    refused = client.get(forged)
    assert refused.status_code == 400 and "state" in refused.get_data(as_text=True)
    with client.session_transaction() as session:
        assert "citizen" not in session


def test_a_nonce_that_differs_is_refused(app, client, ward_a, ward_b, provider):
    callback = _authorize(client)
    with client.session_transaction() as session:
        flow = dict(session["oidc_flow"])
        flow["nonce"] = "another-nonce"
        session["oidc_flow"] = flow
    refused = client.get(callback)
    assert refused.status_code == 400 and "id_token" in refused.get_data(as_text=True)
    with client.session_transaction() as session:
        assert "citizen" not in session


def test_a_wrong_pkce_verifier_is_refused_by_the_provider(app, client, ward_a, ward_b, provider):
    callback = _authorize(client)
    with client.session_transaction() as session:
        flow = dict(session["oidc_flow"])
        flow["verifier"] = "x" * 64
        session["oidc_flow"] = flow
    refused = client.get(callback)
    assert refused.status_code == 400 and "token" in refused.get_data(as_text=True)


def test_without_a_provider_the_page_says_so(client, app):
    answer = client.get("/cong-dan/dang-nhap")
    assert answer.status_code == 503 and "MOTCUA_OIDC_ISSUER" in answer.get_data(as_text=True)
