"""Reception as counter staff need it: one set of applicant fields (the notebook's
`applicant` roles), CCCD QR prefill into them, a quiet first form, blank fees until their
inputs are given, and the record page showing data as the pinned version renders it."""

from __future__ import annotations

import json
import re

import pytest

from conftest import csrf_token, login, ward_of
from motcua.notebooks import NotebookFormatError, notebook_from_dict, read_ipynb
from motcua.notebooks.serialize import notebook_to_dict
from motcua.records.applicant import Applicant, from_values, missing_roles
from motcua.records.models import Record
from motcua.records.service import receive
from records_support import CERTIFY, FORMS, MARITAL, publish_form, sample_values

QR = "024096003333||Vũ Hoàng Nam|05111996|Nam|Tổ 3, phường Nếnh|01012022"
MARRIAGE = "dang-ky-ket-hon"


def with_meta(key: str, name: str, **meta: object) -> dict:
    data = notebook_to_dict(read_ipynb(FORMS / f"{key}.ipynb"))
    for cell in data["cells"]:
        if cell["metadata"]["motcua"].get("name") == name:
            cell["metadata"]["motcua"].update(meta)
    return data


def test_applicant_roles_are_validated():
    nb = read_ipynb(FORMS / f"{MARITAL}.ipynb")
    assert {r: f.name for r, f in nb.applicant_fields().items()} == {
        "name": "ho_ten_nguoi_yeu_cau",
        "birth_date": "ngay_sinh",
        "id_number": "cccd_nguoi_yeu_cau",
        "phone": "so_dien_thoai",
        "address": "dia_chi_nguoi_yeu_cau",
    }
    assert missing_roles(nb) == ("email",)
    with pytest.raises(NotebookFormatError, match="applicant"):
        notebook_from_dict(with_meta(MARITAL, "gioi_tinh", applicant="gender"))
    with pytest.raises(NotebookFormatError, match="date"):
        notebook_from_dict(with_meta(MARITAL, "gioi_tinh", applicant="birth_date"))
    with pytest.raises(NotebookFormatError, match="ho-ten-nguoi-yeu-cau"):
        notebook_from_dict(with_meta(MARITAL, "muc_dich_khac", applicant="name"))
    # Round trip keeps the roles.
    assert notebook_from_dict(notebook_to_dict(nb)).applicant_fields().keys() == {
        "name",
        "birth_date",
        "id_number",
        "phone",
        "address",
    }


def test_every_form_marks_its_applicant_fields_once():
    for path in sorted(FORMS.glob("*.ipynb")):
        roles = read_ipynb(path).applicant_fields()
        assert "phone" in roles, path.name


def test_applicant_comes_from_the_notebook_given_roles_win():
    nb = read_ipynb(FORMS / f"{MARITAL}.ipynb")
    values = {
        "ho_ten_nguoi_yeu_cau": "Lê Thị Thu",
        "so_dien_thoai": "0912000111",
        "dia_chi_nguoi_yeu_cau": {"text": "Tổ 1", "ward_code": "07795"},
    }
    person, sources = from_values(nb, values, Applicant("", phone="0988000999"))
    assert (person.name, person.phone, person.address) == ("Lê Thị Thu", "0988000999", "Tổ 1, Phường Nếnh, Tỉnh Bắc Ninh")
    assert person.residence_ward_code == "07795"
    assert "phone" not in sources and sources["name"] == "ho_ten_nguoi_yeu_cau"


def test_record_columns_are_derived_from_the_form(ward_a):
    publish_form(ward_a, MARITAL)
    record = receive(ward_of(ward_a), MARITAL, sample_values(), applicant=Applicant(""), actor="x").record
    sample = sample_values()
    assert record.applicant_name == sample["ho_ten_nguoi_yeu_cau"]
    assert record.applicant_id_number == sample["cccd_nguoi_yeu_cau"]
    assert record.applicant_phone == sample["so_dien_thoai"]


def page_of(client, url: str) -> str:
    return client.get(url).get_data(as_text=True)


def test_generic_block_asks_only_the_missing_roles_and_qr_fills_the_form(client, users, ward_a):
    publish_form(ward_a, MARITAL)
    publish_form(ward_a, MARRIAGE)
    login(client, "canbo-a")
    base = f"/{ward_a.slug}/ho-so/tiep-nhan"
    marital = page_of(client, f"{base}/{MARITAL}")
    assert 'name="a.name"' not in marital and 'name="a.email"' in marital
    marriage = page_of(client, f"{base}/{MARRIAGE}")
    assert 'name="a.name"' in marriage and 'name="a.phone"' not in marriage

    token = csrf_token(client, f"{base}/{MARITAL}")
    filled = client.post(
        f"{base}/{MARITAL}", data={"csrf_token": token, "qr": QR, "qr_prefill": "1"}
    ).get_data(as_text=True)
    assert re.search(r'name="v.ho_ten_nguoi_yeu_cau"[^>]*value="Vũ Hoàng Nam"', filled)
    assert re.search(r'name="v.cccd_nguoi_yeu_cau"[^>]*value="024096003333"', filled)
    assert re.search(r'name="v.ngay_sinh"[^>]*value="1996-11-05"', filled)
    assert "Tổ 3, phường Nếnh" in filled
    assert "Cần nhập" not in filled  # a prefill is not a save attempt

    into_generic = client.post(
        f"{base}/{MARRIAGE}", data={"csrf_token": token, "qr": QR, "qr_prefill": "1"}
    ).get_data(as_text=True)
    assert re.search(r'name="a.name" value="Vũ Hoàng Nam"', into_generic)


def test_first_form_is_quiet_and_fees_wait_for_their_inputs(client, users, ward_a):
    publish_form(ward_a, CERTIFY)
    login(client, "canbo-a")
    url = f"/{ward_a.slug}/ho-so/tiep-nhan/{CERTIFY}"
    first = page_of(client, url)
    assert "Cần nhập" not in first and 'data-errors="touched"' in first
    assert re.findall(r"<output data-display>([^<]*)</output>", first) == ["—", "—"]
    token = csrf_token(client, url)
    attempt = client.post(url, data={"csrf_token": token, "channel": "direct"})
    assert attempt.status_code == 422
    body = attempt.get_data(as_text=True)
    assert "Cần nhập" in body and 'data-errors="all"' in body

    def fee(values: dict) -> dict:
        answer = client.post(
            f"{url}/danh-gia",
            data=json.dumps({"values": values}),
            content_type="application/json",
            headers={"X-CSRFToken": token},
        ).json
        return {c["name"]: c["display"] for c in answer["cells"].values() if c["kind"] == "formula"}

    assert fee({}) == {"phi_mot_ban": "—", "le_phi": "—"}
    assert fee({"so_trang": "3", "so_ban": "2"}) == {"phi_mot_ban": "5.000 đ", "le_phi": "10.000 đ"}
    assert fee({"so_trang": "250", "so_ban": "1"})["phi_mot_ban"] == "200.000 đ"


def test_record_page_renders_data_as_the_pinned_version(client, users, ward_a):
    publish_form(ward_a, MARITAL)
    values = {
        **sample_values(),
        "noi_cu_tru_truoc": [{"dia_chi": "Thôn Vân Trung", "tu_nam": "2010", "den_nam": "2015"}],
    }
    nb = read_ipynb(FORMS / f"{MARITAL}.ipynb")
    repeat = next(f for f in nb.fields() if f.name == "noi_cu_tru_truoc")
    values["noi_cu_tru_truoc"] = [
        {c.name: ("2010" if c.type == "integer" else "Thôn Vân Trung") for c in repeat.columns}
    ]
    documents = [
        {"key": item.key, "form": item.form, "count": 2}
        for cell in nb.cells
        if cell.kind == "documents"
        for item in cell.document_items()
    ][:1]
    record = receive(ward_of(ward_a), MARITAL, values, applicant=Applicant(""), documents=documents, actor="x"
    ).record
    login(client, "canbo-a")
    page = page_of(client, f"/{ward_a.slug}/ho-so/{record.code}")
    labels = {f.name: f.label["vi"] for f in nb.fields()}
    assert labels["ho_ten_nguoi_yeu_cau"] in page and ">ho_ten_nguoi_yeu_cau<" not in page
    birth = str(record.data["ngay_sinh"])
    assert f"{birth[8:10]}/{birth[5:7]}/{birth[:4]}" in page  # dd/mm/yyyy
    marital = next(f for f in nb.fields() if f.name == "tinh_trang_hon_nhan")
    chosen = next(c for c in marital.choices if c.code == record.data["tinh_trang_hon_nhan"])
    assert chosen.label["vi"] in page
    assert "Lệ phí (đồng)" in page and "5.000 đ" in page  # formula with its label, money
    assert "Không" in page  # yes/no
    assert "Thôn Vân Trung" in page and '<th scope="col">' in page  # repeat as a table
    assert documents[0]["count"] == 2 and "<td>2</td>" in page
    assert '<details class="action"' in page


def test_demo_fills_the_documents_received(app, ward_a):
    from motcua.records.demo import seed_records

    publish_form(ward_a, MARITAL)
    seed_records(lambda tenant: ward_of(tenant, app))
    records = list(Record.select().where(Record.tenant == ward_a))
    assert records and all(r.documents for r in records)
    assert all(d["name"]["vi"] and d["count"] >= 1 for r in records for d in r.documents)
    assert all(r.applicant_name == r.data["ho_ten_nguoi_yeu_cau"] for r in records)


def test_qr_contradicting_its_number_fills_the_form_with_a_warning(client, users, ward_a):
    publish_form(ward_a, MARITAL)
    login(client, "canbo-a")
    url = f"/{ward_a.slug}/ho-so/tiep-nhan/{MARITAL}"
    token = csrf_token(client, url)
    # 4th digit 0 (a man born in the 1900s), the card says Nữ.
    woman = QR.replace("|Nam|", "|Nữ|")
    page = client.post(url, data={"csrf_token": token, "qr": woman, "qr_prefill": "1"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert re.search(r'name="v.cccd_nguoi_yeu_cau"[^>]*value="024096003333"', html)
    assert 'role="alert"' in html and "Thông tư 59/2021/TT-BCA" in html
    plain = client.post(url, data={"csrf_token": token, "qr": QR, "qr_prefill": "1"})
    assert "59/2021" not in plain.get_data(as_text=True)
