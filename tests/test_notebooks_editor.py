"""The editor's widgets and tools: ward search and old addresses on the server, address
validation, sanitized Markdown, the unsaved template preview, run-one-cell, and the
province layer seen by a province admin and by a ward admin."""

from __future__ import annotations

import html
import json
from html.parser import HTMLParser

import pytest
from werkzeug.datastructures import MultiDict

from conftest import PASSWORD, REPO, csrf_token, login, make_tenant
from motcua.notebooks import FieldTypeRegistry, read_ipynb, service
from motcua.notebooks.model import FieldDef
from motcua.notebooks.store import ProvinceNotebookVersion
from motcua.web.form_render import render_markdown
from test_notebooks_web import build_copies, editor_fields, submit

COPIES = REPO / "forms" / "chung-thuc-ban-sao.ipynb"


# ---------------------------------------------------------------- ward picker endpoints


def test_ward_search_defaults_to_the_wards_province_and_caps_results(client, users, ward_a):
    login(client, "canbo-a")
    found = client.get(f"/{ward_a.slug}/don-vi/tim?q=nenh").get_json()
    assert found["province"] == ward_a.province_code
    assert [w["code"] for w in found["results"]] == ["07795"]
    assert found["results"][0]["label"] == "Phường Nếnh, Tỉnh Bắc Ninh"

    blank = client.get(f"/{ward_a.slug}/don-vi/tim?q=").get_json()["results"]
    assert len(blank) == 20 and {w["province_code"] for w in blank} == {ward_a.province_code}
    assert len(client.get(f"/{ward_a.slug}/don-vi/tim?q=a&limit=500").get_json()["results"]) == 20

    # Yên Tử is in Quảng Ninh: not found in Bắc Ninh, found country-wide.
    here = client.get(f"/{ward_a.slug}/don-vi/tim?q=yen tu").get_json()["results"]
    assert "06832" not in [w["code"] for w in here]
    everywhere = client.get(f"/{ward_a.slug}/don-vi/tim?q=yen tu&tinh=*").get_json()["results"]
    assert "06832" in [w["code"] for w in everywhere]
    unknown = client.get(f"/{ward_a.slug}/don-vi/tim?q=a&tinh=99")
    assert unknown.status_code == 404 and "99" in unknown.get_json()["error"]["text"]


def test_old_address_conversion_gives_the_hint_and_candidates(client, users, ward_a):
    login(client, "canbo-a")
    answer = client.get(
        f"/{ward_a.slug}/don-vi/dia-chi-cu",
        query_string={"q": "Xã Vân Trung, Huyện Việt Yên, Tỉnh Bắc Giang"},
    ).get_json()
    assert "Vân Trung" in answer["hint"] and "cũ nay thuộc Phường Nếnh" in answer["hint"]
    assert [w["code"] for w in answer["candidates"]] == ["07795"]
    nothing = client.get(f"/{ward_a.slug}/don-vi/dia-chi-cu?q=abc").get_json()
    assert nothing["candidates"] == [] and nothing["hint"]


def test_ward_search_needs_a_signed_in_member(client, users, ward_a, ward_b):
    assert client.get(f"/{ward_a.slug}/don-vi/tim?q=nenh").status_code == 302
    login(client, "canbo-b")
    assert client.get(f"/{ward_a.slug}/don-vi/tim?q=nenh").status_code == 403


# ---------------------------------------------------------------- address validation


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ({"text": "Thôn Trung", "ward_code": "07795"}, None),
        ({"text": "Thôn Trung", "ward_code": None}, None),
        ('{"text": "Thôn Trung", "ward_code": "07795"}', None),
        ({"text": "Thôn Trung", "ward_code": "99999"}, "99999"),
        ({"text": "Thôn Trung", "ward_code": "07794"}, "07794"),
    ],
)
def test_address_ward_code_must_exist(raw, problem):
    field = FieldDef.from_meta(
        {"name": "dia_chi", "type": "address", "label": {"vi": "Địa chỉ", "en": "Address"}}, "x"
    )
    value, error = FieldTypeRegistry.default().parse_value(field, raw)
    assert value["text"] == "Thôn Trung"
    if problem is None:
        assert error is None
    else:
        assert error is not None and problem in error.render("vi") and "2025" in error.render("vi")


def test_ward_choice_field_checks_the_code_on_the_server():
    field = FieldDef.from_meta(
        {
            "name": "noi_cu_tru",
            "type": "choice",
            "choices_source": "wards",
            "label": {"vi": "Nơi cư trú", "en": "Residence"},
        },
        "x",
    )
    registry = FieldTypeRegistry.default()
    assert registry.parse_value(field, "06832") == ("06832", None)
    _, error = registry.parse_value(field, "12345")
    assert error is not None and "12345" in error.render("en")


def test_address_widget_carries_the_picker_and_its_urls(client, users, ward_a):
    login(client, "quantri-a")
    nb = read_ipynb(COPIES)
    data = json.loads(json.dumps(nb.samples[0].values))
    data["dia_chi_nguoi_yeu_cau"] = {"text": "Thôn Trung", "ward_code": "07795"}
    service.create_draft(ward_a, nb, actor="test")
    url = f"/{ward_a.slug}/quy-trinh/{nb.key}/"
    page = client.get(url).get_data(as_text=True)
    assert "data-ward-picker" in page and f"/{ward_a.slug}/don-vi/tim" in page
    assert 'role="combobox"' in page and "address-picker.js" in page
    fields = editor_fields(client, url) + [("values", json.dumps(data)), ("widgets", "1")]
    ran = client.post(f"{url}chay", data=MultiDict(fields)).get_json()
    widget = ran["widgets"]["dia-chi-nguoi-yeu-cau"]
    # The picked ward is shown, and kept as JSON in the hidden value (HTML-escaped there).
    assert "Phường Nếnh, Tỉnh Bắc Ninh" in widget and '"ward_code": "07795"' in html.unescape(widget)
    data["dia_chi_nguoi_yeu_cau"] = {"text": "Thôn Trung", "ward_code": "99999"}
    fields[-2] = ("values", json.dumps(data))
    ran = client.post(f"{url}chay", data=MultiDict(fields)).get_json()
    assert "99999" in ran["errors"]["dia_chi_nguoi_yeu_cau"]


# ---------------------------------------------------------------- markdown


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        self.tags.append((tag, dict(attrs)))


HOSTILE = """# Hướng dẫn

<script>alert(1)</script>
<iframe src="https://example.com"></iframe>
<img src=x onerror="alert(1)">
[bấm](javascript:alert(1)) [bấm 2](JaVaScRiPt:alert(2)) [bấm 3](&#106;avascript:alert(3))
<javascript:alert(4)>
![ảnh](javascript:alert(5))
<a href="javascript:alert(6)" onclick="alert(7)">x</a>
[được](https://dichvucong.gov.vn) **đậm**
"""


def test_hostile_markdown_is_sanitized():
    html = str(render_markdown(HOSTILE))
    parser = Elements()
    parser.feed(html)
    tags = [tag for tag, _ in parser.tags]
    assert "script" not in tags and "iframe" not in tags
    for _tag, attrs in parser.tags:
        assert not any(name.startswith("on") for name in attrs)
        for name in ("href", "src"):
            assert not (attrs.get(name) or "").strip().lower().startswith("javascript")
    assert '<a href="https://dichvucong.gov.vn"' in html and "<strong>đậm</strong>" in html
    assert "<h1>Hướng dẫn</h1>" in html


def test_markdown_cell_output_in_editor_and_form(client, users, ward_a):
    login(client, "quantri-a")
    url = build_copies(client, ward_a.slug)
    assert submit(client, url, "add:markdown").status_code == 302
    cell_id = "markdown-1"
    response = submit(client, url, "save", **{f"c.{cell_id}.source": HOSTILE})
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert f'data-markdown-for="{cell_id}"' in page and "<strong>đậm</strong>" in page
    assert "<script>alert" not in page
    fields = editor_fields(client, url)
    fields = [(n, v) for n, v in fields if n != f"c.{cell_id}.source"]
    fields.append((f"c.{cell_id}.source", "Mới: *nghiêng* <script>x</script>"))
    ran = client.post(f"{url}chay", data=MultiDict(fields)).get_json()
    assert ran["markdown"][cell_id].startswith("<p>Mới: <em>nghiêng</em>")
    assert "<script>" not in ran["markdown"][cell_id]


# ---------------------------------------------------------------- template preview, run one cell


def _copies_draft(client, ward_a):  # noqa: ANN001, ANN202
    login(client, "quantri-a")
    nb = read_ipynb(COPIES)
    service.create_draft(ward_a, nb, actor="test")
    return nb, f"/{ward_a.slug}/quy-trinh/{nb.key}/"


def test_template_preview_renders_the_unsaved_source(client, users, ward_a):
    nb, url = _copies_draft(client, ward_a)
    template = next(cell for cell in nb.cells if cell.kind == "template")
    fields = [(n, v) for n, v in editor_fields(client, url) if n != f"c.{template.id}.source"]
    unsaved = fields + [
        (f"c.{template.id}.source", "<h1>{{ ho_ten_nguoi_yeu_cau }} — {{ le_phi }}</h1>"),
        ("run_sample", "0"),
    ]
    pdf = client.post(f"{url}mau-in/{template.id}", data=MultiDict(unsaved))
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert pdf.mimetype == "application/pdf"

    broken = fields + [(f"c.{template.id}.source", "<p>ok</p>\n<p>{{ le_phi | khong_co }}</p>")]
    failed = client.post(f"{url}mau-in/{template.id}", data=MultiDict(broken))
    assert failed.status_code == 422
    error = failed.get_json()["error"]
    assert error["cell_id"] == template.id and error["line"] == 2
    assert error["text"].startswith("Dòng 2:")
    # The saved draft did not change.
    assert service.get_draft(ward_a, nb.key).notebook().cell(template.id).source == template.source
    assert client.post(f"{url}mau-in/le-phi", data=MultiDict(fields)).status_code == 404


def test_run_one_cell_answers_that_cell_only(client, users, ward_a):
    nb, url = _copies_draft(client, ward_a)
    fields = editor_fields(client, url) + [("only", "le-phi"), ("widgets", "1")]
    ran = client.post(f"{url}chay", data=MultiDict(fields)).get_json()
    assert list(ran["cells"]) == ["le-phi"] and ran["only"] == "le-phi"
    assert ran["cells"]["le-phi"]["display"].startswith("12.000") and ran["widgets"] == {}


def test_refused_publish_points_to_the_failing_cell(client, users, ward_a):
    login(client, "quantri-a")
    url = build_copies(client, ward_a.slug)
    refused = submit(
        client, url, "publish", **{"c.formula-cong_thuc_1.source": "so_trang * khong_ton_tai"}
    )
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert 'data-problem-cell="formula-cong_thuc_1"' in body
    assert 'data-saved="1"' in body  # the form itself was saved before publishing failed


# ---------------------------------------------------------------- province layer


def test_province_admin_publishes_for_the_province_and_ward_admin_overrides(client, users, ward_a):
    from motcua.accounts.service import create_user

    neighbour = make_tenant("07210")  # Phường Bắc Giang, also in Bắc Ninh
    create_user("quantri-c", PASSWORD, role="ward_admin", tenant=neighbour)

    # The province admin drafts the library notebook and publishes it for the province.
    login(client, "tinh-a")
    token = csrf_token(client, f"/{ward_a.slug}/quy-trinh/")
    key = read_ipynb(COPIES).key
    client.post(
        f"/{ward_a.slug}/quy-trinh/tao",
        data={"csrf_token": token, "source": "library", "key": key},
    )
    url = f"/{ward_a.slug}/quy-trinh/{key}/"
    assert 'name="scope"' in client.get(url).get_data(as_text=True)
    published = submit(client, url, "publish", scope="province")
    assert published.status_code == 302, published.get_data(as_text=True)
    assert ProvinceNotebookVersion.select().where(ProvinceNotebookVersion.key == key).count() == 1
    assert service.effective_version(neighbour, key).source == "province"
    client.post("/logout", data={"csrf_token": csrf_token(client, f"/{ward_a.slug}/")})

    # The neighbour's admin sees which cells may change and overrides the fee formula.
    login(client, "quantri-c")
    index = client.get(f"/{neighbour.slug}/quy-trinh/").get_data(as_text=True)
    assert "Sửa phần phường được đổi" in index
    token = csrf_token(client, f"/{neighbour.slug}/quy-trinh/")
    client.post(
        f"/{neighbour.slug}/quy-trinh/tao",
        data={"csrf_token": token, "source": "province", "key": key},
    )
    url = f"/{neighbour.slug}/quy-trinh/{key}/"
    page = client.get(url).get_data(as_text=True)
    assert page.count("Phường/xã được sửa</span>") == 2  # phi-mot-ban and loi-chung
    assert "Do tỉnh quy định, không sửa được" in page
    assert 'value="add:field"' not in page and 'value="delete:le-phi"' not in page

    # A non-overridable cell: the editor's checks and the publish both name it.
    sneaky = {"c.le-phi.source": "phi_mot_ban * so_ban + 1000"}
    fields = [(n, v) for n, v in editor_fields(client, url) if n not in sneaky]
    ran = client.post(
        f"{url}chay", data=MultiDict(fields + list(sneaky.items()) + [("all", "1")])
    ).get_json()
    assert ran["readiness"]["ok"] is False
    assert any(i["cell_id"] == "le-phi" for i in ran["readiness"]["issues"])
    refused = submit(client, url, "publish", **sneaky)
    assert refused.status_code == 400
    text = refused.get_data(as_text=True)
    assert "Ô `le-phi` do tỉnh quy định" in text and 'data-problem-cell="le-phi"' in text
    assert service.latest_version(neighbour, key).source == "province"
    assert not service.latest_version(neighbour, key).overrides.get("cells")

    # The overridable fee formula: published as the ward's override, diff shown.
    fee = (
        "if(is_blank(so_trang), null, min(200000, "
        "if(so_trang <= 2, 2000 * so_trang, 2000 + 1000 * so_trang)))"
    )
    published = submit(
        client,
        url,
        "publish",
        **{"c.le-phi.source": "phi_mot_ban * so_ban", "c.phi-mot-ban.source": fee},
    )
    assert published.status_code == 302, published.get_data(as_text=True)
    version = service.latest_version(neighbour, key)
    assert version.source == "province" and list(version.overrides["cells"]) == ["phi-mot-ban"]
    assert version.notebook().cell("phi-mot-ban").source == fee
    page = client.get(url).get_data(as_text=True)
    assert "Khác với notebook của tỉnh" in page and fee.replace("<", "&lt;") in page
    # Ward A, where the province admin worked, is untouched by the neighbour's override.
    assert "2000 + 1000 * so_trang" not in json.dumps(
        service.effective_version(ward_a, key).content
    )


def test_the_editor_marks_applicant_fields_and_toggles_required(client, users, ward_a):
    from motcua.records.applicant import missing_roles

    login(client, "quantri-a")
    url = build_copies(client, ward_a.slug)
    page = client.get(url).get_data(as_text=True)
    assert 'name="c.field-truong_1.applicant"' in page and 'name="c.field-truong_1.required_mode"' in page
    saved = submit(
        client,
        url,
        "save",
        **{
            "c.field-truong_1.name": "ho_ten",
            "c.field-truong_1.type": "text",
            "c.field-truong_1.applicant": "name",
            "c.field-truong_1.required_mode": "yes",
            "c.field-truong_1.required": "",
            "c.field-truong_2.required_mode": "no",
            "c.field-truong_2.required": "",
            "s.0.values": '{"ho_ten": "Lê Văn An", "so_ban": 3}',
            "s.0.expect_values": "",
        },
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)[:3000]
    nb = service.get_draft(ward_a, "sao-y").notebook()
    first, second = nb.fields()[:2]
    assert first.applicant == "name" and first.required is True and second.required is False
    assert "name" not in missing_roles(nb)  # reception no longer asks the name separately
    page = client.get(url).get_data(as_text=True)
    assert '<option value="name" selected>' in page
    refused = submit(client, url, "save", **{"c.field-truong_2.applicant": "name"})
    assert refused.status_code == 400  # one role, one field
    assert service.get_draft(ward_a, "sao-y").notebook().fields()[1].applicant is None
