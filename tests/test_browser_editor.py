"""In a real browser: the editor's address picker (server search and old addresses),
Markdown output, moving a cell from the keyboard, the save state, and the unsaved
template's preview pointing at the failing line."""

from __future__ import annotations

import json
import re

import pytest

from browser_support import browser, live_server, page  # noqa: F401 - fixtures
from conftest import REPO
from motcua.notebooks import read_ipynb, service

pytestmark = pytest.mark.browser


def test_address_picker_markdown_and_cell_tools(live_server, page, users, ward_a):  # noqa: F811
    from playwright.sync_api import expect

    nb = read_ipynb(REPO / "forms" / "chung-thuc-ban-sao.ipynb")
    service.create_draft(ward_a, nb, actor="test")
    live_server.sign_in(page, "quantri-a")
    searches = []
    page.on(
        "request",
        lambda request: searches.append(request.url) if "/don-vi/" in request.url else None,
    )
    page.goto(f"{live_server.url}/{ward_a.slug}/quy-trinh/{nb.key}/")
    expect(page.locator("#save-state")).to_have_text("Đã lưu")

    # Markdown guidance is rendered under its cell.
    expect(page.locator("[data-markdown-for='huong-dan-cong-dan'] strong").first).to_have_text(
        "bản chính"
    )

    # The street, then a ward found by the server's search, picked from the keyboard.
    page.fill("#o-dia_chi_nguoi_yeu_cau", "Thôn Trung")
    ward_box = page.locator("#o-dia_chi_nguoi_yeu_cau-ward")
    ward_box.press_sequentially("nenh", delay=40)
    option = page.locator("#o-dia_chi_nguoi_yeu_cau-list [role=option]").first
    expect(option).to_have_text("Phường Nếnh, Tỉnh Bắc Ninh (07795)")
    expect(ward_box).to_have_attribute("aria-expanded", "true")
    ward_box.press("Enter")
    expect(ward_box).to_have_value("Phường Nếnh, Tỉnh Bắc Ninh")
    hidden = page.locator("input[name='v.dia_chi_nguoi_yeu_cau']")
    assert json.loads(hidden.input_value()) == {"text": "Thôn Trung", "ward_code": "07795"}
    assert any("/don-vi/tim?q=nenh" in url for url in searches)
    expect(page.locator("[name='s.0.values']")).to_have_value(re.compile("07795"))  # no eval: the CSP forbids it
    expect(page.locator("#save-state")).to_have_text("Chưa lưu")

    # An old address: the hint and the candidate new ward.
    page.click("text=Chỉ biết địa chỉ cũ (trước sáp nhập)?")
    page.fill("#o-dia_chi_nguoi_yeu_cau-old", "Xã Vân Trung, Huyện Việt Yên, Tỉnh Bắc Giang")
    page.click("button[data-old-convert]")
    expect(page.locator("[data-old-hint]").first).to_contain_text("cũ nay thuộc Phường Nếnh")
    page.click("button[data-old-pick='07795']")
    expect(ward_box).to_have_value("Phường Nếnh, Tỉnh Bắc Ninh")

    # Moving a cell from the keyboard keeps the focus on it.
    page.locator("#cell-so-ban button[data-move='up']").focus()
    page.keyboard.press("Alt+Shift+ArrowDown")
    order = page.eval_on_selector_all(
        "section.cell[data-cell-id]", "els => els.map(e => e.dataset.cellId)"
    )
    assert order.index("so-ban") == order.index("ngay-nop") + 1
    assert page.evaluate("document.activeElement.closest('section').dataset.cellId") == "so-ban"

    # The unsaved template is previewed; a broken one names its line under the cell.
    source = page.locator("[name='c.loi-chung.source']")
    source.fill("<p>ok</p>\n<p>{{ le_phi | khong_co }}</p>")
    page.click("button[data-preview-cell='loi-chung']")
    expect(page.locator("[data-cell-error='loi-chung']")).to_contain_text("Dòng 2")
    source.fill("<h1>{{ ho_ten_nguoi_yeu_cau }}</h1>")
    page.click("button[data-preview-cell='loi-chung']")
    expect(page.locator("[data-preview-for='loi-chung']")).to_have_attribute("data-rendered", "1")
    expect(page.locator("[data-cell-error='loi-chung']")).to_have_text("")

    # Saving stores the moved cell and the picked address.
    page.click("#save-button")
    expect(page.locator("#save-state")).to_have_text("Đã lưu")
    saved = service.get_draft(ward_a, nb.key).notebook()
    ids = [cell.id for cell in saved.cells]
    assert ids.index("so-ban") == ids.index("ngay-nop") + 1
    assert saved.samples[0].values["dia_chi_nguoi_yeu_cau"]["ward_code"] == "07795"


def test_unsaved_work_offers_a_merge_after_someone_else_saves(live_server, page, users, ward_a):  # noqa: F811
    from playwright.sync_api import expect

    nb = read_ipynb(REPO / "forms" / "chung-thuc-ban-sao.ipynb")
    service.create_draft(ward_a, nb, actor="test")
    live_server.sign_in(page, "quantri-a")
    url = f"{live_server.url}/{ward_a.slug}/quy-trinh/{nb.key}/"
    page.goto(url)
    page.fill("#nb-name-en", "Mine")
    expect(page.locator("#save-state")).to_have_text("Chưa lưu")

    # Someone else saves a new lock version meanwhile.
    draft = service.get_draft(ward_a, nb.key)
    other = draft.notebook()
    from dataclasses import replace

    service.save_draft(
        ward_a,
        nb.key,
        replace(other, name={**other.name, "en": "Theirs"}),
        lock_version=draft.lock_version,
        actor="test",
    )
    page.click("#save-button")  # refused: 409, the server's draft comes back
    expect(page.locator("#merge-choice")).to_be_visible()
    expect(page.locator("#save-state")).to_have_text("Xung đột với bản trên máy chủ")
    expect(page.locator("#nb-name-en")).to_have_value("Theirs")
    page.click("#keep-mine")
    expect(page.locator("#nb-name-en")).to_have_value("Mine")
    expect(page.locator("#save-state")).to_have_text("Chưa lưu")
    page.click("#save-button")
    expect(page.locator("#save-state")).to_have_text("Đã lưu")
    assert service.get_draft(ward_a, nb.key).notebook().name["en"] == "Mine"

    # A reload afterwards has nothing to restore.
    page.reload()
    expect(page.locator("#merge-choice")).to_be_hidden()
    expect(page.locator("#restore-notice")).to_be_hidden()
