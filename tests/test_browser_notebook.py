"""In a real browser: an admin builds "certification of copies" from an empty notebook,
sees the fee computed as they type, fixes a failing sample, publishes; staff then use it."""

from __future__ import annotations

import pytest

from browser_support import browser, live_server, page  # noqa: F401 - fixtures
from motcua.notebooks import service

pytestmark = pytest.mark.browser


def test_admin_builds_publishes_and_staff_use_the_form(live_server, page, browser, users, ward_a):  # noqa: F811
    from playwright.sync_api import expect

    base = f"{live_server.url}/{ward_a.slug}"
    live_server.sign_in(page, "quantri-a")
    page.goto(f"{base}/quy-trinh/")
    page.fill("#new-key", "chung-thuc-ban-sao-moi")
    page.fill("#new-name-vi", "Chứng thực bản sao từ bản chính")
    page.fill("#new-name-en", "Certification of copies")
    page.click("text=Tạo từ sổ trống")
    expect(page.locator("h1")).to_contain_text("Chứng thực bản sao từ bản chính")

    for button in (
        "button[value='add:field']",
        "button[value='add:field']",
        "button[value='add:formula']",
        "button[value='add_sample']",
    ):
        page.click(button)
        page.wait_for_load_state("networkidle")

    page.fill("[name='c.field-truong_1.name']", "so_trang")
    page.select_option("[name='c.field-truong_1.type']", "integer")
    page.fill("[name='c.field-truong_1.required']", "có")
    page.fill("[name='c.field-truong_1.label_vi']", "Số trang")
    page.fill("[name='c.field-truong_2.name']", "so_ban")
    page.select_option("[name='c.field-truong_2.type']", "integer")
    page.fill("[name='c.field-truong_2.required']", "có")
    page.fill("[name='c.field-truong_2.label_vi']", "Số bản")
    page.fill("[name='c.formula-cong_thuc_1.name']", "le_phi")
    page.fill("[name='c.formula-cong_thuc_1.label_vi']", "Lệ phí")
    page.fill("[name='c.formula-cong_thuc_1.source']", "so_trang * 2000 * so_ban")
    page.fill("[name='s.0.name']", "Hai trang, ba bản")
    page.fill("[name='s.0.expect_values']", "le_phi = 10000")
    page.click("#save-button")
    expect(page.locator("#message")).to_contain_text("Đã lưu")

    # The fee follows the sample values as they are typed (the server computes it).
    fee = page.locator("[data-output-for='formula-cong_thuc_1'] [data-display]")
    page.locator("#o-so_trang").press_sequentially("2", delay=50)
    page.locator("#o-so_ban").press_sequentially("3", delay=50)
    expect(fee).to_have_text("12.000")
    page.locator("#o-so_ban").fill("4")
    page.locator("#o-so_ban").dispatch_event("input")
    expect(fee).to_have_text("16.000")
    page.locator("#o-so_ban").fill("3")
    page.locator("#o-so_ban").dispatch_event("input")
    expect(fee).to_have_text("12.000")

    # The sample expects a wrong fee: running the samples shows it, publishing is refused.
    page.click("#run-all")
    expect(page.locator("#sample-results .fail").first).to_contain_text("Hai trang, ba bản")
    page.click("#publish-button")
    page.click("#publish-dialog [data-publish-confirm]")  # after reading what changes
    expect(page.locator("#problem")).to_contain_text("Hai trang, ba bản")
    assert service.latest_version(ward_a, "chung-thuc-ban-sao-moi") is None

    page.fill("[name='s.0.expect_values']", "le_phi = 12000")
    page.click("#run-all")
    expect(page.locator("#sample-results .pass").first).to_contain_text("Hai trang, ba bản")
    page.click("#publish-button")
    page.click("#publish-dialog [data-publish-confirm]")  # after reading what changes
    expect(page.locator("#message")).to_contain_text("Đã ban hành phiên bản 1")
    assert service.effective_version(ward_a, "chung-thuc-ban-sao-moi").number == 1

    # A counter clerk finds the new procedure and fills in its form.
    staff = browser.new_context(locale="vi-VN").new_page()
    staff.set_default_timeout(15000)
    live_server.sign_in(staff, "canbo-a")
    staff.goto(f"{base}/thu-tuc/?q=ban sao")
    staff.click("text=Chứng thực bản sao từ bản chính")
    staff.locator("#f-so_trang").press_sequentially("5", delay=50)
    staff.locator("#f-so_ban").press_sequentially("2", delay=50)
    expect(staff.locator(".formula [data-display]")).to_have_text("20.000")
    staff.context.close()
