"""Every untrusted string is valid text: lone surrogates, NUL and over-long fields are
refused at the edge with 400 and a message naming the field, never a 500."""

from __future__ import annotations

import json

import pytest
from werkzeug.datastructures import MultiDict

from conftest import REPO, csrf_token, login
from motcua.accounts.service import create_token
from motcua.errors import UserError
from motcua.notebooks import read_ipynb, service
from motcua.text_input import MAX_FIELD_CHARS, check_tree
from records_support import MARITAL, publish_form, sample_values
from test_notebooks_web import editor_fields


@pytest.mark.parametrize("bad", ["\ud800", "a\udfffb", "x\x00y", "x" * (MAX_FIELD_CHARS + 1)])
def test_bad_text_anywhere_in_json_is_refused(bad):
    for value in ({"a": bad}, {"a": [1, {"b": bad}]}, {bad: 1}):
        with pytest.raises(UserError) as refused:
            check_tree(value)
        assert refused.value.status == 400
    check_tree({"ho_ten": "Nguyễn Văn An", "so": [1, 2.5, None, True]})


def test_the_api_refuses_a_lone_surrogate_with_400(client, users, ward_a):
    publish_form(ward_a, MARITAL)
    _, token = create_token(ward_a, users.staff_a)
    body = {"procedure": MARITAL, "values": {**sample_values(), "ho_ten_nguoi_yeu_cau": "An\ud800"},
            "applicant": {"name": "Vũ Hoàng Nam"}}
    answer = client.post("/api/v1/records", data=json.dumps(body), content_type="application/json",
                         headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 400 and "ho_ten_nguoi_yeu_cau" in answer.json["error"]["field"]


def test_the_editor_routes_refuse_bad_text_with_400(client, users, ward_a):
    nb = read_ipynb(REPO / "forms" / "dang-ky-khai-sinh.ipynb")
    service.import_notebook(ward_a, nb, actor="test")
    url = f"/{ward_a.slug}/quy-trinh/{nb.key}/"
    login(client, "quantri-a")
    token = csrf_token(client, url)
    live = client.post(f"{url}danh-gia?draft=1", data='{"values": {"x": "\\ud800"}}',
                       content_type="application/json", headers={"X-CSRFToken": token, "Accept": "application/json"})
    assert live.status_code == 400, live.get_data(as_text=True)[:300]
    fields = MultiDict([*editor_fields(client, url), ("values", '{"x": "\\ud800"}')])
    ran = client.post(f"{url}chay", data=fields, headers={"Accept": "application/json"})
    assert ran.status_code == 400, ran.get_data(as_text=True)[:300]
    nul = client.post(f"{url}chay", data={"csrf_token": token, "cell-1-source": "1\x00"},
                      headers={"Accept": "application/json"})
    assert nul.status_code == 400


def test_forms_and_queries_refuse_nul_and_over_long_fields(client, ward_a):
    token = csrf_token(client)
    answer = client.post("/login", data={"login": "canbo\x00-a", "password": "x" * 12, "csrf_token": token})
    assert answer.status_code == 400 and "login" in answer.get_data(as_text=True)
    assert client.get(f"/{ward_a.slug}/tra-cuu?ma=" + "A" * (MAX_FIELD_CHARS + 1)).status_code == 400
