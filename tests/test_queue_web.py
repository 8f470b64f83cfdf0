"""The queue plugin's pages end to end: kiosk -> counter call -> board -> reception from
the ticket -> rating -> figures; the CLI; and the plugin turned off for one ward."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from click.testing import CliRunner

from conftest import csrf_token, login
from motcua import clock as motcua_clock
from motcua.records.models import Record
from queue_support import seeded
from records_support import MARITAL, publish_form
from test_records_web import form_data


def _q(tenant, path: str = "") -> str:  # noqa: ANN001
    return f"/{tenant.slug}/x/queue{path}"


def _take(client, tenant, service: str = "tu-phap", priority: str = "") -> str:  # noqa: ANN001
    token = csrf_token(client, _q(tenant, "/kiosk/chinh"))
    response = client.post(_q(tenant, "/kiosk/chinh"), data={"csrf_token": token, "service": service,
                                                              "priority": priority})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response.headers["Location"]


def test_kiosk_is_public_and_gives_a_ticket_with_wait_and_qr(app, client, ward_a, clock):
    seeded(ward_a)
    page = client.get(_q(ward_a, "/kiosk/chinh")).get_data(as_text=True)
    assert "Lấy số thứ tự" in page and "Tư pháp" in page and "Người cao tuổi" in page
    first = _take(client, ward_a)
    second = client.get(_take(client, ward_a)).get_data(as_text=True)
    assert "A-002" in second and "<svg" in second  # the QR to follow on a phone
    state = client.get(first.split("?")[0] + "/trang-thai").get_json()
    assert state["number"] == "A-001" and state["status"] == "waiting" and state["ahead"] == 0
    second_state = client.get(_take(client, ward_a).split("?")[0] + "/trang-thai").get_json()
    assert second_state["ahead"] == 2 and second_state["wait_minutes"] == 20
    pdf = client.get(first.split("?")[0] + "/phieu.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    from test_print_jobs import pdf_qr_codes, pdf_text

    assert "A-001" in pdf_text(pdf.data) and "Tư pháp" in pdf_text(pdf.data)
    public = app.extensions["motcua.settings"].public_url
    assert pdf_qr_codes(pdf.data) == [public + first.split("?")[0]]  # the phone opens the public address
    assert client.get(_q(ward_a, "/kiosk/khong-co")).status_code == 404
    assert client.get(_q(ward_a, "/so/khong-co-ma")).status_code == 404


def test_journey_call_board_reception_rating_and_figures(app, client, users, ward_a, clock):
    from motcua_queue.setup import desks

    seeded(ward_a)
    publish_form(ward_a, MARITAL)
    kiosk = app.test_client()
    ticket_url = _take(kiosk, ward_a).split("?")[0]
    desk = desks(ward_a.id)[0]
    board = _q(ward_a, "/bang/chinh/goi")
    assert kiosk.get(_q(ward_a, "/bang/chinh")).status_code == 200
    assert kiosk.get(board).get_json() == {"calls": [], "last_id": 0}

    login(client, "canbo-a")
    counter = _q(ward_a, f"/quay/{desk.id}")
    token = csrf_token(client, counter)
    with motcua_clock.frozen(clock + timedelta(minutes=12)):
        client.post(counter, data={"csrf_token": token, "action": "next"})
        (call,) = kiosk.get(board).get_json()["calls"]
        assert call["number"] == "A-001" and call["counter_number"] == 1
        assert call["say"] == "Mời số A, không không một, đến quầy 1"
        assert kiosk.get(f"{board}?after={call['id']}").get_json()["calls"] == []
        spoken = kiosk.get(_q(ward_a, "/bang/loi-goi.wav?so=A-001&quay=1"))
        assert spoken.status_code == 200 and spoken.data[:4] == b"RIFF"
        assert kiosk.get(_q(ward_a, "/bang/loi-goi.wav?so=x&quay=1")).status_code == 404
        client.post(counter, data={"csrf_token": token, "action": "recall"})
        assert [c["number"] for c in kiosk.get(f"{board}?after={call['id']}").get_json()["calls"]] == ["A-001"]
        assert kiosk.get(ticket_url + "/trang-thai").get_json()["status"] == "called"
        opened = client.post(_q(ward_a, f"/quay/{desk.id}/tiep-nhan"), data={"csrf_token": token})
        assert opened.status_code == 302 and opened.headers["Location"].endswith("/ho-so/tiep-nhan/")
    with motcua_clock.frozen(clock + timedelta(minutes=20)):
        saved = client.post(f"/{ward_a.slug}/ho-so/tiep-nhan/{MARITAL}", data=form_data(token))
        assert saved.status_code == 302
        code = Record.get().code
        assert code in client.get(counter).get_data(as_text=True)  # the ticket's record
    with motcua_clock.frozen(clock + timedelta(minutes=22)):
        client.post(counter, data={"csrf_token": token, "action": "finish"})
        tablet = app.test_client()
        assert "A-001" in tablet.get(_q(ward_a, f"/danh-gia/quay/{desk.id}")).get_data(as_text=True)
    with motcua_clock.frozen(clock + timedelta(minutes=25)):
        phone = app.test_client()
        lookup = phone.get(f"/{ward_a.slug}/tra-cuu?ma={code}").get_data(as_text=True)  # the slip's QR
        assert f'href="/{ward_a.slug}/x/queue/danh-gia/ho-so/{code}"' in lookup
        rating_page = phone.get(_q(ward_a, f"/danh-gia/ho-so/{code}"))  # the slip's QR
        assert rating_page.status_code == 200 and "Rất hài lòng" in rating_page.get_data(as_text=True)
        phone_token = csrf_token(phone, _q(ward_a, f"/danh-gia/ho-so/{code}"))
        rated = phone.post(_q(ward_a, f"/danh-gia/ho-so/{code}"),
                           data={"csrf_token": phone_token, "score": "3", "reason": "Nhanh, tận tình"})
        assert rated.status_code == 302
        again = phone.post(_q(ward_a, f"/so/{ticket_url.rsplit('/', 1)[1]}/danh-gia"),
                           data={"csrf_token": phone_token, "score": "1"})
        assert again.status_code == 409  # one rating per visit, by ticket or by record
        assert "Chưa có lượt" in tablet.get(_q(ward_a, f"/danh-gia/quay/{desk.id}")).get_data(as_text=True)
        assert "danh-gia/ho-so" not in phone.get(f"/{ward_a.slug}/tra-cuu?ma={code}").get_data(as_text=True)

    login(client, "lanhdao-a")
    figures = client.get(_q(ward_a, "/so-lieu")).get_data(as_text=True)
    assert 'id="f-tickets">1<' in figures
    assert 'id="f-wait">12.0<' in figures and 'id="f-service">10.0<' in figures
    assert "rất hài lòng 1" in figures
    workbook = client.get(_q(ward_a, "/so-lieu.xlsx"))
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(workbook.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Ngày", "Dịch vụ", "Quầy") and rows[1][3] == 1 and rows[1][6] == 12.0
    assert rows[1][9] == 1  # very satisfied


def test_counter_skip_transfer_and_bad_input(app, client, users, ward_a, clock):
    from motcua_queue.setup import desks

    seeded(ward_a)
    kiosk = app.test_client()
    ticket_url = _take(kiosk, ward_a).split("?")[0]
    desk = desks(ward_a.id)[0]
    login(client, "canbo-a")
    counter = _q(ward_a, f"/quay/{desk.id}")
    token = csrf_token(client, counter)
    assert client.get(counter + "/trang-thai").get_json() == {"current": None, "status": None, "waiting": 1}
    refused = client.post(counter, data={"csrf_token": token, "action": "skip"})
    assert refused.status_code == 409 and "chưa gọi số" in refused.get_data(as_text=True)
    assert client.post(counter, data={"csrf_token": token, "action": "dance"}).status_code == 400
    client.post(counter, data={"csrf_token": token, "action": "next"})
    assert client.get(counter + "/trang-thai").get_json() == {"current": "A-001", "status": "called", "waiting": 0}
    client.post(counter, data={"csrf_token": token, "action": "transfer", "service": "tra-ket-qua"})
    state = kiosk.get(ticket_url + "/trang-thai").get_json()
    assert state["status"] == "waiting" and state["number"] == "A-001" and "Trả kết quả" in state["service"]
    client.post(counter, data={"csrf_token": token, "action": "next"})  # the counter calls both services
    client.post(counter, data={"csrf_token": token, "action": "skip"})
    assert kiosk.get(ticket_url + "/trang-thai").get_json()["status"] == "skipped"
    other = client.post(_q(ward_a, "/quay/999999"), data={"csrf_token": token, "action": "next"})
    assert other.status_code == 404


def test_setup_page_is_for_ward_admins_and_checks_input(app, client, users, ward_a):
    seeded(ward_a)
    login(client, "canbo-a")
    assert client.get(_q(ward_a, "/cai-dat")).status_code == 403
    assert client.get(_q(ward_a, "/so-lieu")).status_code == 403
    login(client, "quantri-a")
    token = csrf_token(client, _q(ward_a, "/cai-dat"))
    bad = client.post(_q(ward_a, "/cai-dat"), data={"csrf_token": token, "what": "service", "point": "chinh",
                                                   "key": "dat-dai", "letter": "A", "name": "Đất đai"})
    assert bad.status_code == 400 and "Chữ A đã dùng" in bad.get_data(as_text=True)
    good = client.post(_q(ward_a, "/cai-dat"), data={"csrf_token": token, "what": "service", "point": "chinh",
                                                    "key": "dat-dai", "letter": "C", "name": "Đất đai"})
    assert good.status_code == 302
    client.post(_q(ward_a, "/cai-dat"), data={"csrf_token": token, "what": "counter", "point": "chinh",
                                             "number": "2", "name": "Quầy 2", "services": ["dat-dai"]})
    page = client.get(_q(ward_a, "/cai-dat")).get_data(as_text=True)
    assert "Đất đai" in page and "Quầy 2" in page
    assert "Đất đai" in client.get(_q(ward_a, "/kiosk/chinh")).get_data(as_text=True)


def test_turned_off_for_a_ward_its_pages_go_and_the_rest_works(app, client, users, ward_a, ward_b):
    from motcua.plugins import plugin_host
    from motcua.plugins.store import disable_plugin

    seeded(ward_a)
    seeded(ward_b)
    login(client, "canbo-a")
    home = client.get(f"/{ward_a.slug}/").get_data(as_text=True)
    assert "Quầy: gọi số" in home and "Xếp hàng lấy số" in home
    assert "Dịch vụ và quầy xếp hàng" not in home  # ward admins only
    with app.app_context():
        disable_plugin("queue", ward_a, "test")
    assert "Xếp hàng lấy số" not in client.get(f"/{ward_a.slug}/").get_data(as_text=True)
    assert client.get(_q(ward_a, "/kiosk/chinh")).status_code == 404
    assert client.get(_q(ward_b, "/kiosk/chinh")).status_code == 200
    login(client, "canbo-a")
    assert client.get(_q(ward_a, "/quay/")).status_code == 404
    publish_form(ward_a, MARITAL)
    token = csrf_token(client, f"/{ward_a.slug}/ho-so/tiep-nhan/{MARITAL}")
    assert client.post(f"/{ward_a.slug}/ho-so/tiep-nhan/{MARITAL}", data=form_data(token)).status_code == 302
    assert client.get(f"/{ward_a.slug}/ho-so/").status_code == 200
    assert not plugin_host(app).is_enabled("queue", ward_a)
    assert list(plugin_host(app).recent_failures) == []


@pytest.fixture
def cli_env(app, monkeypatch):  # noqa: ANN001, ANN201
    settings = app.extensions["motcua.settings"]
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("SECRET_KEY", "test-secret")
    return settings


def test_cli_take_services_and_stats(app, cli_env, ward_a, ward_b, clock):
    from motcua.cli import main
    from motcua.plugins.store import disable_plugin

    seeded(ward_a)
    runner = CliRunner()
    listed = runner.invoke(main, ["queue", "services", "--tenant", ward_a.code, "--json"])
    assert listed.exit_code == 0, listed.output
    assert [s["key"] for s in json.loads(listed.output)] == ["tu-phap", "tra-ket-qua"]
    taken = runner.invoke(main, ["queue", "take", "--tenant", ward_a.code, "--service", "tu-phap",
                                 "--priority", "elderly", "--json"])
    assert taken.exit_code == 0, taken.output
    assert json.loads(taken.output) | {"taken_at": ""} == {
        "number": "A-001", "service": "tu-phap", "service_name": "Tư pháp – hộ tịch, chứng thực",
        "priority": "elderly", "position": 1, "ahead": 0, "wait_minutes": 0, "taken_at": ""}
    stats = runner.invoke(main, ["queue", "stats", "--tenant", ward_a.code, "--date", clock.date().isoformat(),
                                 "--json"])
    assert stats.exit_code == 0 and json.loads(stats.output)["total"]["tickets"] == 1
    wrong = runner.invoke(main, ["queue", "take", "--tenant", ward_a.code, "--service", "khong-co"])
    assert wrong.exit_code == 1 and "Không có dịch vụ" in wrong.output and "No service" in wrong.output
    with app.app_context():
        disable_plugin("queue", ward_b, "test")
    off = runner.invoke(main, ["queue", "services", "--tenant", ward_b.code])
    assert off.exit_code == 1 and "chưa được bật" in off.output
    bad_day = runner.invoke(main, ["queue", "stats", "--tenant", ward_a.code, "--date", "2026-13-40"])
    assert bad_day.exit_code == 1 and "YYYY-MM-DD" in bad_day.output


def test_public_pages_never_show_another_wards_tickets(app, client, ward_a, ward_b):
    from motcua_queue.setup import desks
    from motcua_queue.tickets import take_ticket

    a = seeded(ward_a)
    seeded(ward_b)
    ticket = take_ticket(a.id, "tu-phap").ticket
    desk = desks(a.id)[0]
    for path in (f"/so/{ticket.token}", f"/so/{ticket.token}/trang-thai", f"/so/{ticket.token}/phieu.pdf",
                 f"/danh-gia/quay/{desk.id}", "/bang/nenh/goi", "/kiosk/nenh"):
        assert client.get(_q(ward_b, path)).status_code == 404, path
    assert client.get(_q(ward_a, f"/so/{ticket.token}")).status_code == 200
    token = csrf_token(client, _q(ward_b, "/kiosk/chinh"))
    refused = client.post(_q(ward_b, f"/so/{ticket.token}/danh-gia"), data={"csrf_token": token, "score": "3"})
    assert refused.status_code == 404


def test_the_public_kiosk_is_rate_limited_per_address(app, client, ward_a):
    seeded(ward_a)
    statuses = [client.get(_q(ward_a, "/kiosk/chinh")).status_code for _ in range(31)]
    assert statuses[:30] == [200] * 30 and statuses[30] == 429
    assert "Quá nhiều yêu cầu" in client.get(_q(ward_a, "/kiosk/chinh")).get_data(as_text=True)
    assert app.test_client().get(_q(ward_a, "/bang/chinh")).status_code == 200  # other pages are not
