"""ESC/POS encoding and the ESC/POS USB driver, run over the emulated pyusb backend."""

from __future__ import annotations

import json

import pytest
import usb.core
from PIL import Image, ImageChops, ImageDraw

from motcua.devices import escpos
from motcua.devices.emulated import EmulatedBackend, EmulatedPrinter, PrinterFaults, set_label
from motcua.plugin_api import DeviceFault
from motcua_devices.escpos_usb import EscposUsbPrinter


def slip_image(height: int = 600) -> Image.Image:
    image = Image.new("1", (576, height), 1)
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 10, 566, 60), fill=0)
    draw.text((20, 100), "PHIEU 01", fill=0)
    draw.line((0, height - 1, 575, 0), fill=0, width=3)
    return image


def same(a: Image.Image, b: Image.Image) -> bool:
    return a.size == b.size and ImageChops.difference(a.convert("L"), b.convert("L")).getbbox() is None


def test_raster_round_trip_72_bytes_wide_in_bands():
    image = slip_image(600)
    stream = escpos.slip(image)
    decoded = escpos.decode(stream)
    assert decoded.cuts == 1 and decoded.widths == [72, 72, 72]  # 255 + 255 + 90 rows
    assert same(decoded.pages[0], image)
    assert stream.startswith(escpos.INIT) and stream.endswith(escpos.CUT)


def test_raster_pads_odd_widths_with_white():
    image = Image.new("1", (13, 2), 0)
    (band,) = escpos.decode(escpos.raster(image) + escpos.CUT).pages
    assert band.size == (16, 2)
    assert band.getpixel((12, 0)) == 0 and band.getpixel((13, 0)) == 255


def test_status_bytes_round_trip_and_bad_bytes_refused():
    status = escpos.PrinterStatus(paper_out=True, cover_open=True)
    answers = [escpos.status_byte(kind, status) for kind in (1, 2, 4)]
    assert escpos.parse_status(*answers) == escpos.PrinterStatus(
        offline=True, cover_open=True, paper_out=True
    )
    assert escpos.parse_status(0x12, 0x12, 0x12).ready
    with pytest.raises(ValueError, match="status byte"):
        escpos.parse_status(0xFF, 0x12, 0x12)


def test_decode_refuses_unknown_and_short_commands():
    with pytest.raises(ValueError, match="unknown"):
        escpos.decode(b"\x1b\x40hello")
    with pytest.raises(ValueError, match="cut short"):
        escpos.decode(b"\x1d\x76\x30\x00\x48\x00\x10\x00" + b"\0" * 10)


@pytest.fixture
def bus(tmp_path):
    printer = EmulatedPrinter(capture_dir=tmp_path)
    return EmulatedBackend([printer]), printer


def open_printer(backend):
    driver = EscposUsbPrinter()
    (device,) = driver.discover(backend)
    driver.open(device)
    return driver


def test_driver_finds_claims_and_prints_over_pyusb(bus, tmp_path):
    backend, printer = bus
    assert printer.kernel_driver  # usblp holds it until the driver detaches it
    device = usb.core.find(backend=backend, idVendor=0x0416, idProduct=0x5011)
    assert device.product == "POS-80 (emulated)"  # string descriptors over ctrl_transfer
    driver = open_printer(backend)
    assert not printer.kernel_driver and printer.claimed
    assert driver.out_endpoint.bEndpointAddress == 0x01 and driver.in_endpoint.bEndpointAddress == 0x82
    assert driver.status() == "online"
    set_label(backend, "job-7")
    image = slip_image(700)
    driver.print_raster(image)
    driver.cut()
    driver.close()
    captured = (tmp_path / "job-7.bin").read_bytes()
    decoded = escpos.decode(captured)
    assert decoded.cuts == 1 and set(decoded.widths) == {72} and same(decoded.pages[0], image)
    # status requests went to the printer too, but outside the job's capture
    assert printer.status_requests == 3 and b"\x10\x04" not in captured
    (line,) = (tmp_path / "pages.log").read_text().splitlines()
    assert json.loads(line)["label"] == "job-7"


def test_claim_without_detach_is_busy(bus):
    backend, _ = bus
    (device,) = usb.core.find(find_all=True, backend=backend)
    with pytest.raises(usb.core.USBError) as raised:
        usb.util.claim_interface(device, 0)
    assert raised.value.errno == 16


def test_paper_out_and_cover_open_are_reported_and_block_printing(bus):
    backend, printer = bus
    driver = open_printer(backend)
    printer.faults = PrinterFaults(paper_out=True)
    assert driver.status() == "paper_out"
    with pytest.raises(DeviceFault) as raised:
        driver.print_raster(slip_image(50))
    assert raised.value.state == "paper_out"
    printer.faults = PrinterFaults(cover_open=True)
    assert driver.status() == "cover_open"
    printer.faults = PrinterFaults()
    assert driver.status() == "online"


def test_timeout_mid_job_and_unplug_are_faults(bus):
    backend, printer = bus
    driver = open_printer(backend)
    printer.faults = PrinterFaults(timeout_after=5000)
    with pytest.raises(DeviceFault) as raised:
        driver.print_raster(slip_image(400))
    assert raised.value.state == "timeout" and 4096 <= len(printer.received) - 9 <= 5000
    printer.faults = PrinterFaults(unplug_after=len(printer.received) + 100)
    with pytest.raises(DeviceFault) as raised:
        driver.print_raster(slip_image(400))
    assert raised.value.state == "unplugged"
    assert driver.discover(backend) == []  # gone from the bus


def test_chunks_are_bounded(bus):
    backend, printer = bus
    sizes = []
    original = printer.write

    def spy(endpoint, data, timeout):
        sizes.append(len(data))
        assert timeout == EscposUsbPrinter.timeout_ms
        return original(endpoint, data, timeout)

    printer.write = spy
    open_printer(backend).print_raster(slip_image(600))
    assert max(sizes) == 4096 and sum(sizes) == len(escpos.INIT + escpos.raster(slip_image(600)) + escpos.feed(4))


def test_control_file_drives_a_printer_in_another_process(bus, tmp_path):
    backend, printer = bus
    driver = open_printer(backend)
    (tmp_path / "printer-control.json").write_text('{"paper_out": true}')
    assert driver.status() == "paper_out"
    (tmp_path / "printer-control.json").write_text('{"unplugged": true, "x": 1}')
    import os
    os.utime(tmp_path / "printer-control.json", (1, 1))
    assert driver.discover(backend) == []
