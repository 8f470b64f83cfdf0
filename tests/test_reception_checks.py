"""Checks at the counter: a refused count never feeds the live fee, a dossier is taken with
the papers the procedure asks for, and a reception outside office hours is flagged."""

from __future__ import annotations

import json
from datetime import datetime

from conftest import csrf_token, login
from motcua import clock
from motcua.records.models import Record
from records_support import CERTIFY, publish_form
from test_reception_address import form_data


def test_a_refused_count_never_shows_a_negative_fee(client, users, ward_a):
    publish_form(ward_a, CERTIFY)
    login(client, "canbo-a")
    url = f"/{ward_a.slug}/ho-so/tiep-nhan/{CERTIFY}"
    token = csrf_token(client, url)
    answer = client.post(
        f"{url}/danh-gia",
        data=json.dumps({"values": {"so_trang": "3", "so_ban": "-1"}}),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    ).json
    cells = {c["name"]: c for c in answer["cells"].values() if c.get("name")}
    assert cells["so_ban"]["error"]
    assert cells["le_phi"]["display"] == "—"
    assert not any("-" in c.get("display", "") for c in cells.values() if c["kind"] == "formula")


def test_a_certified_copy_is_not_saved_without_its_documents(client, users, ward_a):
    publish_form(ward_a, CERTIFY)
    login(client, "canbo-a")
    url = f"/{ward_a.slug}/ho-so/tiep-nhan/{CERTIFY}"
    token = csrf_token(client, url)
    refused = client.post(url, data={**form_data(token), "doc": []})
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert "Chưa đánh dấu đã nhận" in body and "Bản chính giấy tờ" in body
    assert Record.select().count() == 0
    partly = client.post(url, data={**form_data(token), "doc": ["ban_chinh"]})
    assert partly.status_code == 422 and "Bản chụp (photo)" in partly.get_data(as_text=True)
    saved = client.post(url, data={**form_data(token), "doc": ["ban_chinh", "ban_chup"]})
    assert saved.status_code == 302


def test_a_reception_outside_office_hours_is_flagged(client, users, ward_a):
    publish_form(ward_a, CERTIFY)
    login(client, "canbo-a")
    url = f"/{ward_a.slug}/ho-so/tiep-nhan/{CERTIFY}"
    with clock.frozen(datetime(2026, 12, 2, 9, 30)):  # a Wednesday morning
        assert "data-late" not in client.get(url).get_data(as_text=True)
    with clock.frozen(datetime(2026, 12, 2, 1, 12)):
        form = client.get(url).get_data(as_text=True)
        assert "ngoài giờ làm việc (07:00–11:30, 13:30–17:00)" in form
        token = csrf_token(client, url)
        saved = client.post(url, data={**form_data(token), "doc": ["ban_chinh", "ban_chup"]})
        assert saved.status_code == 302
        page = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Tiếp nhận lúc 01:12 02/12/2026, ngoài giờ làm việc" in page
    with clock.frozen(datetime(2026, 12, 6, 9, 0)):  # a Sunday
        assert "ngày nghỉ" in client.get(url).get_data(as_text=True)


def test_the_filing_date_at_the_counter_is_within_the_last_30_days(client, users, ward_a):
    publish_form(ward_a, CERTIFY)
    login(client, "canbo-a")
    url = f"/{ward_a.slug}/ho-so/tiep-nhan/{CERTIFY}"
    token = csrf_token(client, url)
    with clock.frozen(datetime(2026, 12, 2, 9, 30)):
        for day in ("2020-01-01", "2030-01-01", "2026-12-03", "2026-11-01"):
            refused = client.post(url, data=form_data(token, ngay_nop=day))
            assert refused.status_code == 422, day
            assert "phải từ 02/11/2026 đến hôm nay 02/12/2026" in refused.get_data(as_text=True)
        assert client.post(url, data=form_data(token, ngay_nop="2026-11-02")).status_code == 302
    assert Record.select().count() == 1
