"""Admins import a notebook file in the browser: .ipynb or an XLSForm .xlsx drafted in Excel."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook

from conftest import csrf_token, login
from motcua.notebooks.store import NotebookDraft

FORMS = Path(__file__).resolve().parents[1] / "forms"


def _post(client, ward, name: str, data: bytes):  # noqa: ANN001, ANN202
    token = csrf_token(client, f"/{ward.slug}/quy-trinh/")
    return client.post(
        f"/{ward.slug}/quy-trinh/nhap-tep",
        data={"csrf_token": token, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def xlsform_bytes(rows: list[list[str]]) -> bytes:
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(["type", "name", "label::vi", "label::en", "required", "calculation"])
    for row in rows:
        survey.append(row)
    settings = book.create_sheet("settings")
    settings.append(["form_id", "form_title", "default_language"])
    settings.append(["ban-sao-excel", "Chứng thực bản sao (Excel)", "vi"])
    book.create_sheet("choices").append(["list_name", "name", "label::vi"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_admin_imports_an_ipynb_and_lands_in_the_editor(client, users, ward_a):
    login(client, "quantri-a")
    response = _post(
        client,
        ward_a,
        "chung-thuc-ban-sao.ipynb",
        (FORMS / "chung-thuc-ban-sao.ipynb").read_bytes(),
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/quy-trinh/chung-thuc-ban-sao/"
    )
    assert NotebookDraft.select().where(NotebookDraft.tenant == ward_a).count() == 1


def test_admin_imports_an_xlsform_workbook(client, users, ward_a):
    login(client, "quantri-a")
    data = xlsform_bytes(
        [
            ["integer", "so_trang", "Số trang", "Pages", "yes", ""],
            ["integer", "so_ban", "Số bản", "Copies", "yes", ""],
            ["calculate", "le_phi", "Lệ phí", "Fee", "", "${so_trang} * ${so_ban} * 2000"],
        ]
    )
    response = _post(client, ward_a, "ban-sao.xlsx", data)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    draft = NotebookDraft.get(NotebookDraft.tenant == ward_a)
    assert draft.key == "ban-sao-excel"


def test_bad_files_are_refused_clearly_and_nothing_is_written(client, users, ward_a):
    login(client, "quantri-a")
    bad_ipynb = (
        (FORMS / "chung-thuc-ban-sao.ipynb")
        .read_text()
        .replace('"kind": "formula"', '"kind": "nonsense"', 1)
    )
    response = _post(client, ward_a, "x.ipynb", bad_ipynb.encode())
    assert response.status_code == 422
    assert "phi-mot-ban" in response.get_data(as_text=True)  # the cell at fault is named
    disguised = _post(client, ward_a, "x.ipynb", b"MZ\x90\x00 not a notebook")
    assert disguised.status_code == 422 and "Chỉ nhận tệp notebook" in disguised.get_data(
        as_text=True
    )
    bad_row = xlsform_bytes([["select_one nowhere", "x", "X", "X", "", ""]])
    refused = _post(client, ward_a, "y.xlsx", bad_row)
    assert refused.status_code == 422 and "survey" in refused.get_data(as_text=True)
    assert NotebookDraft.select().count() == 0


def test_staff_cannot_import(client, users, ward_a):
    login(client, "canbo-a")
    response = _post(
        client,
        ward_a,
        "chung-thuc-ban-sao.ipynb",
        (FORMS / "chung-thuc-ban-sao.ipynb").read_bytes(),
    )
    assert response.status_code in (400, 403)
    assert NotebookDraft.select().count() == 0
