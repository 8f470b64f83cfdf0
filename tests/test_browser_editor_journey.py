"""In a real browser, a new admin's journey: create a procedure, add two fields, a fee and a
sample without any page reload (buttons and the a/b keys), save with Ctrl+S, see what
publishing changes and confirm. The page loads are counted (the target is at most 3); the
journey's inputs and wall time are printed for the closing note, never asserted on."""

from __future__ import annotations

import re
import time

import pytest

from browser_support import browser, live_server, page  # noqa: F401 - fixtures
from motcua.notebooks import service

pytestmark = pytest.mark.browser


def test_build_and_publish_a_two_field_procedure_in_at_most_3_page_loads(
    live_server, page, users, ward_a  # noqa: F811
):
    from playwright.sync_api import expect

    live_server.sign_in(page, "quantri-a")
    loads: list[str] = []
    page.on("load", lambda: loads.append(page.url))
    swaps = {"n": 0}

    def wait_swap() -> None:  # expect(), not wait_for_function: the CSP forbids eval
        swaps["n"] += 1
        expect(page.locator("body")).to_have_attribute("data-swaps", str(swaps["n"]))

    started = time.monotonic()
    page.goto(f"{live_server.url}/{ward_a.slug}/quy-trinh/")
    page.fill("#new-key", "sao-y")
    page.fill("#new-name-vi", "Chứng thực bản sao")
    page.click("text=Tạo từ sổ trống")
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1")).to_contain_text("Chứng thực bản sao")

    fields = page.locator("section.cell.kind-field")
    page.click("button[name=action][value='add:field']")
    wait_swap()
    expect(fields).to_have_count(1)
    first = fields.nth(0)
    assert page.evaluate("document.activeElement.name || ''").endswith(".name")  # straight in
    first.locator("[name$='.name']").fill("so_trang")
    first.locator("[name$='.type']").select_option("integer")
    first.locator("[name$='.required_mode']").select_option("yes")
    first.locator("[name$='.label_vi']").fill("Số trang")
    expect(first.locator("[data-cell-title]")).to_have_text("so_trang")  # renamed in place

    # Jupyter's keys: Esc selects the cell, b adds a field below it.
    first.locator("[name$='.label_vi']").press("Escape")
    page.keyboard.press("b")
    wait_swap()
    expect(fields).to_have_count(2)
    second = fields.nth(1)
    expect(first.locator("[name$='.name']")).to_have_value("so_trang")  # saved with the add
    second.locator("[name$='.name']").fill("so_ban")
    second.locator("[name$='.type']").select_option("integer")
    second.locator("[name$='.required_mode']").select_option("yes")
    second.locator("[name$='.label_vi']").fill("Số bản")

    page.click("button[name=action][value='add:formula']")
    wait_swap()
    formula = page.locator("section.cell.kind-formula").nth(0)
    formula.locator("[name$='.name']").fill("le_phi")
    formula.locator("[name$='.source']").fill("so_trang * 2000 * so_ban")
    formula.locator("[name$='.label_vi']").fill("Lệ phí")

    page.click("button[name=action][value='add_sample']")
    wait_swap()
    page.locator("[data-widget-for] input[name='v.so_trang']").fill("2")
    page.locator("[data-widget-for] input[name='v.so_ban']").fill("3")
    page.fill("[name='s.0.expect_values']", "le_phi = 12000")
    expect(page.locator("[name='s.0.values']")).to_have_value(re.compile(r'"so_ban": ?"?3'))
    page.keyboard.press("Control+s")
    wait_swap()
    expect(page.locator("#message")).to_have_text("Đã lưu")

    page.click("#publish-button")
    dialog = page.locator("#publish-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("[data-publish-diff]")).to_contain_text("Ban hành lần đầu: 3 ô")
    expect(dialog.locator(".change-added")).to_have_count(3)
    dialog.locator("[data-publish-confirm]").click()
    wait_swap()
    expect(page.locator("#message")).to_have_text("Đã ban hành phiên bản 1")
    elapsed = time.monotonic() - started

    version = service.latest_version(ward_a, "sao-y")
    nb = version.notebook()
    assert [f.name for f in nb.fields()] == ["so_trang", "so_ban"]
    assert all(f.required is True for f in nb.fields())
    assert nb.samples[0].expect_values == {"le_phi": 12000}
    assert len(loads) <= 3, loads
    print(f"\neditor journey: {len(loads)} page loads, {swaps['n']} in-place updates, {elapsed:.1f} s")
