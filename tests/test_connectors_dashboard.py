"""The sync dashboard: shares synced, pending and failed per ward and province; the failing banner."""

from __future__ import annotations

from datetime import timedelta

from conftest import csrf_token, login, ward_of
from connectors_support import connect_ward
from motcua.connectors.figures import sync_figures
from motcua.connectors.models import OutboxMessage
from motcua.records.applicant import Applicant
from motcua.records.service import receive, transition
from records_support import MARITAL, publish_form, sample_values

APPLICANT = Applicant(name="Bùi Ngọc Mai", id_number="024196003333", phone="0977111222")


def _records(tenant, count: int) -> list[str]:  # noqa: ANN001
    codes = []
    for _ in range(count):
        record = receive(ward_of(tenant), MARITAL, sample_values(), applicant=APPLICANT, actor="canbo").record
        transition(ward_of(tenant), record.code, "assign", actor="canbo", role="staff", expected_lock_version=1)
        codes.append(record.code)
    return codes


def test_figures_count_records_synced_pending_and_failed(app, ward_a, ward_b, clock):
    publish_form(ward_a)
    connect_ward(app, ward_a, "http://127.0.0.1:9")
    synced, pending, failed, half = _records(ward_a, 4)
    OutboxMessage.update(state="delivered").where(OutboxMessage.record_key.in_([synced, failed])).execute()
    OutboxMessage.update(state="delivered").where(OutboxMessage.record_key == half, OutboxMessage.seq == 1).execute()
    OutboxMessage.update(state="dead").where(OutboxMessage.record_key == failed, OutboxMessage.seq == 2).execute()
    figures = sync_figures([ward_a.id, ward_b.id])
    a = figures[ward_a.id]
    assert (a.records, a.synced, a.pending, a.failed, a.dead_messages) == (4, 1, 2, 1, 1)
    assert (a.share(a.synced), a.share(a.pending), a.share(a.failed)) == (25.0, 50.0, 25.0)
    assert a.oldest_unsynced == clock and a.failing(clock)
    assert figures[ward_b.id].records == 0 and not figures[ward_b.id].failing(clock)


def test_a_stale_message_alone_makes_the_sync_failing(app, ward_a, clock):
    publish_form(ward_a)
    connect_ward(app, ward_a, "http://127.0.0.1:9")
    _records(ward_a, 1)
    figures = sync_figures([ward_a.id])[ward_a.id]
    assert not figures.failing(clock + timedelta(minutes=29))
    assert figures.failing(clock + timedelta(minutes=31))


def test_admin_sees_the_banner_and_retries_the_failed_messages(app, client, users, ward_a):
    publish_form(ward_a)
    connect_ward(app, ward_a, "http://127.0.0.1:9")
    codes = _records(ward_a, 2)
    OutboxMessage.update(state="dead", last_error="HTTP 503: portal busy").where(OutboxMessage.record_key == codes[0]).execute()
    login(client, "quantri-a")
    home = client.get(f"/{ward_a.slug}/").get_data(as_text=True)
    assert "Đồng bộ Cổng DVC đang lỗi" in home and f"/{ward_a.slug}/cong/dong-bo" in home
    page = client.get(f"/{ward_a.slug}/cong/dong-bo").get_data(as_text=True)
    assert "HTTP 503: portal busy" in page and "50.0%" in page
    token = csrf_token(client, f"/{ward_a.slug}/cong/dong-bo")
    assert client.post(f"/{ward_a.slug}/cong/dong-bo/gui-lai", data={"csrf_token": token}).status_code == 302
    assert OutboxMessage.select().where(OutboxMessage.state == "dead").count() == 0
    assert "Đồng bộ Cổng DVC đang lỗi" not in client.get(f"/{ward_a.slug}/").get_data(as_text=True)
    one = OutboxMessage.get(OutboxMessage.record_key == codes[1], OutboxMessage.seq == 1)
    one.state = "dead"
    one.save()
    assert client.post(f"/{ward_a.slug}/cong/dong-bo/{one.id}/gui-lai", data={"csrf_token": token}).status_code == 302
    assert OutboxMessage.get_by_id(one.id).state == "pending"


def test_staff_see_no_banner_and_no_dashboard(app, client, users, ward_a):
    publish_form(ward_a)
    connect_ward(app, ward_a, "http://127.0.0.1:9")
    _records(ward_a, 1)
    OutboxMessage.update(state="dead").execute()
    login(client, "canbo-a")
    assert "Đồng bộ Cổng DVC đang lỗi" not in client.get(f"/{ward_a.slug}/").get_data(as_text=True)
    assert client.get(f"/{ward_a.slug}/cong/dong-bo").status_code == 403


def test_province_dashboard_lists_its_wards_side_by_side(app, client, users, ward_a):
    publish_form(ward_a)
    connect_ward(app, ward_a, "http://127.0.0.1:9")
    _records(ward_a, 2)
    OutboxMessage.update(state="delivered").execute()
    login(client, "tinh-a")
    page = client.get(f"/tinh/{ward_a.province.slug}/dong-bo")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert ward_a.name in text and "100.0%" in text
    login(client, "quantri-a")
    assert client.get(f"/tinh/{ward_a.province.slug}/dong-bo").status_code == 403
