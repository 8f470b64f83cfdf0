"""A procedure whose formula calls a plugin's function works at reception in the wards
that enable the plugin, through the API and the counter."""

from __future__ import annotations

from conftest import csrf_token, login, ward_of
from motcua.accounts.service import create_token
from motcua.notebooks import notebook_from_dict
from motcua.notebooks.service import import_notebook, publish
from motcua.plugin_api import FormulaFunction, ValueType, hookimpl
from motcua.plugins.store import enable_plugin
from motcua.records.models import Record
from plugin_support import build_app

KEY = "chung-thuc-chu-ky-tinh"


class FeePlugin:
    plugin_name = "phi-tinh"

    @hookimpl
    def register_formula_functions(self):  # noqa: ANN201
        return [
            FormulaFunction(
                "phi_chu_ky_tinh",
                lambda count: 12_000 * (count or 0),
                [ValueType.NUMBER],
                ValueType.NUMBER,
            )
        ]


def _cell(cell_id: str, kind: str, source: str = "", **meta: object) -> dict:
    return {
        "id": cell_id,
        "cell_type": "raw",
        "source": source,
        "metadata": {"motcua": {"kind": kind, **meta}},
    }


NOTEBOOK = {
    "nbformat": 4,
    "nbformat_minor": 5,
    "metadata": {
        "motcua": {
            "schema": 1,
            "key": KEY,
            "name": {"vi": "Chứng thực chữ ký (phí tỉnh)", "en": "Signature certification"},
            "limit": "same-day",
            "samples": [
                {
                    "name": "Hai chữ ký",
                    "values": {"ho_ten": "Phạm Thu Hà", "so_chu_ky": 2},
                    "expect": {"valid": True, "values": {"le_phi": 24000}},
                }
            ],
        }
    },
    "cells": [
        _cell(
            "ho-ten",
            "field",
            name="ho_ten",
            type="text",
            label={"vi": "Họ và tên", "en": "Full name"},
            required=True,
            applicant="name",
        ),
        _cell(
            "so-chu-ky",
            "field",
            name="so_chu_ky",
            type="integer",
            label={"vi": "Số chữ ký", "en": "Signatures"},
            required=True,
        ),
        _cell(
            "le-phi",
            "formula",
            "phi_chu_ky_tinh(so_chu_ky)",
            name="le_phi",
            label={"vi": "Lệ phí", "en": "Fee"},
        ),
    ],
}


def test_plugin_function_is_available_at_reception(migrated_db, tmp_path, users, ward_a):
    app = build_app(migrated_db, tmp_path / "data", FeePlugin())
    with app.app_context():
        enable_plugin("phi-tinh", ward_a, "test")
        import_notebook(ward_a, notebook_from_dict(NOTEBOOK), actor="test")
        publish(ward_a, KEY, toolkit=ward_of(ward_a, app).toolkit, actor="test")
    _, token = create_token(ward_a, users.staff_a)
    response = app.test_client().post(
        "/api/v1/records",
        json={"procedure": KEY, "values": {"ho_ten": "Phạm Thu Hà", "so_chu_ky": 3}},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    assert Record.get(Record.code == response.get_json()["code"]).data["le_phi"] == 36_000

    client = app.test_client()
    login(client, "canbo-a")
    page = f"/{ward_a.slug}/ho-so/tiep-nhan/{KEY}"
    saved = client.post(
        page,
        data={
            "csrf_token": csrf_token(client, page),
            "v.ho_ten": "Lý Văn Tâm",
            "v.so_chu_ky": "1",
            "channel": "direct",
        },
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)[:3000]
    counter_record = Record.select().where(Record.applicant_name == "Lý Văn Tâm").get()
    assert counter_record.data["le_phi"] == 12_000


def test_create_answer_equals_a_later_get(app, users, ward_a):
    """The record a POST answers with is the one a GET returns (dates as stored, not as Python)."""
    from records_support import CERTIFY, publish_form, sample_values

    publish_form(ward_a, CERTIFY)
    _, token = create_token(ward_a, users.staff_a)
    headers = {"Authorization": f"Bearer {token}"}
    client = app.test_client()
    created = client.post(
        "/api/v1/records",
        json={"procedure": CERTIFY, "values": sample_values(CERTIFY)},
        headers=headers,
    )
    assert created.status_code == 201, created.get_data(as_text=True)
    fetched = client.get(f"/api/v1/records/{created.get_json()['code']}", headers=headers)
    assert created.get_json()["data"] == fetched.get_json()["data"]
    assert created.get_json()["documents"] == fetched.get_json()["documents"]
