"""A plugin that raises in an event hook never costs a reception (issue 3's "done when")."""

from __future__ import annotations

from conftest import csrf_token, login
from motcua.accounts.service import create_token
from motcua.plugin_api import hookimpl
from motcua.plugins.models import PluginFailure
from motcua.plugins.store import enable_plugin
from motcua.records.models import Record
from plugin_support import build_app
from records_support import CERTIFY, at_counter, publish_form, sample_values


class Raiser:
    plugin_name = "gay-loi"
    default_enabled = True

    @hookimpl
    def record_received(self, tenant, record):  # noqa: ANN001, ANN201
        raise RuntimeError("plugin exploded on reception")

    @hookimpl
    def record_status_changed(self, tenant, record, event):  # noqa: ANN001, ANN201
        raise RuntimeError("plugin exploded on transition")


def test_raising_plugin_never_costs_a_reception_through_the_api(
    migrated_db, tmp_path, ward_a, users
):
    app = build_app(migrated_db, tmp_path / "data", Raiser())
    with app.app_context():
        enable_plugin("gay-loi", ward_a, "test")
    publish_form(ward_a, CERTIFY)
    _, token = create_token(ward_a, users.staff_a)
    client = app.test_client()
    response = client.post(
        "/api/v1/records",
        json={
            "procedure": CERTIFY,
            "values": sample_values(CERTIFY),
            "applicant": {"name": "Nguyễn Thị Hoa"},
        },
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "plugin-raises-1"},
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    code = response.get_json()["code"]
    assert Record.select().where(Record.tenant == ward_a, Record.code == code).count() == 1
    failures = list(PluginFailure.select().where(PluginFailure.plugin == "gay-loi"))
    assert [f.hook for f in failures] == ["record_received"]
    assert "plugin exploded on reception" in failures[0].error


def test_raising_plugin_never_costs_a_reception_at_the_counter(
    migrated_db, tmp_path, ward_a, users
):
    app = build_app(migrated_db, tmp_path / "data", Raiser())
    with app.app_context():
        enable_plugin("gay-loi", ward_a, "test")
    publish_form(ward_a, CERTIFY)
    client = app.test_client()
    login(client, "canbo-a")
    page = f"/{ward_a.slug}/ho-so/tiep-nhan/{CERTIFY}"
    form = {
        f"v.{name}": str(value)
        for name, value in sample_values(CERTIFY).items()
        if not isinstance(value, (list, dict))
    }
    form.update(
        {
            "csrf_token": csrf_token(client, page),
            "a.name": "Trần Văn Bình",
            "channel": "direct",
            **at_counter(CERTIFY),
        }
    )
    response = client.post(page, data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert Record.select().where(Record.tenant == ward_a).count() == 1
    assert PluginFailure.select().where(PluginFailure.plugin == "gay-loi").count() == 1
