"""Browser journeys of the reports: a leader changes the period and opens the records
behind a number; a province admin sees the wards side by side, charts drawn."""

from __future__ import annotations

import pytest

from browser_support import browser, live_server, page  # noqa: F401 - fixtures
from conftest import make_tenant
from reports_support import build_march

pytestmark = pytest.mark.browser


def test_leader_changes_the_period_and_opens_a_number(live_server, page, users, ward_a):  # noqa: F811
    made = build_march(ward_a)
    live_server.sign_in(page, "lanhdao-a")
    page.goto(f"{live_server.url}/{ward_a.slug}/")
    page.click("text=Báo cáo, số liệu")
    assert page.locator("h1").inner_text().startswith("Báo cáo kết quả giải quyết")
    assert page.locator(".figure-received .value").inner_text() == "0"  # December: nothing yet
    page.fill("#from", "2026-03-01")
    page.fill("#to", "2026-03-31")
    page.click("button:has-text('Xem')")
    page.wait_for_load_state("networkidle")
    assert "01/03/2026 – 31/03/2026" in page.locator("#period-line").inner_text()
    assert page.locator(".figure-received .value").inner_text() == "6"
    assert page.locator(".figure-on_time_rate_b .value").inner_text() == "62,50 %"
    # Charts are drawn: SVG with visible bars, not an empty box.
    assert page.locator("svg.chart").count() == 3
    assert page.locator("svg.column-chart").bounding_box()["height"] > 100
    assert page.locator("svg.column-chart rect").count() >= 5
    page.click(".figure-overdue a")
    page.wait_for_load_state("networkidle")
    assert page.locator("#drill-total").inner_text() == "2"
    codes = page.locator("#drill-records td.record-code").all_inner_texts()
    assert sorted(codes) == sorted([made["P3"].code, made["M3"].code])
    page.click(f"text={made['M3'].code}")
    page.wait_for_load_state("networkidle")
    assert made["M3"].code in page.locator("h1").inner_text() or made["M3"].code in page.content()


def test_province_admin_sees_wards_side_by_side(live_server, page, users, ward_a):  # noqa: F811
    build_march(ward_a)
    neighbour = make_tenant("07798")
    live_server.sign_in(page, "tinh-a")
    page.goto(f"{live_server.url}/tinh/{ward_a.province.slug}/")
    page.click("text=Báo cáo đầy đủ")
    page.fill("#from", "2026-03-01")
    page.fill("#to", "2026-03-31")
    page.click("button:has-text('Xem')")
    page.wait_for_load_state("networkidle")
    rows = page.locator("#breakdown tbody th").all_inner_texts()
    assert sorted(rows) == sorted([ward_a.name, neighbour.name])
    bars = page.locator("svg.bar-chart").first.locator("g.bar")
    assert bars.count() == 2
    page.locator("#breakdown tbody tr", has_text=ward_a.name).locator("td a").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#drill-total").inner_text() == "2"  # carried over, the first column
