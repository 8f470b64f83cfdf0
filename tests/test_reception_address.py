"""The address on legal documents: an untouched optional address is no answer, a refused
save gives the street back (never the picker's JSON), and the ward picked in the address
picker is written on the record, slip 01 and the tracking book."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pypdfium2

from conftest import csrf_token, login, ward_of
from motcua import clock
from motcua.notebooks import read_ipynb
from motcua.notebooks.field_types import FieldTypeRegistry
from motcua.printing.jobs import pdf_for, print_register, queue_reception_slip
from motcua.records.models import Record
from records_support import CERTIFY, FORMS, publish_form

PICKER_EMPTY = '{"text": "", "ward_code": null}'  # what address-picker.js used to send untouched
YEN_TU = "06832"  # Phường Yên Tử, Quảng Ninh: not the receiving ward


def pdf_text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def form_data(token: str, **values: str) -> dict:
    base = {
        "csrf_token": token,
        "channel": "direct",
        "v.ho_ten_nguoi_yeu_cau": "Vũ Hoàng Nam",
        "v.ten_giay_to": "Bằng tốt nghiệp",
        "v.co_quan_cap": "viet_nam",
        "v.so_trang": "3",
        "v.so_ban": "1",
        "v.ngay_nop": clock.today().isoformat(),
        "v.dia_chi_nguoi_yeu_cau": PICKER_EMPTY,
        "doc": ["ban_chinh", "ban_chup"],
    }
    base.update({f"v.{name}": value for name, value in values.items()})
    return base


def test_the_pickers_empty_state_is_no_answer():
    nb = read_ipynb(FORMS / f"{CERTIFY}.ipynb")
    field = next(f for f in nb.fields() if f.type == "address")
    address = FieldTypeRegistry.default().get("address")
    for blank in (PICKER_EMPTY, {"text": " ", "ward_code": None}, {"text": "", "ward_code": ""}):
        assert address.parse(blank, field) is None
    assert address.parse({"text": "Số 5", "ward_code": YEN_TU}, field) == {
        "text": "Số 5",
        "ward_code": YEN_TU,
    }


def test_an_untouched_optional_address_saves_and_a_refused_save_gives_the_street_back(
    client, users, ward_a
):
    publish_form(ward_a, CERTIFY)
    login(client, "canbo-a")
    url = f"/{ward_a.slug}/ho-so/tiep-nhan/{CERTIFY}"
    fresh = client.get(url).get_data(as_text=True)
    assert 'data-address value=""' in fresh  # nothing typed, nothing sent
    token = csrf_token(client, url)

    refused = client.post(url, data=form_data(token, so_trang="", dia_chi_nguoi_yeu_cau=PICKER_EMPTY))
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert "ward_code&#34;" not in body and "Cần ghi số nhà" not in body
    assert re.search(r'data-picker-text value=""', body)

    typed = '{"text": "Số 5 Lê Lợi", "ward_code": null}'
    refused = client.post(url, data=form_data(token, so_trang="", dia_chi_nguoi_yeu_cau=typed))
    body = refused.get_data(as_text=True)
    assert 'data-picker-text value="Số 5 Lê Lợi"' in body
    assert not re.search(r'data-picker-text value="[^"]*&#34;', body)  # no JSON in the box
    assert "\\&#34;" not in body  # nor JSON inside JSON in the hidden value

    saved = client.post(url, data=form_data(token))
    assert saved.status_code == 302, saved.get_data(as_text=True)
    record = Record.get()
    assert record.applicant_address == "" and record.data["dia_chi_nguoi_yeu_cau"] is None


def test_the_picked_ward_is_on_the_record_slip_01_and_the_tracking_book(client, users, ward_a):
    publish_form(ward_a, CERTIFY)
    login(client, "canbo-a")
    url = f"/{ward_a.slug}/ho-so/tiep-nhan/{CERTIFY}"
    token = csrf_token(client, url)
    address = f'{{"text": "Số 5 Lê Lợi", "ward_code": "{YEN_TU}"}}'
    saved = client.post(url, data=form_data(token, dia_chi_nguoi_yeu_cau=address))
    assert saved.status_code == 302, saved.get_data(as_text=True)
    record = Record.get()
    full = "Số 5 Lê Lợi, Phường Yên Tử, Tỉnh Quảng Ninh"
    assert record.applicant_address == full and record.residence_ward_code == YEN_TU

    page = client.get(f"/{ward_a.slug}/ho-so/{record.code}").get_data(as_text=True)
    assert full in page and "nay thuộc" not in page

    ward = ward_of(ward_a)
    slip = " ".join(pdf_text(pdf_for(ward, queue_reception_slip(ward, record, "canbo-a"))).split())
    assert full in slip and "nay thuộc" not in slip
    day = record.received_at.date() if hasattr(record.received_at, "date") else date(2026, 12, 2)
    book = print_register(ward, day, day + timedelta(days=1), actor="canbo-a")
    assert "Phường Yên Tử" in " ".join(pdf_text(pdf_for(ward, book)).split())
