"""CCCD QR scanners: HID-POS over pyusb, and USB-CDC (a virtual serial port) with pyserial.

Prefer CDC mode for the CCCD: UTF-8 arrives intact, where a keyboard-wedge scanner types
through the PC's keyboard layout and mangles Vietnamese letters.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import usb.core
import usb.util

from motcua.plugin_api import DeviceFault, ScannerDriver, T
from motcua_devices.usb_claim import claim, endpoint, release, usb_fault

HID_CLASS = 3
HID_POS_REPORT_ID = 0x02


class HidPosScanner(ScannerDriver):
    """A 2D scanner in HID-POS mode: reports ``[0x02, length, data…, more]`` on interrupt IN."""

    name = "hid-pos-scanner"
    title = T("Máy quét QR (HID-POS, USB)", "QR scanner (HID-POS, USB)")
    usb_ids = ((0x0C2E, 0x0B61), (0x0C2E, 0x0B87), (0x05E0, 0x1300))  # Honeywell, Zebra/Symbol
    max_reports = 64  # 64 reports of 61 bytes: longer than any CCCD QR

    def __init__(self) -> None:
        self.device: Any = None
        self.interface: Any = None
        self.in_endpoint: Any = None

    def open(self, device: Any) -> None:
        """Detach usbhid, claim the HID interface, find its interrupt IN endpoint."""
        self.device = device
        _, self.interface = claim(device, HID_CLASS)
        self.in_endpoint = endpoint(self.interface, usb.util.ENDPOINT_IN, usb.util.ENDPOINT_TYPE_INTR)
        if self.in_endpoint is None:
            raise DeviceFault("error", T("Máy quét không có cổng interrupt IN", "The scanner has no interrupt IN endpoint"))

    def read_text(self, timeout: float) -> str | None:
        """Return one code (its reports joined, decoded as UTF-8), or None within ``timeout``."""
        data = bytearray()
        wait_ms = max(1, int(timeout * 1000))
        for _ in range(self.max_reports):
            try:
                report = bytes(self.device.read(self.in_endpoint, self.in_endpoint.wMaxPacketSize, wait_ms))
            except usb.core.USBTimeoutError:
                if not data:
                    return None
                raise DeviceFault("timeout", T("Mã quét bị ngắt giữa chừng", "The scanned code stopped half-way")) from None
            except usb.core.USBError as exc:
                raise usb_fault(exc) from exc
            if len(report) < 3 or report[0] != HID_POS_REPORT_ID:
                continue  # a report of another kind (e.g. a keyboard report)
            length = min(report[1], len(report) - 3)
            data += report[2 : 2 + length]
            if not report[-1]:
                return data.decode("utf-8", "replace").strip() or None
            wait_ms = 1000  # the rest of a code follows at once
        raise DeviceFault("error", T("Mã quét quá dài", "The scanned code is too long"))

    def close(self) -> None:
        """Release the interface."""
        if self.device is not None:
            release(self.device, self.interface)
            self.device = None


class CdcSerialScanner(ScannerDriver):
    """A scanner in USB-CDC mode (``/dev/ttyACM*``): one code per line, CR or LF ended.

    Found by its USB ids among the serial ports, or named with ``--option scanner_port=…``
    (any pyserial URL, e.g. ``/dev/ttyACM0`` or ``loop://`` in tests).
    """

    name = "cdc-serial-scanner"
    title = T("Máy quét QR (cổng COM ảo USB-CDC)", "QR scanner (USB-CDC virtual COM port)")
    usb_ids = ((0x0C2E, 0x0B6A), (0x0C2E, 0x10D1), (0x1EAB, 0x8310))  # Honeywell CDC, Newland
    baudrate = 115200

    def __init__(self) -> None:
        self.port: Any = None
        self.buffer = bytearray()

    def discover(self, backend: Any = None, options: Mapping[str, str] | None = None) -> list[Any]:
        """Return the configured port, or the serial ports whose USB ids match."""
        if options and options.get("scanner_port"):
            return [options["scanner_port"]]
        if backend is not None:
            return []  # an emulated USB bus has no serial ports
        from serial.tools import list_ports

        return [port.device for port in list_ports.comports()
                if port.vid is not None and self.matches(port.vid, port.pid)]

    def open(self, device: Any) -> None:
        """Open the serial port ``device`` (a path or a pyserial URL)."""
        import serial

        try:
            self.port = serial.serial_for_url(device, baudrate=self.baudrate, timeout=0.2)
        except serial.SerialException as exc:
            raise DeviceFault("unplugged", T("Không mở được cổng {port}: {e}", "Cannot open port {port}: {e}",
                                             port=device, e=str(exc))) from exc

    def read_text(self, timeout: float) -> str | None:
        """Return the next line read within ``timeout`` seconds, or None."""
        import time

        import serial

        deadline = time.monotonic() + timeout
        while True:
            for end in (b"\r", b"\n"):
                index = self.buffer.find(end)
                if index >= 0:
                    line = bytes(self.buffer[:index])
                    del self.buffer[: index + 1]
                    text = line.decode("utf-8", "replace").strip()
                    if text:
                        return text
                    break
            else:
                if time.monotonic() >= deadline:
                    return None
                try:
                    chunk = self.port.read(self.port.in_waiting or 1)
                except serial.SerialException as exc:
                    raise DeviceFault("unplugged", T("Mất kết nối máy quét: {e}", "The scanner is gone: {e}", e=str(exc))) from exc
                self.buffer += chunk
                continue

    def close(self) -> None:
        """Close the port."""
        if self.port is not None:
            self.port.close()
            self.port = None
