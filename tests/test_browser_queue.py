"""In a real browser, the queue's whole journey: a citizen takes a number at the kiosk, the
hall board shows it called at counter 2 within a second of the clerk's press, the clerk
receives the dossier from the ticket, the citizen rates the visit through the slip's QR
(the lookup page), and the ward leader's figures show the wait, the service time and the
rating."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from browser_support import browser, live_server, page  # noqa: F401 - fixtures
from motcua import clock as motcua_clock
from motcua.records.models import Record
from queue_support import seeded
from records_support import CERTIFY, publish_form

pytestmark = pytest.mark.browser
QR = "024096003333||Vũ Hoàng Nam|05111996|Nam|Tổ 3, phường Nếnh|01012022"


def test_kiosk_board_counter_reception_rating_and_figures(live_server, browser, page, users, ward_a, clock):  # noqa: F811
    from playwright.sync_api import expect

    from motcua_queue.setup import save_desk

    info = seeded(ward_a)
    desk = save_desk(info.id, point="chinh", number=2, name="Quầy 2", service_keys=["tu-phap"])
    publish_form(ward_a, CERTIFY)
    base = f"{live_server.url}/{ward_a.slug}"

    kiosk = browser.new_context(locale="vi-VN").new_page()
    kiosk.goto(f"{base}/x/queue/kiosk/chinh")
    kiosk.click("button.tile:has-text('Tư pháp')")
    expect(kiosk.locator("#number")).to_have_text("A-001")
    expect(kiosk.locator("#status")).to_contain_text("Đang chờ")

    board = browser.new_context(locale="vi-VN").new_page()
    board.goto(f"{base}/x/queue/bang/chinh")
    expect(board.locator("#latest-number")).to_have_text("—")
    board.click("#sound")

    live_server.sign_in(page, "canbo-a")
    page.goto(f"{base}/x/queue/quay/{desk.id}")
    with motcua_clock.frozen(clock + timedelta(minutes=12)):
        pressed = time.monotonic()
        page.click("#call-next")
        expect(board.locator("#latest-number")).to_have_text("A-001", timeout=1000)
        assert time.monotonic() - pressed < 1.0
        expect(board.locator("#latest-counter")).to_contain_text("Quầy 2")
        expect(page.locator("#current-number")).to_have_text("A-001")
        page.click("#receive")
        page.wait_for_load_state("networkidle")
        page.fill("#filter-procedures", "chung thuc ban sao")
        page.click(f"a[href$='/tiep-nhan/{CERTIFY}']")
        page.locator("#qr").press_sequentially(QR, delay=2)
        page.locator("#qr").press("Enter")
        page.wait_for_load_state("networkidle")
        page.fill("#f-ten_giay_to", "Bằng tốt nghiệp trung học phổ thông")
        page.select_option("#f-co_quan_cap", "viet_nam")
        page.locator("#f-so_trang").press_sequentially("3", delay=50)
        for box in page.locator("input[name=doc]").all():
            box.check()
        page.click("#save-record")
        page.wait_for_load_state("networkidle")
        expect(page.locator(".notice")).to_contain_text("Đã tiếp nhận hồ sơ")
    code = Record.get().code
    with motcua_clock.frozen(clock + timedelta(minutes=25)):
        page.goto(f"{base}/x/queue/quay/{desk.id}")
        expect(page.locator("main")).to_contain_text(code)  # the record is the ticket's
        page.click("button[value=finish]")
        page.wait_for_load_state("networkidle")

        phone = browser.new_context(locale="vi-VN").new_page()
        phone.goto(f"{base}/tra-cuu?ma={code}")  # what the QR on slip 01 opens
        phone.click("text=Đánh giá sự hài lòng")
        phone.check("input[name=score][value='3']")
        phone.fill("#reason", "Cán bộ hướng dẫn tận tình")
        phone.click("button:has-text('Gửi đánh giá')")
        expect(phone.locator("main")).to_contain_text("Cảm ơn bạn đã đánh giá")

    page.click("form[action$='/logout'] button")
    page.wait_for_load_state("networkidle")
    live_server.sign_in(page, "lanhdao-a")
    page.goto(f"{base}/x/queue/so-lieu")
    expect(page.locator("#f-tickets")).to_have_text("1")
    expect(page.locator("#f-wait")).to_have_text("12.0")
    expect(page.locator("#f-service")).to_have_text("13.0")
    expect(page.locator("#f-ratings")).to_contain_text("rất hài lòng 1")
    for other in (kiosk, board, phone):
        other.context.close()


def test_queue_screens_name_their_controls_in_both_languages(live_server, page, users, ward_a):  # noqa: F811
    from motcua_queue.setup import desks
    from motcua_queue.tickets import take_ticket
    from test_browser_accessibility import UNNAMED_CONTROLS

    info = seeded(ward_a)
    token = take_ticket(info.id, "tu-phap").ticket.token
    desk = desks(info.id)[0]
    base = f"/{ward_a.slug}/x/queue"
    paths = ["/", "/kiosk/chinh", f"/so/{token}", "/bang/chinh", "/quay/", f"/quay/{desk.id}",
             f"/danh-gia/quay/{desk.id}", "/cai-dat", "/so-lieu"]
    live_server.sign_in(page, "quantri-a")
    problems: list[str] = []
    for lang in ("vi", "en"):
        if lang == "en":
            page.goto(f"{live_server.url}/{ward_a.slug}/")
            page.get_by_role("button", name="English").click()
        for path in paths:
            response = page.goto(live_server.url + base + path)
            assert response is not None and response.status == 200, f"{path}: {response and response.status}"
            if page.evaluate("document.documentElement.lang") != lang:
                problems.append(f"{lang} {path}: <html lang> is not {lang}")
            if page.locator("h1").count() != 1:
                problems.append(f"{lang} {path}: {page.locator('h1').count()} h1 elements")
            problems.extend(f"{lang} {path}: unnamed control {c}" for c in page.evaluate(UNNAMED_CONTROLS))
    assert not problems, "\n".join(problems)
