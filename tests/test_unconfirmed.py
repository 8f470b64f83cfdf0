"""Legal data nobody confirmed is visible: a badge on each cell a note names, a notice to
the ward admin, a mark in the catalogues, until a person confirms it (audited)."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from conftest import login
from motcua.audit import AuditLog
from motcua.notebooks import read_ipynb, service
from motcua.notebooks.unconfirmed import badges, cells_named
from records_support import FORMS, MARITAL, publish_form
from test_notebooks_web import editor_fields


def test_notes_name_the_cells_they_are_about():
    nb = read_ipynb(FORMS / f"{MARITAL}.ipynb")
    fee_note = next(n for n in nb.unconfirmed if n.startswith("muc_le_phi"))
    named = cells_named(nb, fee_note)
    assert named and all(nb.cell(c).meta.get("name") == "muc_le_phi" for c in named)
    assert set(badges(nb)) >= set(named)


def test_the_admin_sees_and_confirms_unconfirmed_values(client, users, ward_a):
    publish_form(ward_a, MARITAL)
    nb = read_ipynb(FORMS / f"{MARITAL}.ipynb")
    login(client, "quantri-a")
    listing = client.get(f"/{ward_a.slug}/quy-trinh/").get_data(as_text=True)
    assert 'id="unconfirmed-notice"' in listing
    assert f'data-unconfirmed-count="{len(nb.unconfirmed)}"' in listing
    catalogue = client.get(f"/{ward_a.slug}/thu-tuc/").get_data(as_text=True)
    assert "Có giá trị chưa xác nhận" in catalogue

    url = f"/{ward_a.slug}/quy-trinh/{MARITAL}/"
    page = client.get(url).get_data(as_text=True)
    assert f"{len(nb.unconfirmed)} giá trị pháp lý chưa được xác nhận" in page
    fee_cell = cells_named(nb, nb.unconfirmed[0])[0]
    head = page.split(f'id="title-{fee_cell}"', 1)[1].split("</h2>", 1)[0]
    assert "Chưa xác nhận" in head

    fields = editor_fields(client, url) + [("action", "confirm:0")]
    saved = client.post(url, data=MultiDict(fields))
    assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]
    draft = service.get_draft(ward_a, MARITAL).notebook()
    assert draft.unconfirmed == nb.unconfirmed[1:]
    entry = AuditLog.get(AuditLog.action == "notebooks.confirm")
    assert entry.tenant_id == ward_a.id and entry.actor == "quantri-a"


def test_staff_see_the_mark_but_no_confirm_button(client, users, ward_a):
    publish_form(ward_a, MARITAL)
    login(client, "canbo-a")
    assert "Có giá trị chưa xác nhận" in client.get(f"/{ward_a.slug}/thu-tuc/").get_data(as_text=True)
