"""The notebook editor's endpoints, the live evaluation, the catalogue and the roles."""

from __future__ import annotations

import json
from html.parser import HTMLParser

from werkzeug.datastructures import MultiDict

from conftest import REPO, csrf_token, login
from motcua.notebooks import read_ipynb, service


class FormFields(HTMLParser):
    """Collect what a browser would submit from ``<form id=editor>`` (no button values)."""

    def __init__(self, form_id: str = "editor") -> None:
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, []
        self._textarea: str | None = None
        self._select: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "name" not in attrs and tag != "option":
            return
        if tag == "input" and attrs.get("type") not in ("checkbox", "radio", "submit"):
            self.fields.append((attrs["name"], attrs.get("value", "")))
        elif tag == "input" and attrs.get("type") == "checkbox" and "checked" in attrs:
            self.fields.append((attrs["name"], attrs.get("value", "on")))
        elif tag == "textarea":
            self._textarea, self._text = attrs["name"], ""
        elif tag == "select":
            self._select = attrs["name"]
            self.fields.append((self._select, None))
        elif tag == "option" and self._select:
            index = [i for i, (n, _) in enumerate(self.fields) if n == self._select][-1]
            if self.fields[index][1] is None or "selected" in attrs:
                self.fields[index] = (self._select, attrs.get("value", ""))

    def handle_endtag(self, tag):  # noqa: ANN001
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, self._text))
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):  # noqa: ANN001
        if self._textarea:
            self._text += data


def editor_fields(client, url: str) -> list[tuple[str, str]]:  # noqa: ANN001
    parser = FormFields()
    parser.feed(client.get(url).get_data(as_text=True))
    return [(name, value or "") for name, value in parser.fields]


def submit(client, url: str, action: str, **changes: str):  # noqa: ANN001, ANN201
    fields = [(n, v) for n, v in editor_fields(client, url) if n not in changes]
    fields += list(changes.items()) + [("action", action)]
    return client.post(url, data=MultiDict(fields))


def build_copies(client, slug: str) -> str:  # noqa: ANN001
    """Create the small certification notebook through the editor; return its URL."""
    token = csrf_token(client, f"/{slug}/quy-trinh/")
    created = client.post(
        f"/{slug}/quy-trinh/tao",
        data={
            "csrf_token": token,
            "source": "empty",
            "key": "sao-y",
            "name_vi": "Chứng thực bản sao",
            "name_en": "Copies",
        },
    )
    assert created.status_code == 302
    url = f"/{slug}/quy-trinh/sao-y/"
    for _ in range(2):
        assert submit(client, url, "add:field").status_code == 302
    assert submit(client, url, "add:formula").status_code == 302
    assert submit(client, url, "add_sample").status_code == 302
    page = submit(
        client,
        url,
        "save",
        **{
            "c.field-truong_1.name": "so_trang",
            "c.field-truong_1.type": "integer",
            "c.field-truong_1.required": "có",
            "c.field-truong_1.label_vi": "Số trang",
            "c.field-truong_2.name": "so_ban",
            "c.field-truong_2.type": "integer",
            "c.field-truong_2.required": "có",
            "c.field-truong_2.label_vi": "Số bản",
            "c.formula-cong_thuc_1.name": "le_phi",
            "c.formula-cong_thuc_1.source": "so_trang * 2000 * so_ban",
            "c.formula-cong_thuc_1.label_vi": "Lệ phí",
            "s.0.name": "Hai trang, ba bản",
            "s.0.values": '{"so_trang": 2, "so_ban": 3}',
            "s.0.expect_values": "le_phi = 10000",
        },
    )
    assert page.status_code == 302, page.get_data(as_text=True)
    return url


def test_admin_builds_runs_and_publishes(client, users, ward_a):
    login(client, "quantri-a")
    url = build_copies(client, ward_a.slug)
    nb = service.get_draft(ward_a, "sao-y").notebook()
    assert [c.meta.get("name") for c in nb.cells] == ["so_trang", "so_ban", "le_phi"]

    fields = editor_fields(client, url) + [
        ("values", json.dumps({"so_trang": "4", "so_ban": "2"})),
        ("widgets", "1"),
        ("all", "1"),
    ]
    ran = client.post(
        f"{url}chay", data=MultiDict(fields), headers={"Accept": "application/json"}
    ).get_json()
    assert ran["cells"]["formula-cong_thuc_1"]["display"] == "16.000"
    assert 'name="v.so_trang"' in ran["widgets"]["field-truong_1"]
    assert ran["readiness"]["ok"] is False and ran["readiness"]["samples"][0]["passed"] is False

    refused = submit(client, url, "publish")
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert "Hai trang, ba bản" in body and "12000" in body
    assert service.latest_version(ward_a, "sao-y") is None

    published = submit(client, url, "publish", **{"s.0.expect_values": "le_phi = 12000"})
    assert published.status_code == 302 and "published=1" in published.headers["Location"]
    assert service.latest_version(ward_a, "sao-y").number == 1

    # Deleting a field orphans data: refused until confirmed.
    submit(
        client,
        url,
        "delete:field-truong_2",
        **{
            "c.formula-cong_thuc_1.source": "so_trang * 2000",
            "s.0.values": '{"so_trang": 2}',
            "s.0.expect_values": "le_phi = 4000",
        },
    )
    orphan = submit(client, url, "publish")
    assert orphan.status_code == 409 and "so_ban" in orphan.get_data(as_text=True)
    assert submit(client, url, "publish", confirm_orphans="1").status_code == 302
    assert client.get(f"{url}phien-ban").status_code == 200
    diff = client.get(f"{url}phien-ban/1/2").get_data(as_text=True)
    assert "field-truong_2" in diff


def test_stale_save_is_refused_with_409(client, users, ward_a):
    login(client, "quantri-a")
    url = build_copies(client, ward_a.slug)
    stale = editor_fields(client, url)
    assert submit(client, url, "save", **{"nb.name_vi": "Tên mới"}).status_code == 302
    response = client.post(url, data=MultiDict(stale + [("action", "save")]))
    assert response.status_code == 409
    assert service.get_draft(ward_a, "sao-y").notebook().name["vi"] == "Tên mới"


def test_bad_cell_is_refused_naming_the_cell(client, users, ward_a):
    login(client, "quantri-a")
    url = build_copies(client, ward_a.slug)
    response = submit(client, url, "save", **{"c.field-truong_1.name": "Số trang"})
    assert response.status_code in (400, 422)
    assert "field-truong_1" in response.get_data(as_text=True)


def test_staff_may_view_but_not_edit_or_publish(client, users, ward_a):
    login(client, "quantri-a")
    url = build_copies(client, ward_a.slug)
    submit(client, url, "publish", **{"s.0.expect_values": "le_phi = 12000"})
    client.post("/logout", data={"csrf_token": csrf_token(client, f"/{ward_a.slug}/")})

    login(client, "canbo-a")
    assert client.get(url).status_code == 200
    fields = editor_fields(client, url)
    assert client.post(url, data=MultiDict(fields + [("action", "save")])).status_code == 403
    assert client.post(url, data=MultiDict(fields + [("action", "publish")])).status_code == 403
    token = csrf_token(client, f"/{ward_a.slug}/thu-tuc/")
    assert (
        client.post(
            f"/{ward_a.slug}/quy-trinh/tao", data={"csrf_token": token, "key": "x"}
        ).status_code
        == 403
    )
    assert client.post(f"{url}phien-ban/1/khoi-phuc", data={"csrf_token": token}).status_code == 403

    catalogue = client.get(f"/{ward_a.slug}/thu-tuc/?q=ban sao").get_data(as_text=True)
    assert "Chứng thực bản sao" in catalogue
    form = client.get(f"/{ward_a.slug}/thu-tuc/sao-y").get_data(as_text=True)
    assert 'name="v.so_trang"' in form and "Lệ phí" in form
    live = client.post(
        f"{url}danh-gia",
        json={"values": {"so_trang": "2", "so_ban": "3"}},
        headers={"X-CSRFToken": token, "Accept": "application/json"},
    ).get_json()
    assert live["valid"] is True and live["values"]["le_phi"] == 12000
    missing = client.post(
        f"{url}danh-gia",
        json={"values": {"so_ban": "3"}},
        headers={"X-CSRFToken": token, "Accept": "application/json"},
    ).get_json()
    assert missing["valid"] is False and "so_trang" in missing["errors"]


def test_library_copy_and_template_preview(client, users, ward_a):
    login(client, "quantri-a")
    nb = read_ipynb(REPO / "forms" / "chung-thuc-ban-sao.ipynb")
    service.create_draft(ward_a, nb, actor="test")
    url = f"/{ward_a.slug}/quy-trinh/{nb.key}/"
    page = client.get(url)
    assert page.status_code == 200 and "so_trang" in page.get_data(as_text=True)
    template = next(cell for cell in nb.cells if cell.kind == "template")
    pdf = client.get(f"{url}mau-in/{template.id}?sample=0")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    exported = client.get(f"{url}tai-ve")
    assert read_ipynb(exported.get_data(as_text=True)).content_hash() == nb.content_hash()
