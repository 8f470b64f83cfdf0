"""Agent tokens and the agent API: a counter's agent pulls only its counter's jobs, reports
outcomes idempotently, pushes scans to that counter's form only, and can read nothing else."""

from __future__ import annotations

from conftest import csrf_token, login, ward_of
from motcua.accounts.service import create_token
from motcua.devices.models import PrintDelivery
from motcua.devices.service import create_agent_token, find_counter
from motcua.printing.jobs import print_record
from motcua.records import Applicant, receive
from motcua.tenancy.models import Counter
from records_support import MARITAL, publish_form, sample_values

APPLICANT = Applicant("Nguyễn Thị Hồng Ánh", "024190001234", "0912345678", "Số 12 Hoàng Hoa Thám")


def second_counter(tenant):  # noqa: ANN001, ANN201
    q1 = find_counter(tenant, "q1")
    return Counter.create(tenant=tenant, reception_point=q1.reception_point, key="q2", name="Quầy 2")


def received_at(tenant, counter):  # noqa: ANN001, ANN201
    return receive(ward_of(tenant), MARITAL, sample_values(), applicant=APPLICANT, actor="canbo-a",
                   counter=counter).record


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_agent_pulls_only_its_counters_jobs_and_results_are_idempotent(client, users, ward_a):
    publish_form(ward_a)
    q1, q2 = find_counter(ward_a, "q1"), second_counter(ward_a)
    _, token1 = create_agent_token(ward_a, q1, name="PC quầy 1")
    _, token2 = create_agent_token(ward_a, q2)
    job1 = print_record(ward_of(ward_a), received_at(ward_a, q1).code, "01", actor="canbo-a")
    job2 = print_record(ward_of(ward_a), received_at(ward_a, q2).code, "01", actor="canbo-a")
    hello = client.get("/api/agent/v1/hello", headers=bearer(token1)).get_json()
    assert hello["counter"]["key"] == "q1" and hello["tenant"]["code"] == ward_a.code
    assert [j["id"] for j in client.get("/api/agent/v1/jobs", headers=bearer(token1)).get_json()["jobs"]] == [job1.id]
    assert [j["id"] for j in client.get("/api/agent/v1/jobs", headers=bearer(token2)).get_json()["jobs"]] == [job2.id]
    # another counter's job: not found, whatever the agent asks
    assert client.get(f"/api/agent/v1/jobs/{job2.id}/pdf", headers=bearer(token1)).status_code == 404
    assert client.post(f"/api/agent/v1/jobs/{job2.id}/result", json={"printed": True},
                       headers=bearer(token1)).status_code == 404
    pdf = client.get(f"/api/agent/v1/jobs/{job1.id}/pdf", headers=bearer(token1))
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF") and pdf.headers["X-Job-Paper"]
    failed = client.post(f"/api/agent/v1/jobs/{job1.id}/result", headers=bearer(token1),
                         json={"printed": False, "state": "paper_out", "device": "escpos-usb@1.4"})
    assert failed.get_json()["status"] == "failed"
    delivery = PrintDelivery.get(PrintDelivery.job == job1.id)
    assert delivery.error_vi == "Hết giấy" and delivery.error_en == "Paper out"
    owed = client.get("/api/agent/v1/jobs", headers=bearer(token1)).get_json()["jobs"]
    assert owed[0]["id"] == job1.id and owed[0]["last_error"] == "Paper out"  # still owed
    for _ in range(2):  # the same acknowledgement twice: printed once
        done = client.post(f"/api/agent/v1/jobs/{job1.id}/result", headers=bearer(token1),
                           json={"printed": True, "device": "escpos-usb@1.4"})
        assert done.get_json() == {"job": job1.id, "status": "printed", "attempts": 2}
    late_failure = client.post(f"/api/agent/v1/jobs/{job1.id}/result", headers=bearer(token1),
                               json={"printed": False, "state": "timeout"})
    assert late_failure.get_json()["status"] == "printed"
    assert client.get("/api/agent/v1/jobs", headers=bearer(token1)).get_json()["jobs"] == []
    # the record page says where the slip came out
    login(client, "canbo-a")
    page = client.get(f"/{ward_a.slug}/ho-so/{job1.record.code}").get_data(as_text=True)
    assert "escpos-usb@1.4" in page and "Quầy 1" in page


def test_agent_token_opens_nothing_else(client, users, ward_a):
    _, agent = create_agent_token(ward_a, find_counter(ward_a, "q1"))
    assert client.get("/api/v1/me", headers=bearer(agent)).status_code == 401
    assert client.get("/api/v1/records", headers=bearer(agent)).status_code in (401, 404)
    page = client.get(f"/{ward_a.slug}/ho-so/", headers=bearer(agent))
    assert page.status_code == 302 and "/login" in page.headers["Location"]
    _, api_token = create_token(ward_a, users.admin_a)
    assert client.get("/api/agent/v1/hello", headers=bearer(api_token)).status_code == 401
    assert client.get("/api/agent/v1/hello").status_code == 401
    bad = agent[:-2] + ("AA" if not agent.endswith("AA") else "BB")
    assert client.get("/api/agent/v1/hello", headers=bearer(bad)).status_code == 401


def test_revoked_token_is_refused(client, users, ward_a):
    login(client, "quantri-a")
    token = csrf_token(client, f"/{ward_a.slug}/quay/")
    created = client.post(f"/{ward_a.slug}/quay/ma-may-tram", data={"csrf_token": token, "counter": "q1", "name": "PC1"})
    assert created.status_code == 201
    text = created.get_data(as_text=True).split('id="agent-token-text">')[1].split("<")[0]
    assert client.get("/api/agent/v1/hello", headers=bearer(text)).status_code == 200
    from motcua.devices.models import AgentToken

    row = AgentToken.get(AgentToken.tenant == ward_a)
    assert client.post(f"/{ward_a.slug}/quay/ma-may-tram/{row.id}/thu-hoi", data={"csrf_token": token}).status_code == 302
    assert client.get("/api/agent/v1/hello", headers=bearer(text)).status_code == 401


def test_staff_cannot_create_agent_tokens(client, users, ward_a):
    login(client, "canbo-a")
    token = csrf_token(client, f"/{ward_a.slug}/quay/")
    assert client.post(f"/{ward_a.slug}/quay/ma-may-tram", data={"csrf_token": token, "counter": "q1"}).status_code == 403


def test_scan_reaches_its_counter_form_once_and_no_other(client, users, ward_a, ward_b):
    q1, q2 = find_counter(ward_a, "q1"), second_counter(ward_a)
    _, agent = create_agent_token(ward_a, q1)
    text = "024190001234|123456789|Nguyễn Thị Hồng Ánh|15031990|Nữ|Số 12, phường Nếnh|10052021"
    assert client.post("/api/agent/v1/scans", json={"text": text, "device": "hid-pos"}, headers=bearer(agent)).status_code == 201
    assert client.post("/api/agent/v1/scans", json={"text": " "}, headers=bearer(agent)).status_code == 400
    login(client, "canbo-a")
    token = csrf_token(client, f"/{ward_a.slug}/quay/")
    other = client.post(f"/{ward_a.slug}/quay/{q2.id}/quet", data={"csrf_token": token})
    assert other.get_json()["text"] is None
    got = client.post(f"/{ward_a.slug}/quay/{q1.id}/quet", data={"csrf_token": token}).get_json()
    assert got["text"] == text
    assert client.post(f"/{ward_a.slug}/quay/{q1.id}/quet", data={"csrf_token": token}).get_json()["text"] is None
    b_counter = find_counter(ward_b, "q1")
    assert client.post(f"/{ward_a.slug}/quay/{b_counter.id}/quet", data={"csrf_token": token}).status_code == 404


def test_health_report_shows_on_the_counters_page(client, users, ward_a):
    _, agent = create_agent_token(ward_a, find_counter(ward_a, "q1"))
    report = {"devices": [
        {"name": "escpos-usb@1.4", "driver": "escpos-usb", "kind": "printer", "usb_id": "0416:5011", "state": "paper_out"},
        {"name": "hid-pos@1.5", "driver": "hid-pos-scanner", "kind": "scanner", "usb_id": "0c2e:0b61", "state": "online"},
    ]}
    assert client.post("/api/agent/v1/health", json=report, headers=bearer(agent)).status_code == 200
    bad = {"devices": [{"name": "x", "state": "on fire"}]}
    answer = client.post("/api/agent/v1/health", json=bad, headers=bearer(agent))
    assert answer.status_code == 400 and "Unknown device state" in answer.get_data(as_text=True)
    login(client, "canbo-a")
    page = client.get(f"/{ward_a.slug}/quay/").get_data(as_text=True)
    assert "Hết giấy" in page and "0416:5011" in page and "đang kết nối" in page
    status = client.get(f"/{ward_a.slug}/quay/trang-thai.json").get_json()["counters"][0]
    assert status["agent_online"] and {d["state"] for d in status["devices"]} == {"paper_out", "online"}
    assert "Tạo mã" not in page  # staff see health, only admins manage tokens


def test_tokens_create_agent_on_the_command_line(app, client, ward_a, monkeypatch):
    from click.testing import CliRunner

    from motcua.cli import main
    from motcua.db import database

    settings = app.extensions["motcua.settings"]
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("SECRET_KEY", "test-secret")
    database.close()
    runner = CliRunner()
    made = runner.invoke(main, ["tokens", "create", "--agent", "--tenant", ward_a.code, "--counter", "Quầy 1"])
    assert made.exit_code == 0, made.output
    text = made.output.strip()
    assert text.startswith(f"ma_{ward_a.code}_")
    database.connect(reuse_if_open=True)
    assert client.get("/api/agent/v1/hello", headers=bearer(text)).get_json()["counter"]["key"] == "q1"
    database.close()
    wrong = runner.invoke(main, ["tokens", "create", "--agent", "--tenant", ward_a.code, "--counter", "q9"])
    assert wrong.exit_code == 1 and "No counter `q9`" in wrong.output and "q1 (Quầy 1)" in wrong.output
    bare = runner.invoke(main, ["tokens", "create", "--agent", "--tenant", ward_a.code])
    assert bare.exit_code == 1 and "--agent needs --counter" in bare.output
