"""The records JSON API: idempotent create, errors 422/409/404, OpenAPI lists every operation."""

from __future__ import annotations

import pytest

from motcua.accounts.service import create_token
from motcua.records.models import Record
from records_support import MARITAL, publish_form, sample_values

APPLICANT = {"name": "Vũ Hoàng Nam", "id_number": "024096003333", "phone": "0977111222"}


@pytest.fixture
def api(app, client, users, ward_a):  # noqa: ANN001, ANN201
    publish_form(ward_a, MARITAL)
    _, token = create_token(ward_a, users.admin_a)
    headers = {"Authorization": f"Bearer {token}"}

    def call(method: str, path: str, **kw):  # noqa: ANN003, ANN202
        return client.open(
            f"/api/v1{path}", method=method, headers={**headers, **kw.pop("headers", {})}, **kw
        )

    return call


def create(api, **extra):  # noqa: ANN001, ANN003, ANN201
    body = {
        "procedure": MARITAL,
        "values": sample_values(),
        "applicant": APPLICANT,
        "channel": "direct",
        **extra,
    }
    return api("POST", "/records", json=body, headers=extra.pop("headers", {}))


def test_create_get_list_and_transition(api, ward_a):
    assert [p["key"] for p in api("GET", "/procedures").json["procedures"]] == [MARITAL]
    created = create(api)
    assert created.status_code == 201, created.json
    code = created.json["code"]
    assert code.startswith(ward_a.code) and created.json["events"][0]["action"] == "receive"
    assert api("GET", f"/records/{code}").json["status"] == "received"
    listed = api("GET", "/records?q=vu hoang").json
    assert [r["code"] for r in listed["records"]] == [code] and listed["next_cursor"] is None
    moved = api(
        "POST", f"/records/{code}/transitions", json={"action": "assign", "lock_version": 1}
    )
    assert (
        moved.status_code == 200
        and moved.json["status"] == "in_progress"
        and moved.json["lock_version"] == 2
    )


def test_idempotency_key_never_creates_two(api):
    first = api(
        "POST",
        "/records",
        json={"procedure": MARITAL, "values": sample_values(), "applicant": APPLICANT},
        headers={"Idempotency-Key": "k-123"},
    )
    again = api(
        "POST",
        "/records",
        json={"procedure": MARITAL, "values": sample_values(), "applicant": APPLICANT},
        headers={"Idempotency-Key": "k-123"},
    )
    assert first.status_code == 201 and again.status_code == 200
    assert again.json["code"] == first.json["code"] and Record.select().count() == 1


def test_errors_422_409_404(api, ward_b):
    bad = create(
        api,
        values={**sample_values(), "ngay_sinh": "hôm qua", "ho_ten_nguoi_yeu_cau": ""},
        applicant={"name": ""},
    )
    assert bad.status_code == 422
    # The applicant's name is the notebook's marked field: its error is reported there.
    assert {"ngay_sinh", "ho_ten_nguoi_yeu_cau"} <= set(bad.json["error"]["fields"])
    assert "vi" in bad.json["error"]["fields"]["ngay_sinh"]
    assert create(api, procedure="khong-co").status_code == 404
    code = create(api).json["code"]
    assert (
        api(
            "POST", f"/records/{code}/transitions", json={"action": "assign", "lock_version": 1}
        ).status_code
        == 200
    )
    stale = api(
        "POST",
        f"/records/{code}/transitions",
        json={"action": "withdraw", "lock_version": 1, "inputs": {"reason": "x"}},
    )
    assert stale.status_code == 409
    assert api("GET", f"/records/{ward_b.code}-260302-0001").status_code == 404
    missing = api(
        "POST", f"/records/{code}/transitions", json={"action": "reject", "lock_version": 2}
    )
    assert missing.status_code == 422 and "reason" in missing.json["error"]["fields"]


def test_openapi_lists_every_operation(app, client):
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.")
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1"):
            continue
        path = rule.rule.replace("<", "{").replace(">", "}")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert method.lower() in document["paths"][path], (method, path)
    create_op = document["paths"]["/api/v1/records"]["post"]
    assert "requestBody" in create_op and {"201", "422"} <= set(create_op["responses"])
    assert any(p["name"] == "Idempotency-Key" for p in create_op["parameters"])


def test_api_needs_a_token(client):
    assert client.get("/api/v1/records").status_code == 401
