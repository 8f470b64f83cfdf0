"""The ward context and the one event path: services take the ward, domain events reach
the ward's plugins only after commit, a raising plugin function is a clear 422, and the
pure modules import without Flask or peewee."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import REPO, csrf_token, login, ward_of
from motcua.accounts.service import create_token
from motcua.db import database
from motcua.errors import ValidationFailed
from motcua.events import DomainEvent, EventSink
from motcua.notebooks import notebook_from_dict
from motcua.notebooks.service import import_notebook, publish
from motcua.plugin_api import FormulaFunction, ValueType, hookimpl
from motcua.plugins.models import PluginFailure
from motcua.plugins.store import enable_plugin
from motcua.printing.jobs import print_record
from motcua.records.models import Record
from motcua.records.service import Applicant, receive, transition
from plugin_support import build_app
from records_support import MARITAL, publish_form, sample_values
from test_records_plugin_functions import KEY, NOTEBOOK

PURE = (
    "motcua.expressions",
    "motcua.notebooks.model",
    "motcua.notebooks.evaluate",
    "motcua.calendar",
    "motcua.records.lifecycle",
    "motcua.citizen_id",
    "motcua.printing.raster",
    "motcua.events",
    "motcua.ward",
)


@pytest.mark.parametrize("module", PURE)
def test_pure_modules_import_without_flask_or_peewee(module: str) -> None:
    script = (
        f"import json, sys; import {module}; "
        "print(json.dumps(sorted(m for m in ('flask', 'peewee', 'werkzeug', 'jinja2', "
        "'weasyprint', 'psycopg2') if m in sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert json.loads(done.stdout) == [], f"{module} pulls in {done.stdout}"


def test_no_service_package_imports_flask_or_the_web_layer() -> None:
    offenders = []
    for package in ("records", "printing", "notebooks", "tenancy"):
        for path in (REPO / "platform" / "motcua" / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if "from motcua.web" in text or "import flask" in text or "from flask" in text:
                offenders.append(str(path.relative_to(REPO)))
    assert offenders == []


def test_an_event_is_dispatched_after_commit_and_dropped_on_rollback(db) -> None:
    heard: list[str] = []
    sink = EventSink(lambda event: heard.append(event.hook), lambda: bool(database.in_transaction()))
    with pytest.raises(RuntimeError, match="outside a change"):
        sink.record("record_received")
    with sink.change():
        sink.record("record_received")
        assert heard == []  # not before the commit
    assert heard == ["record_received"]
    with pytest.raises(ZeroDivisionError), sink.change():
        sink.record("record_status_changed")
        1 // 0  # noqa: B018 - the change fails after recording its event
    assert heard == ["record_received"]
    with sink.change():
        with sink.change():  # a nested change is dispatched with the outer commit
            sink.record("record_printed")
        assert heard == ["record_received"]
    assert heard == ["record_received", "record_printed"]


def test_lazy_arguments_are_built_only_when_read() -> None:
    built = []
    event = DomainEvent("record_received", {"record": lambda: built.append(1) or "info"})
    assert built == []
    assert event.resolved() == {"record": "info"} and built == [1]


class Listener:
    plugin_name = "nghe-su-kien"

    def __init__(self) -> None:
        self.heard: list[tuple] = []

    @hookimpl
    def record_received(self, tenant, record):  # noqa: ANN001, ANN201
        in_transaction = database.in_transaction()
        self.heard.append(("received", tenant.code, record.code, record.applicant.phone, in_transaction))

    @hookimpl
    def record_status_changed(self, tenant, record, event):  # noqa: ANN001, ANN201
        self.heard.append(("changed", record.code, record.status, event.action))

    @hookimpl
    def record_printed(self, tenant, record, job):  # noqa: ANN001, ANN201
        self.heard.append(("printed", record.code, job.form))


def test_every_service_event_reaches_only_the_wards_enabled_plugins_after_commit(
    migrated_db, tmp_path, ward_a, ward_b
) -> None:
    listener = Listener()
    app = build_app(migrated_db, tmp_path / "data", listener)
    with app.app_context():
        enable_plugin("nghe-su-kien", ward_a, "test")
        for tenant in (ward_a, ward_b):
            publish_form(tenant, MARITAL)
        ward = ward_of(ward_a, app)
        assert (ward.code, ward.province_code) == (ward_a.code, ward_a.province_code)
        assert ward.plugins >= {"nghe-su-kien"}
        record = receive(
            ward,
            MARITAL,
            sample_values(),
            applicant=Applicant("Trần Văn Bình", phone="0912345678"),
            actor="canbo",
        ).record
        transition(ward, record.code, "assign", actor="canbo", role="staff", expected_lock_version=1)
        print_record(ward, record.code, "01", actor="canbo")
        with pytest.raises(ValidationFailed):
            receive(ward, MARITAL, {}, applicant=Applicant(""), actor="canbo")
        receive(ward_of(ward_b, app), MARITAL, sample_values(), applicant=Applicant("Lê Thị C"), actor="x")
    assert listener.heard == [
        ("received", ward_a.code, record.code, "0912345678", False),
        ("changed", record.code, "in_progress", "assign"),
        ("printed", record.code, "01"),
    ]


class BrokenFee:
    plugin_name = "phi-tinh"

    @hookimpl
    def register_formula_functions(self):  # noqa: ANN201
        table = {1: 12_000, 2: 24_000}
        return [
            FormulaFunction(
                "phi_chu_ky_tinh",
                lambda count: table[int(count or 0)],  # KeyError past two signatures
                [ValueType.NUMBER],
                ValueType.NUMBER,
            )
        ]


def test_a_plugin_function_that_raises_is_a_clear_422_and_a_note_for_the_admin(
    migrated_db, tmp_path, users, ward_a
) -> None:
    app = build_app(migrated_db, tmp_path / "data", BrokenFee())
    with app.app_context():
        enable_plugin("phi-tinh", ward_a, "test")
        import_notebook(ward_a, notebook_from_dict(NOTEBOOK), actor="test")
        publish(ward_a, KEY, toolkit=ward_of(ward_a, app).toolkit, actor="test")
    _, token = create_token(ward_a, users.staff_a)
    response = app.test_client().post(
        "/api/v1/records",
        json={"procedure": KEY, "values": {"ho_ten": "Phạm Thu Hà", "so_chu_ky": 5}},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 422, response.get_data(as_text=True)
    body = response.get_data(as_text=True)
    assert "phi-tinh" in body and "phi_chu_ky_tinh" in body
    client = app.test_client()
    login(client, "canbo-a")
    page = f"/{ward_a.slug}/ho-so/tiep-nhan/{KEY}"
    counter = client.post(
        page,
        data={"csrf_token": csrf_token(client, page), "v.ho_ten": "Lý Văn Tâm", "v.so_chu_ky": "7",
              "channel": "direct"},
    )
    assert counter.status_code == 422
    assert "phi-tinh" in counter.get_data(as_text=True)
    assert Record.select().count() == 0
    failures = list(PluginFailure.select().where(PluginFailure.tenant == ward_a))
    assert len(failures) >= 2 and {f.plugin for f in failures} == {"phi-tinh"}
    assert all("KeyError" in f.error and f.hook == "function phi_chu_ky_tinh" for f in failures)
    login(client, "quantri-a")
    plugins_page = client.get(f"/{ward_a.slug}/plugins/").get_data(as_text=True)
    assert "phi_chu_ky_tinh" in plugins_page and "KeyError" in plugins_page
