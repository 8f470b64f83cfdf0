"""The scanner and page-printer drivers, the driver CLI and the generated system files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from motcua.cli import main
from motcua.devices.emulated import EmulatedBackend, EmulatedScanner
from motcua.plugin_api import DeviceFault
from motcua_devices.pdf_printer import CupsPdfPrinter
from motcua_devices.scanners import CdcSerialScanner, HidPosScanner

REPO = Path(__file__).resolve().parents[1]
CCCD = "079185012345|123456789|Nguyễn Thị Hồng Nhung|15031985|Nữ|12 Lê Lợi, P. Bến Thành, Q.1, TP.HCM|10052021"


def test_hid_pos_scanner_reads_a_long_vietnamese_code_over_pyusb():
    scanner = EmulatedScanner(script=[CCCD, "HS-2"])
    backend = EmulatedBackend([scanner])
    driver = HidPosScanner()
    (device,) = driver.discover(backend)
    driver.open(device)
    assert not scanner.kernel_driver  # usbhid detached
    assert len(CCCD.encode()) > 61  # it spans several HID reports
    assert driver.read_text(0.1) == CCCD
    assert driver.read_text(0.1) == "HS-2"
    assert driver.read_text(0.01) is None
    scanner.plugged = False
    with pytest.raises(DeviceFault) as raised:
        driver.read_text(0.01)
    assert raised.value.state == "unplugged"


def test_cdc_scanner_reads_lines_through_pyserial():
    driver = CdcSerialScanner()
    assert driver.discover(options={"scanner_port": "loop://"}) == ["loop://"]
    driver.open("loop://")
    driver.port.write((CCCD + "\r\n").encode() + b"second\r")
    assert driver.read_text(1.0) == CCCD
    assert driver.read_text(1.0) == "second"
    assert driver.read_text(0.05) is None
    driver.close()
    with pytest.raises(DeviceFault) as raised:
        CdcSerialScanner().open("/dev/motcua-no-such-port")
    assert raised.value.state == "unplugged"


def test_pdf_printer_without_a_queue_says_how_to_configure_it():
    driver = CupsPdfPrinter()
    assert driver.discover(options={}) == [] and driver.status() == "not_configured"
    with pytest.raises(DeviceFault) as raised:
        driver.print_pdf(b"%PDF-1.7")
    assert raised.value.state == "not_configured" and "pdf_printer=" in raised.value.text.render("en")
    if shutil.which("lp") is None:
        with pytest.raises(DeviceFault, match="CUPS is not installed"):
            driver.open("HP_A4")


def test_devices_list_and_probe():
    runner = CliRunner()
    listed = json.loads(runner.invoke(main, ["devices", "list", "--json"]).output)
    names = {row["name"]: row for row in listed}
    assert {"escpos-usb", "cups-pdf", "hid-pos-scanner", "cdc-serial-scanner"} <= set(names)
    assert "0416:5011" in names["escpos-usb"]["usb_ids"] and names["hid-pos-scanner"]["kind"] == "scanner"
    probed = runner.invoke(main, ["devices", "probe", "--emulate", "printer,scanner"]).output
    assert "0416:5011 bus 1 address 4  -> escpos-usb" in probed
    assert "0c2e:0b61 bus 1 address 5  -> hid-pos-scanner" in probed
    bad = runner.invoke(main, ["devices", "probe", "--emulate", "toaster"])
    assert bad.exit_code == 2 and "toaster" in bad.output


def test_shipped_udev_rules_and_unit_match_the_generated_ones():
    runner = CliRunner()
    assert (REPO / "deploy" / "60-motcua-devices.rules").read_text() == runner.invoke(main, ["devices", "udev-rules"]).output
    unit = runner.invoke(main, ["devices", "systemd-unit"]).output
    shipped = (REPO / "deploy" / "motcua-agent.service").read_text()
    assert [line for line in unit.splitlines() if not line.startswith("ExecStart=")] == [
        line for line in shipped.splitlines() if not line.startswith("ExecStart=")]
    assert "ExecStart=/usr/local/bin/motcua agent" in shipped and "EnvironmentFile=/etc/motcua/agent.env" in shipped


def test_the_driver_example_of_docs_devices_runs():
    text = (REPO / "docs" / "devices.md").read_text(encoding="utf-8")
    section = text.split("## For plugin authors: write a driver", 1)[1]
    blocks = [block.split("```", 1)[0] for block in section.split("```python\n")[1:]]
    assert len(blocks) == 2
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, "docs/devices.md", "exec"), namespace)  # noqa: S102
    assert namespace["register_device_drivers"]()[0].name == "xprinter-58"
