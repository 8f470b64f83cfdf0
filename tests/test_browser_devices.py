"""In a real browser: a CCCD read by counter 1's scanner (the agent over the emulated USB bus)
fills counter 1's open reception form, and counter 2's open form stays empty."""

from __future__ import annotations

import pytest

from browser_support import browser, live_server, page  # noqa: F401 - fixtures
from motcua.devices.agent import Agent, AgentConfig
from motcua.devices.emulated import EmulatedBackend, EmulatedScanner
from motcua.devices.service import create_agent_token, find_counter
from motcua.tenancy.models import Counter
from motcua_devices.scanners import HidPosScanner
from records_support import CERTIFY, publish_form

pytestmark = pytest.mark.browser
QR = "024096003333||Vũ Hoàng Nam|05111996|Nam|Tổ 3, phường Nếnh|01012022"


def test_scan_fills_the_form_of_its_counter_only(live_server, browser, users, ward_a, tmp_path):  # noqa: F811
    from playwright.sync_api import expect

    publish_form(ward_a, CERTIFY)
    q1 = find_counter(ward_a, "q1")
    q2 = Counter.create(tenant=ward_a, reception_point=q1.reception_point, key="q2", name="Quầy 2")
    _, token = create_agent_token(ward_a, q1)
    tabs = []
    for counter in (q1, q2):
        tab = browser.new_context(locale="vi-VN").new_page()
        live_server.sign_in(tab, "canbo-a")
        tab.goto(f"{live_server.url}/{ward_a.slug}/ho-so/tiep-nhan/{CERTIFY}")
        tab.select_option("#counter", str(counter.id))
        tabs.append(tab)
    scanner = EmulatedScanner(script=[QR])
    agent = Agent(AgentConfig(server=live_server.url, token=token, state_dir=tmp_path / "agent"),
                  [HidPosScanner()], EmulatedBackend([scanner]))
    agent.discover()
    assert agent.read_scanners(timeout=0.5) == 1
    expect(tabs[0].locator("#f-ho_ten_nguoi_yeu_cau")).to_have_value("Vũ Hoàng Nam", timeout=10000)
    expect(tabs[0].locator("#f-cccd_nguoi_yeu_cau")).to_have_value("024096003333")
    expect(tabs[0].locator("#counter")).to_have_value(str(q1.id))  # the counter survives the fill
    tabs[1].wait_for_timeout(3000)  # two polls of counter 2's form
    expect(tabs[1].locator("#f-ho_ten_nguoi_yeu_cau")).to_have_value("")
    for tab in tabs:
        tab.context.close()
