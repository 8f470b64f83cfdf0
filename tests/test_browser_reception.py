"""In a real browser: staff receive a certification dossier from a scanned CCCD QR, see the
fee computed as they type, tick the documents and save; the record then goes through a
supplement, approval and return; the control sheet shows every step and the public lookup
shows the status with the masked name only."""

from __future__ import annotations

import re

import pytest

from browser_support import browser, live_server, page  # noqa: F401 - fixtures
from motcua.records.models import Record
from motcua.records.queries import mask_name
from records_support import CERTIFY, publish_form

pytestmark = pytest.mark.browser
QR = "024096003333||Vũ Hoàng Nam|05111996|Nam|Tổ 3, phường Nếnh|01012022"


def act(tab, label: str, fill: dict[str, str] | None = None) -> None:  # noqa: ANN001
    """Open the action's section on the record page, fill its inputs, press its button."""
    section = tab.locator("details.action", has=tab.locator("summary", has_text=label))
    section.locator("summary").click()
    for selector, value in (fill or {}).items():
        section.locator(selector).fill(value)
    section.locator("button[data-action-button]").click()
    tab.wait_for_load_state("networkidle")


def test_staff_receive_process_and_return_a_dossier(live_server, page, users, ward_a):  # noqa: F811
    from playwright.sync_api import expect

    publish_form(ward_a, CERTIFY)
    base = f"{live_server.url}/{ward_a.slug}"
    live_server.sign_in(page, "canbo-a")
    page.goto(f"{base}/ho-so/tiep-nhan/")
    page.fill("#filter-procedures", "chung thuc ban sao")
    page.click(f"a[href$='/tiep-nhan/{CERTIFY}']")
    expect(page.locator("h1")).to_contain_text("Tiếp nhận hồ sơ")
    # A fresh form does not greet staff with "required" everywhere.
    expect(page.locator("[data-error-for='ten_giay_to']")).to_have_text("")

    # The keyboard-wedge scanner types the QR and presses Enter: the form is filled in.
    page.locator("#qr").press_sequentially(QR, delay=2)
    page.locator("#qr").press("Enter")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#f-ho_ten_nguoi_yeu_cau")).to_have_value("Vũ Hoàng Nam")
    expect(page.locator("#f-cccd_nguoi_yeu_cau")).to_have_value("024096003333")
    expect(page.locator("#a-name")).to_have_count(0)  # asked once, in the form

    fee = page.locator(".formula", has_text="Phí chứng thực (đồng)").locator("[data-display]")
    expect(fee).to_have_text("—")
    page.fill("#f-ten_giay_to", "Bằng tốt nghiệp trung học phổ thông")
    page.select_option("#f-co_quan_cap", "viet_nam")
    page.locator("#f-so_trang").press_sequentially("3", delay=50)
    page.locator("#f-so_ban").fill("")
    page.locator("#f-so_ban").press_sequentially("2", delay=50)
    expect(fee).to_have_text("10.000 đ")
    # Typing into one field does not flag the untouched ones.
    expect(page.locator("[data-error-for='so_dien_thoai']")).to_have_text("")
    for box in page.locator("input[name=doc]").all():
        box.check()
    page.click("#save-record")
    page.wait_for_load_state("networkidle")
    expect(page.locator(".notice")).to_contain_text("Đã tiếp nhận hồ sơ")
    code = Record.get().code
    expect(page.locator("h1")).to_contain_text(code)
    expect(page.locator("section", has_text="Giấy tờ đã nhận")).to_contain_text("Bản chính")

    # Found in the work list by the applicant's name, without accents.
    page.goto(f"{base}/ho-so/")
    page.fill("#q", "vu hoang nam")
    page.click(".filters button.primary")
    page.wait_for_load_state("networkidle")
    page.click(f"a:text-is('{code}')")
    page.wait_for_load_state("networkidle")

    act(page, "Yêu cầu bổ sung", {"textarea[name='in.items']": "Bản chụp trang 3 | Bản chụp bị mờ"})
    expect(page.locator("[data-status]")).to_have_text("Chờ bổ sung")
    act(page, "Nhận hồ sơ bổ sung")
    expect(page.locator("[data-status]")).to_have_text("Đang xử lý")

    page.click("form[action$='/logout'] button")
    page.wait_for_load_state("networkidle")
    live_server.sign_in(page, "lanhdao-a")
    page.goto(f"{base}/ho-so/{code}")
    act(page, "Phê duyệt")
    expect(page.locator("[data-status]")).to_have_text("Đã phê duyệt")

    page.click("form[action$='/logout'] button")
    page.wait_for_load_state("networkidle")
    live_server.sign_in(page, "canbo-a")
    page.goto(f"{base}/ho-so/{code}")
    act(page, "Có kết quả")
    act(page, "Trả kết quả")
    expect(page.locator("[data-status]")).to_have_text("Đã trả kết quả")

    sheet = page.locator("table.control-sheet tbody tr")
    actions = [row.get_attribute("data-action") for row in sheet.all()]
    assert "printed" in actions  # the receipt slip queued at reception
    assert [a for a in actions if a != "printed"] == [
        "receive",
        "request_supplement",
        "supplement_received",
        "approve",
        "result_ready",
        "return",
    ]

    lookup = page.context.browser.new_context(locale="vi-VN").new_page()
    lookup.goto(f"{base}/tra-cuu?ma={code}")
    facts = lookup.locator("dl.facts")
    expect(facts).to_contain_text("Đã trả kết quả")
    expect(facts).to_contain_text(mask_name("Vũ Hoàng Nam"))
    body = lookup.content()
    assert "Vũ Hoàng Nam" not in body and "024096003333" not in body
    assert not re.search(r"Tổ 3, phường Nếnh", body)
    lookup.context.close()
