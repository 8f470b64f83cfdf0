"""The online inbox: dossiers pulled (or pushed by a signed webhook) once each, accepted or refused."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from conftest import csrf_token, login, ward_of
from connectors_support import connect_ward, worker
from motcua.calendar import compute_due
from motcua.cli import main
from motcua.connectors import inbox
from motcua.connectors.models import InboxItem, OutboxMessage
from motcua.errors import Conflict, UserError
from motcua.plugins import plugin_host
from motcua.portal_sim.process import running_sim
from motcua.records.models import Attachment, Record
from motcua.records.procedures import procedure, ward_cutoff
from motcua.web.connectors import signature_of
from records_support import MARITAL, publish_form

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_pulled_twice_accepted_once_with_its_due_date_and_the_slip_back_to_the_portal(app, ward_a, clock):
    publish_form(ward_a)
    with running_sim("--per-ward", "2", "--seed", "4") as sim:
        connect_ward(app, ward_a, sim.url)
        host = plugin_host(app)
        first = inbox.pull(host, ward_a)
        again = inbox.pull(host, ward_a)
        assert (first.new, first.seen, again.new, again.seen) == (2, 0, 0, 2)
        item = next(i for i in inbox.inbox_items(ward_a, "new") if i.procedure_key == MARITAL)
        record = inbox.accept(ward_of(ward_a), item.id, actor="canbo-a")
        proc = procedure(ward_a, MARITAL)
        assert record.channel == "online" and record.code.startswith(ward_a.code)
        assert record.due_at == compute_due(clock, proc.limit, ward_of(ward_a).calendar, cutoff=ward_cutoff(ward_a))
        assert record.applicant_name == item.applicant["name"]
        with pytest.raises(Conflict):
            inbox.accept(ward_of(ward_a), item.id, actor="canbo-a")
        runner, _ = worker(app, clock)
        runner.drain()
        applied = sim.received()["applied"]
        assert [(a["portal_ref"], a["record_code"], a["status_code"]) for a in applied] == [
            (item.portal_ref, record.code, 2)
        ]
        assert applied[0]["due"] == record.due_at.strftime("%Y%m%d%H%M%S")
        assert inbox.pull(host, ward_a).new == 0  # the portal no longer offers it; nor a copy
    assert Record.select().where(Record.tenant == ward_a).count() == 1
    assert InboxItem.select().where(InboxItem.tenant == ward_a).count() == 2


def test_refusal_needs_a_reason_and_goes_back_to_the_portal(app, ward_a, clock):
    publish_form(ward_a)
    with running_sim("--per-ward", "1", "--seed", "8") as sim:
        connect_ward(app, ward_a, sim.url)
        inbox.pull(plugin_host(app), ward_a)
        item = inbox.inbox_items(ward_a)[0]
        with pytest.raises(UserError, match="lý do"):
            inbox.refuse(ward_of(ward_a), item.id, "  ", actor="canbo-a")
        refused = inbox.refuse(ward_of(ward_a), item.id, "Hồ sơ không thuộc thẩm quyền", actor="canbo-a")
        assert refused.state == "refused"
        message = OutboxMessage.get()
        assert (message.kind, message.record_key, message.record_id) == ("inbox.refused", item.portal_ref, None)
        worker(app, clock)[0].drain()
        applied = sim.received()["applied"]
    assert [(a["portal_ref"], a["status_code"]) for a in applied] == [(item.portal_ref, 3)]
    assert Record.select().count() == 0


def _dossier(ref: str, values: dict) -> dict:
    import base64

    return {"MaHoSo": ref, "MaTTHC": "1.004873", "MaThuTuc": MARITAL, "NgayNop": "20261202080000",
            "ChuHoSo": {"HoTen": "Đặng Thu Lan", "SoGiayTo": "024196003333", "SoDienThoai": "0912345678"},
            "DuLieuBieuMau": values, "TepDinhKem": [{"TenTep": "to-khai.pdf", "LoaiTep": "application/pdf",
                                                    "NoiDung": base64.b64encode(PDF).decode()}]}


def test_signed_webhook_takes_a_dossier_once_and_refuses_bad_signatures(app, client, ward_a, ward_b):
    from records_support import sample_values

    publish_form(ward_a)
    connect_ward(app, ward_a, "http://127.0.0.1:9", webhook_secret="bi-mat-cua-phuong")
    body = json.dumps(_dossier("G07795-261202-0042", sample_values())).encode()
    url = f"/{ward_a.slug}/cong/webhook/dvcqg"
    signed = {"X-Signature": signature_of("bi-mat-cua-phuong", body), "Content-Type": "application/json"}
    assert client.post(url, data=body, headers=signed).json == {"new": 1, "seen": 0}
    assert client.post(url, data=body, headers=signed).json == {"new": 0, "seen": 1}
    forged = {**signed, "X-Signature": signature_of("doan-mo", body)}
    refused = client.post(url, data=body, headers=forged)
    assert refused.status_code == 401 and "Chữ ký" in refused.get_data(as_text=True)
    assert client.post(url, data=b"{}", headers=signed).status_code == 401  # signature of another body
    # Ward B has not enabled the connector: its webhook does not exist.
    assert client.post(f"/{ward_b.slug}/cong/webhook/dvcqg", data=body, headers=signed).status_code == 404
    item = InboxItem.get()
    assert item.tenant_id == ward_a.id and item.files[0]["name"] == "to-khai.pdf"
    record = inbox.accept(ward_of(ward_a), item.id, actor="canbo-a")
    assert [a.content_type for a in Attachment.select().where(Attachment.record == record.id)] == ["application/pdf"]


def test_staff_accept_and_refuse_on_the_inbox_page(app, client, users, ward_a):
    from records_support import sample_values

    publish_form(ward_a)
    connect_ward(app, ward_a, "http://127.0.0.1:9")
    from motcua_dvcqg.mapping import read_submission

    inbox.store_submissions(ward_a, "dvcqg", [read_submission(_dossier("G-1", sample_values())),
                                               read_submission(_dossier("G-2", {"ho_ten_nguoi_yeu_cau": ""}))])
    login(client, "canbo-a")
    page = client.get(f"/{ward_a.slug}/cong/hop-thu").get_data(as_text=True)
    assert "G-1" in page and "Đặng Thu Lan" in page
    first, second = InboxItem.select().order_by(InboxItem.portal_ref)
    token = csrf_token(client, f"/{ward_a.slug}/cong/hop-thu/{first.id}")
    accepted = client.post(f"/{ward_a.slug}/cong/hop-thu/{first.id}/tiep-nhan", data={"csrf_token": token})
    record = Record.get()
    assert accepted.status_code == 302 and accepted.headers["Location"].endswith(record.code)
    assert record.channel == "online" and InboxItem.get_by_id(first.id).record_id == record.id
    bad = client.post(f"/{ward_a.slug}/cong/hop-thu/{second.id}/tiep-nhan", data={"csrf_token": token})
    assert bad.status_code == 422 and InboxItem.get_by_id(second.id).state == "new"
    assert "ho_ten_nguoi_yeu_cau" in bad.get_data(as_text=True)  # the field that failed is named
    no_reason = client.post(f"/{ward_a.slug}/cong/hop-thu/{second.id}/tu-choi", data={"csrf_token": token, "reason": ""})
    assert no_reason.status_code == 400 and "Ghi lý do" in no_reason.get_data(as_text=True)
    done = client.post(f"/{ward_a.slug}/cong/hop-thu/{second.id}/tu-choi",
                       data={"csrf_token": token, "reason": "Thiếu thông tin"})
    assert done.status_code == 302 and InboxItem.get_by_id(second.id).state == "refused"
    assert Record.select().count() == 1


@pytest.fixture
def env(app, monkeypatch):  # noqa: ANN001, ANN201
    settings = app.extensions["motcua.settings"]
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("SECRET_KEY", "test-secret")
    return settings


def test_operator_commands_configure_pull_list_and_outbox(app, ward_a, env):
    publish_form(ward_a)
    runner = CliRunner()
    with running_sim("--per-ward", "2", "--seed", "9") as sim:
        configured = runner.invoke(main, ["connectors", "configure", "--tenant", ward_a.code, "--connector", "dvcqg",
                                          "--set", f"base_url={sim.url}", "--set", "api_token=bi-mat"])
        assert configured.exit_code == 0, configured.output
        assert json.loads(configured.output)["api_token"] == "***"
        bad = runner.invoke(main, ["connectors", "configure", "--tenant", ward_a.code, "--connector", "khong-co"])
        assert bad.exit_code == 1 and "No connector `khong-co`" in bad.output
        for _ in range(2):
            pulled = runner.invoke(main, ["connectors", "pull", "--tenant", ward_a.code])
            assert pulled.exit_code == 0, pulled.output
        listed = json.loads(runner.invoke(main, ["inbox", "list", "--tenant", ward_a.code, "--json"]).output)
        assert len(listed["items"]) == 2 and {i["state"] for i in listed["items"]} == {"new"}
        item = next(i for i in listed["items"] if i["procedure_key"] == MARITAL)
        inbox.accept(ward_of(ward_a), item["id"], actor="canbo-a")
        messages = json.loads(runner.invoke(main, ["outbox", "list", "--tenant", ward_a.code, "--json"]).output)
        assert [(m["kind"], m["state"]) for m in messages["messages"]] == [("record.received", "pending")]
        drained = runner.invoke(main, ["worker", "--drain"])
        assert drained.exit_code == 0, drained.output
        delivered = json.loads(runner.invoke(main, ["outbox", "list", "--tenant", ward_a.code, "--state", "delivered",
                                                    "--json"]).output)
        assert len(delivered["messages"]) == 1
        assert runner.invoke(main, ["outbox", "retry", str(delivered["messages"][0]["id"])]).exit_code == 1
