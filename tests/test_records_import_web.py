"""The ward admin's import page: check the file first, then import it."""

from __future__ import annotations

import io

from conftest import csrf_token, login
from motcua.records.models import Record
from records_support import MARITAL, publish_form
from test_records_import import BAD_ROWS, GOOD_ROWS, HEADER_VI


def upload(client, rows, strict=False):  # noqa: ANN001, ANN201
    body = ("\n".join([HEADER_VI, *rows]) + "\n").encode()
    data = {
        "csrf_token": csrf_token(client, "/phuong-nenh/nhap-ho-so/"),
        "file": (io.BytesIO(body), "van-trung.csv"),
    }
    if strict:
        data["strict"] = "1"
    return client.post("/phuong-nenh/nhap-ho-so/", data=data, content_type="multipart/form-data")


def test_preview_then_import(app, client, users, ward_a):
    publish_form(ward_a, MARITAL)
    login(client, "quantri-a")
    assert "Nhập hồ sơ từ hệ thống cũ" in client.get("/phuong-nenh/").get_data(as_text=True)
    preview = upload(client, [GOOD_ROWS[0], GOOD_ROWS[1], BAD_ROWS[0]])
    text = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "3 dòng: 2 hồ sơ sẽ nhập, 0 đã có, 1 dòng bị từ chối. Chưa ghi gì." in text
    assert "VT-2025-0101" in text and "Trạng thái “đang chờ” không rõ" in text
    assert Record.select().count() == 0  # the check wrote nothing
    stored = text.split('action="/phuong-nenh/nhap-ho-so/')[1].split('"')[0]
    done = client.post(
        f"/phuong-nenh/nhap-ho-so/{stored}",
        data={
            "csrf_token": csrf_token(client, "/phuong-nenh/nhap-ho-so/"),
            "name": "van-trung.csv",
        },
    )
    assert done.status_code == 200
    assert "2 hồ sơ đã nhập, 0 đã có, 1 dòng bị từ chối." in done.get_data(as_text=True)
    assert sorted(r.legacy_code for r in Record.select()) == ["VT-2025-0101", "VT-2025-0102"]
    again = client.post(
        f"/phuong-nenh/nhap-ho-so/{stored}",
        data={"csrf_token": csrf_token(client, "/phuong-nenh/nhap-ho-so/")},
    )
    assert again.status_code == 404  # the checked file is used once


def test_strict_preview_offers_no_import(app, client, users, ward_a):
    publish_form(ward_a, MARITAL)
    login(client, "quantri-a")
    text = upload(client, [GOOD_ROWS[0], BAD_ROWS[0]], strict=True).get_data(as_text=True)
    assert "1 dòng bị từ chối" in text and 'action="/phuong-nenh/nhap-ho-so/' not in text


def test_bad_files_are_refused_with_a_message(app, client, users, ward_a):
    login(client, "quantri-a")
    token = csrf_token(client, "/phuong-nenh/nhap-ho-so/")
    wrong = client.post(
        "/phuong-nenh/nhap-ho-so/",
        data={"csrf_token": token, "file": (io.BytesIO(b"x"), "a.pdf")},
        content_type="multipart/form-data",
    )
    assert wrong.status_code == 400 and "Chỉ nhận tệp .csv hoặc .xlsx" in wrong.get_data(
        as_text=True
    )
    body = b"Ma ho so,Cot la\nA,1\n"
    odd = client.post(
        "/phuong-nenh/nhap-ho-so/",
        data={"csrf_token": token, "file": (io.BytesIO(body), "a.csv")},
        content_type="multipart/form-data",
    )
    assert (
        odd.status_code == 400
        and "Cột “Cot la” không có trong danh sách cột nhập" in odd.get_data(as_text=True)
    )


def test_staff_cannot_import(app, client, users, ward_a):
    login(client, "canbo-a")
    assert client.get("/phuong-nenh/nhap-ho-so/").status_code == 403
