"""Template layers: built-in -> plugin -> province -> ward -> procedure, each previewed on
sample data; broken and hostile templates are refused with the line, and the server goes on."""

from __future__ import annotations

import re
from datetime import datetime

import pypdfium2
import pytest

from conftest import REPO, csrf_token, login, ward_of
from motcua.app import create_app
from motcua.db import database
from motcua.plugin_api import PrintTemplate, T, hookimpl
from motcua.plugins import plugin_host
from motcua.plugins.store import enable_plugin
from motcua.printing import FORMS, PrintRenderer, sample_context
from motcua.printing.jobs import pdf_for, print_record
from motcua.printing.layers import (
    layer_stack,
    reset_override,
    resolve,
    save_override,
    standalone_source,
)
from motcua.printing.models import WardTemplate
from motcua.printing.runtime import process_renderers
from motcua.printing.templating import TemplateFailed
from motcua.records import Applicant, receive
from records_support import MARITAL, publish_form, sample_values

PLUGIN_SLIP = "<html><body><h1>Phiếu hẹn của tiện ích {{ record.code }}</h1></body></html>"


class SlipPlugin:
    plugin_name = "phieu-hen-rieng"

    @hookimpl
    def register_print_templates(self):  # noqa: ANN201
        return [
            PrintTemplate(
                form="01", name=T("Phiếu hẹn riêng", "Own slip"), source=PLUGIN_SLIP, paper="A5"
            )
        ]


def pdf_text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def ward_slip(code: str) -> str:
    return (
        "<html><body><p>Phiếu hẹn phường {{ agency.place }} "
        + code
        + " {{ record.code }}</p></body></html>"
    )


def test_builtin_standalone_source_prints_like_the_builtin():
    renderer = PrintRenderer()
    strip = lambda html: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()  # noqa: E731
    for form in FORMS:
        context = sample_context(form)
        assert strip(renderer.render_html(form, context)) == strip(
            renderer.render_html(form, context, template_source=standalone_source(form))
        ), form


def test_layer_order(migrated_db, tmp_path, ward_a):
    app = create_app(
        {
            "database_url": migrated_db,
            "data_dir": tmp_path / "d2",
            "secret_key": "x",
            "testing": True,
            "tenants_dir": REPO / "tenants",
            "plugins": [SlipPlugin()],
            "plugin_entry_points": False,
        }
    )
    database.connect(reuse_if_open=True)
    renderers = process_renderers()
    assert [layer.layer for layer in layer_stack(ward_of(ward_a, app), "01")] == [
        "builtin"
    ]  # not enabled in the ward
    enable_plugin("phieu-hen-rieng", ward_a, "quantri-a", host=plugin_host(app))
    assert [layer.layer for layer in layer_stack(ward_of(ward_a, app), "01")] == ["builtin", "plugin"]
    save_override(
        renderers,
        form="01",
        source=ward_slip("TINH"),
        paper="A4",
        actor="tinh-a",
        province_code=ward_a.province_code,
    )
    assert resolve(ward_of(ward_a, app), "01").layer == "province"
    saved = save_override(
        renderers,
        form="01",
        source=ward_slip("PHUONG"),
        paper="A4",
        actor="quantri-a",
        tenant=ward_a,
    )
    stack = layer_stack(ward_of(ward_a, app), "01")
    assert [layer.layer for layer in stack] == ["builtin", "plugin", "province", "ward"]
    assert stack[-1].content_hash == saved.content_hash and saved.number == 1
    reset_override(form="01", actor="quantri-a", tenant=ward_a)
    assert resolve(ward_of(ward_a, app), "01").layer == "province"
    assert WardTemplate.select().where(WardTemplate.tenant == ward_a).count() == 2  # history kept


def test_ward_override_changes_only_that_wards_slip(app, ward_a, ward_b):
    for tenant in (ward_a, ward_b):
        publish_form(tenant, MARITAL)
    received = {
        t.code: receive(
            ward_of(t),
            MARITAL,
            sample_values(),
            applicant=Applicant("Trần Văn Ưng"),
            actor="canbo",
            now=datetime(2026, 3, 2, 9, 0),
        ).record
        for t in (ward_a, ward_b)
    }
    save_override(
        process_renderers(),
        form="01",
        source=ward_slip("RIENG"),
        paper="A5",
        actor="quantri-a",
        tenant=ward_a,
    )
    job_a = print_record(ward_of(ward_a), received[ward_a.code].code, "01", actor="canbo")
    job_b = print_record(ward_of(ward_b), received[ward_b.code].code, "01", actor="canbo")
    assert (
        job_a.template_layer == "ward" and job_a.paper == "A5" and job_b.template_layer == "builtin"
    )
    # A newer ward version does not change what job_a recorded: it prints its own hash.
    save_override(
        process_renderers(),
        form="01",
        source=ward_slip("MOI"),
        paper="A4",
        actor="quantri-a",
        tenant=ward_a,
    )
    text_a = pdf_text(pdf_for(ward_of(job_a.tenant), job_a))
    assert "Phiếu hẹn phường Nếnh RIENG" in text_a and received[ward_a.code].code in text_a
    text_b = pdf_text(pdf_for(ward_of(job_b.tenant), job_b))
    assert "Phiếu hẹn phường" not in text_b and "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text_b


def test_procedure_template_cell_prints_with_the_records_values(app, ward_a):
    publish_form(ward_a, MARITAL)
    values = sample_values()
    record = receive(
        ward_of(ward_a),
        MARITAL,
        values,
        applicant=Applicant("Trần Văn Ưng"),
        actor="canbo",
        now=datetime(2026, 3, 2, 9, 0),
    ).record
    job = print_record(ward_of(ward_a), record.code, "giay_xac_nhan_nhap", actor="canbo")
    assert job.template_layer == "procedure"
    text = pdf_text(pdf_for(ward_of(job.tenant), job))
    assert record.code in text and "GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN" in text


def test_broken_template_is_refused_with_its_line(app, ward_a):
    with pytest.raises(TemplateFailed) as failed:
        save_override(
            process_renderers(),
            form="01",
            source="<p>ok</p>\n<p>{{ record.code }</p>",
            paper="A4",
            actor="quantri-a",
            tenant=ward_a,
        )
    assert failed.value.details["line"] == 2 and "Dòng 2" in str(failed.value)
    assert WardTemplate.select().count() == 0


HOSTILE = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    '<img src="file:///etc/passwd">',
    '<link rel="stylesheet" href="http://example.com/x.css">',
    "{% include 'base.html' %}",
    "{% for i in range(100000) %}{% for j in range(100000) %}xxxxxxxxxx{% endfor %}{% endfor %}",
]


def test_admin_editor_refuses_hostile_templates_and_keeps_serving(client, users, ward_a):
    login(client, "quantri-a")
    page = f"/{ward_a.slug}/mau-in/01"
    editor = client.get(page).get_data(as_text=True)
    assert (
        "<textarea" in editor and "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in editor
    )  # built-in start
    token = csrf_token(client, page)
    for source in HOSTILE:
        response = client.post(
            page, data={"csrf_token": token, "source": source, "paper": "A4", "action": "save"}
        )
        assert response.status_code in (400, 422), source
        assert "Không lưu được mẫu" in response.get_data(as_text=True)
    broken = client.post(
        page, data={"csrf_token": token, "source": "<p>\n\n{% if %}</p>", "paper": "A4"}
    )
    assert broken.status_code == 422 and "Dòng 3" in broken.get_data(as_text=True)
    assert WardTemplate.select().count() == 0
    # The server keeps serving: lists, previews of each layer, a valid save.
    assert client.get(f"/{ward_a.slug}/mau-in/").status_code == 200
    preview = client.get(f"/{ward_a.slug}/mau-in/01/xem-truoc/builtin.pdf")
    assert preview.status_code == 200 and "Nguyễn Thị Hồng Ánh" in pdf_text(preview.data)
    saved = client.post(
        page,
        data={"csrf_token": token, "source": ward_slip("WEB"), "paper": "A5", "action": "save"},
    )
    assert saved.status_code == 302
    listing = client.get(f"/{ward_a.slug}/mau-in/").get_data(as_text=True)
    assert "Mẫu của phường/xã" in listing
    ward_preview = client.get(f"/{ward_a.slug}/mau-in/01/xem-truoc/ward.pdf")
    assert "Phiếu hẹn phường Nếnh WEB" in pdf_text(ward_preview.data)
    draft = client.post(
        f"/{ward_a.slug}/mau-in/01/xem-truoc",
        data={"csrf_token": token, "source": "{{ x(", "paper": "A4"},
    )
    assert draft.status_code == 422 and "Dòng 1" in draft.get_data(as_text=True)


def test_staff_cannot_edit_templates(client, users, ward_a):
    login(client, "canbo-a")
    assert client.get(f"/{ward_a.slug}/mau-in/").status_code == 403
