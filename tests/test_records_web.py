"""Ward pages for records: reception with a CCCD QR, work list, record page, public lookup."""

from __future__ import annotations

import re

from conftest import csrf_token, login, ward_of
from motcua.records.models import Record
from motcua.records.service import get_record
from records_support import MARITAL, at_counter, publish_form, sample_values

QR = "024096003333||Vũ Hoàng Nam|05111996|Nam|Tổ 3, phường Nếnh|01012022"


def form_data(token: str, **extra: str) -> dict[str, object]:
    values = {
        f"v.{k}": ("true" if v is True else "false" if v is False else str(v))
        for k, v in sample_values().items()
        if not isinstance(v, list)
    }
    return {
        "csrf_token": token,
        **values,
        "a.name": "Vũ Hoàng Nam",
        "a.id_number": "024096003333",
        "a.phone": "0977111222",
        "channel": "direct",
        **at_counter(),
        **extra,
    }


def test_reception_work_list_record_page_and_transitions(client, users, ward_a):
    publish_form(ward_a, MARITAL)
    login(client, "quantri-a")
    base = f"/{ward_a.slug}/ho-so"
    assert MARITAL in client.get(f"{base}/tiep-nhan/").get_data(as_text=True)
    token = csrf_token(client, f"{base}/tiep-nhan/{MARITAL}")
    prefilled = client.post(
        f"{base}/tiep-nhan/{MARITAL}", data={"csrf_token": token, "qr": QR, "qr_prefill": "1"}
    )
    assert 'value="024096003333"' in prefilled.get_data(as_text=True)
    bad = client.post(
        f"{base}/tiep-nhan/{MARITAL}",
        data=form_data(token, **{"v.ho_ten_nguoi_yeu_cau": "", "v.ngay_sinh": "x"}),
    )
    assert bad.status_code == 422 and Record.select().count() == 0
    # The notebook marks the applicant's name: it is asked (and checked) once, in the form.
    assert "Cần nhập “Họ, chữ đệm, tên người được xác nhận”" in bad.get_data(as_text=True)
    assert 'name="a.name"' not in bad.get_data(as_text=True)
    saved = client.post(f"{base}/tiep-nhan/{MARITAL}", data=form_data(token))
    assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]
    code = Record.get().code
    assert code in client.get(f"{base}/?q=vu+hoang").get_data(as_text=True)
    page = client.get(f"{base}/{code}").get_data(as_text=True)
    assert "Phiếu kiểm soát quá trình" in page and 'name="lock_version" value="1"' in page
    assert (
        client.post(
            f"{base}/{code}", data={"csrf_token": token, "action": "assign", "lock_version": "1"}
        ).status_code
        == 302
    )
    stale = client.post(
        f"{base}/{code}",
        data={"csrf_token": token, "action": "withdraw", "lock_version": "1", "in.reason": "x"},
    )
    assert stale.status_code == 409 and "người khác" in stale.get_data(as_text=True)
    assert get_record(ward_a, code).status == "in_progress"


def test_staff_sees_only_actions_of_their_role(client, users, ward_a):
    publish_form(ward_a, MARITAL)
    from motcua.records.service import Applicant, receive

    code = receive(ward_of(ward_a), MARITAL, sample_values(), applicant=Applicant("An"), actor="x"
    ).record.code
    login(client, "canbo-a")
    page = client.get(f"/{ward_a.slug}/ho-so/{code}").get_data(as_text=True)
    actions = set(re.findall(r'name="action" value="([a-z_]+)"', page))
    assert actions == {"refuse", "assign", "request_supplement", "withdraw"}
    token = csrf_token(client, f"/{ward_a.slug}/ho-so/{code}")
    client.post(
        f"/{ward_a.slug}/ho-so/{code}",
        data={"csrf_token": token, "action": "assign", "lock_version": "1"},
    )
    refused = client.post(
        f"/{ward_a.slug}/ho-so/{code}",
        data={"csrf_token": token, "action": "approve", "lock_version": "2"},
    )
    assert refused.status_code == 403


def test_public_lookup_shows_only_the_masked_name(app, client, ward_a):
    publish_form(ward_a, MARITAL)
    from motcua.records.service import Applicant, receive

    record = receive(
        ward_of(ward_a),
        MARITAL,
        sample_values(),
        actor="x",
        applicant=Applicant("Vũ Hoàng Nam", "024096003333", "0977111222", "Tổ 3, phường Nếnh"),
    ).record
    assert getattr(app.view_functions["records_lookup.lookup"], "public", False)
    page = client.get(f"/{ward_a.slug}/tra-cuu?ma={record.code}").get_data(as_text=True)
    assert "V* H**** N**" in page and record.code in page
    for secret in ("Vũ Hoàng Nam", "024096003333", "0977111222", "Tổ 3", "Ngô Thị Hà", "1996"):
        assert secret not in page
    assert client.get(f"/{ward_a.slug}/tra-cuu?ma=KHONG-CO").status_code == 404


def test_public_lookup_never_shows_what_staff_wrote(app, client, ward_a):
    from motcua.records.service import Applicant, receive, transition

    publish_form(ward_a, MARITAL)
    record = receive(ward_of(ward_a), MARITAL, sample_values(), actor="x", applicant=Applicant("Vũ Hoàng Nam")).record
    transition(ward_of(ward_a), record.code, "assign", actor="x", role="staff", expected_lock_version=1,
               inputs={"note": "Ghi chú nội bộ của cán bộ"})
    transition(ward_of(ward_a), record.code, "request_supplement", actor="x", role="staff", expected_lock_version=2,
               inputs={"items": "Giấy khai sinh | bản sao mờ, nghi giả mạo", "note": "Gọi công an phường"})
    answer = client.get(f"/{ward_a.slug}/tra-cuu?ma={record.code}")
    page = answer.get_data(as_text=True)
    assert "phiếu yêu cầu bổ sung" in page and record.code in page
    for written in ("Giấy khai sinh", "nghi giả mạo", "Gọi công an", "Ghi chú nội bộ"):
        assert written not in page
    assert answer.headers["Cache-Control"] == "no-store"


def test_demo_seeder_gives_every_status(app, ward_a):
    from motcua.records.demo import PATHS, seed_records

    publish_form(ward_a, MARITAL)
    seed_records(lambda tenant: ward_of(tenant, app))
    seed_records(lambda tenant: ward_of(tenant, app))  # idempotent
    statuses = {r.status for r in Record.select().where(Record.tenant == ward_a)}
    assert statuses == set(PATHS)


def test_control_sheet_shows_event_details_as_text(client, users, ward_a):
    """A supplement request reads "Cần bổ sung: item (reason)", never a Python list."""
    from motcua.records.service import Applicant, receive, transition
    from records_support import MARITAL, publish_form, sample_values

    publish_form(ward_a, MARITAL)
    record = receive(ward_of(ward_a), MARITAL, sample_values(MARITAL), applicant=Applicant(name="Đỗ Văn Khánh"),
                     actor="canbo-a").record
    transition(ward_of(ward_a), record.code, "assign", actor="canbo-a", role="staff", expected_lock_version=1)
    transition(ward_of(ward_a), record.code, "request_supplement", actor="canbo-a", role="staff", expected_lock_version=2,
               inputs={"items": "Giấy khai sinh | bản sao mờ"})
    login(client, "canbo-a")
    page = client.get(f"/{ward_a.slug}/ho-so/{record.code}").get_data(as_text=True)
    assert "Cần bổ sung: Giấy khai sinh (bản sao mờ)" in page
    assert "{&#39;item&#39;" not in page and "{'item'" not in page
