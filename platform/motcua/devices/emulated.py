"""An emulated USB bus for pyusb: a thermal printer and a CCCD QR scanner with real descriptors.

:class:`EmulatedBackend` is a :class:`usb.backend.IBackend`, so drivers call
``usb.core.find(backend=...)``, ``set_configuration``, ``claim_interface``,
``detach_kernel_driver``, ``dev.write`` and ``dev.read`` exactly as on a counter PC; only
the bottom layer (libusb) is replaced. The printer parses what it receives as a printer
does (it answers ``DLE EOT`` in real time, refuses data while out of paper or with its
cover open) and keeps every byte: with a capture folder, one ``<label>.bin`` per job and
one line in ``pages.log`` per page cut. Faults are set on the object or, for a device in
another process (``motcua agent --emulate``), in ``<capture>/printer-control.json``::

    {"paper_out": true, "cover_open": false, "timeout_after": 4096,
     "unplug_after": null, "unplugged": false, "delay": 0.0}

The scanner plays the lines of ``<capture>/scanner-script.txt`` (one QR text a line), each
once (``scanner-script.played`` counts them), as HID-POS reports.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import usb.backend
import usb.core

from motcua.devices import escpos

PRINTER_IDS = (0x0416, 0x5011)  # Winbond's id, used by most 80 mm "POS-80" printers
SCANNER_IDS = (0x0C2E, 0x0B61)  # a Honeywell-family 2D scanner in HID-POS mode
HID_REPORT = 64
HID_REPORT_ID = 0x02


def _error(text: str, code: int, number: int) -> usb.core.USBError:
    return usb.core.USBError(text, code, number)


class EmulatedDevice:
    """One device on the emulated bus: its descriptors, and what it does with transfers."""

    interface_class = 0xFF
    interface_subclass = 0
    interface_protocol = 0
    endpoints: tuple[tuple[int, int], ...] = ()  # (bEndpointAddress, bmAttributes)

    def __init__(self, vendor_id: int, product_id: int, *, product: str, serial: str,
                 address: int) -> None:
        self.vendor_id, self.product_id = vendor_id, product_id
        self.strings = {1: "motcua emulator", 2: product, 3: serial}
        self.address = address
        self.plugged = True
        self.kernel_driver = True  # usblp / usbhid hold the interface until detached
        self.claimed = False
        self.lock = threading.Lock()

    # --- descriptors ---
    def device_descriptor(self) -> SimpleNamespace:
        return SimpleNamespace(
            bLength=18, bDescriptorType=1, bcdUSB=0x0200, bDeviceClass=0, bDeviceSubClass=0,
            bDeviceProtocol=0, bMaxPacketSize0=64, idVendor=self.vendor_id,
            idProduct=self.product_id, bcdDevice=0x0100, iManufacturer=1, iProduct=2,
            iSerialNumber=3, bNumConfigurations=1, address=self.address, bus=1,
            port_number=self.address, port_numbers=(self.address,), speed=3,
        )

    def configuration_descriptor(self) -> SimpleNamespace:
        return SimpleNamespace(
            bLength=9, bDescriptorType=2, wTotalLength=9 + 9 + 7 * len(self.endpoints),
            bNumInterfaces=1, bConfigurationValue=1, iConfiguration=0, bmAttributes=0x80,
            bMaxPower=50, extra_descriptors=[],
        )

    def interface_descriptor(self) -> SimpleNamespace:
        return SimpleNamespace(
            bLength=9, bDescriptorType=4, bInterfaceNumber=0, bAlternateSetting=0,
            bNumEndpoints=len(self.endpoints), bInterfaceClass=self.interface_class,
            bInterfaceSubClass=self.interface_subclass,
            bInterfaceProtocol=self.interface_protocol, iInterface=0, extra_descriptors=[],
        )

    def endpoint_descriptor(self, index: int) -> SimpleNamespace:
        address, attributes = self.endpoints[index]
        return SimpleNamespace(
            bLength=7, bDescriptorType=5, bEndpointAddress=address, bmAttributes=attributes,
            wMaxPacketSize=64, bInterval=1 if attributes == 3 else 0, bRefresh=0,
            bSynchAddress=0, extra_descriptors=[],
        )

    # --- transfers (overridden) ---
    def write(self, endpoint: int, data: bytes, timeout: int) -> int:
        raise _error("Pipe error", -9, errno.EPIPE)

    def read(self, endpoint: int, size: int, timeout: int) -> bytes:
        raise _error("Operation timed out", -7, errno.ETIMEDOUT)


@dataclass
class PrinterFaults:
    """Faults an emulated printer shows; ``timeout_after``/``unplug_after`` count bytes."""

    paper_out: bool = False
    cover_open: bool = False
    timeout_after: int | None = None
    unplug_after: int | None = None
    unplugged: bool = False
    delay: float = 0.0


class EmulatedPrinter(EmulatedDevice):
    """An 80 mm ESC/POS printer (USB printer class, bulk OUT 0x01, bulk IN 0x82)."""

    interface_class, interface_subclass, interface_protocol = 7, 1, 2
    endpoints = ((0x01, 2), (0x82, 2))

    def __init__(self, *, capture_dir: Path | None = None, address: int = 4,
                 faults: PrinterFaults | None = None, ids: tuple[int, int] = PRINTER_IDS) -> None:
        super().__init__(*ids, product="POS-80 (emulated)", serial="EMU-PRN-1", address=address)
        self.faults = faults or PrinterFaults()
        self.capture_dir = capture_dir
        self.label = "print"
        self._started: set[str] = set()  # labels begun in this process
        self.received = bytearray()  # every byte taken, across jobs
        self.pages = 0
        self.status_requests = 0
        self._answers = bytearray()
        self._tail = b""
        self._raster_left = 0
        self._taken = 0
        self._control_mtime = 0.0
        if capture_dir is not None:
            capture_dir.mkdir(parents=True, exist_ok=True)

    def status(self) -> escpos.PrinterStatus:
        """Return the printer's present state as DLE EOT would report it."""
        self._read_control()
        return escpos.PrinterStatus(cover_open=self.faults.cover_open,
                                    paper_out=self.faults.paper_out)

    def _read_control(self) -> None:
        if self.capture_dir is None:
            return
        path = self.capture_dir / "printer-control.json"
        try:
            mtime = path.stat().st_mtime
        except FileNotFoundError:
            return
        if mtime == self._control_mtime:
            return
        self._control_mtime = mtime
        try:
            values = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        self.faults = PrinterFaults(**{k: v for k, v in values.items() if k in PrinterFaults.__dataclass_fields__})
        self.plugged = not self.faults.unplugged

    def write(self, endpoint: int, data: bytes, timeout: int) -> int:
        self._read_control()
        faults = self.faults
        if faults.delay:
            time.sleep(faults.delay)
        if faults.unplug_after is not None and self._taken + len(data) > faults.unplug_after:
            take = max(0, faults.unplug_after - self._taken)
            self._take(data[:take])
            self.plugged = False
            raise _error("No such device (it may have been disconnected)", -4, errno.ENODEV)
        if faults.timeout_after is not None and self._taken + len(data) > faults.timeout_after:
            take = max(0, faults.timeout_after - self._taken)
            self._take(data[:take])
            raise usb.core.USBTimeoutError("Operation timed out", -7, errno.ETIMEDOUT)
        if data[:2] == b"\x10\x04" and len(data) == 3 and self._raster_left == 0 and not self._tail:
            # A real-time command is answered even while the printer cannot print.
            self.status_requests += 1
            self._answers.append(escpos.status_byte(data[2], self.status()))
            return len(data)
        if not self.status().ready:
            raise usb.core.USBTimeoutError("Operation timed out", -7, errno.ETIMEDOUT)
        self._take(data)
        return len(data)

    def read(self, endpoint: int, size: int, timeout: int) -> bytes:
        if not self._answers:
            raise usb.core.USBTimeoutError("Operation timed out", -7, errno.ETIMEDOUT)
        answer = bytes(self._answers[:size])
        del self._answers[:size]
        return answer

    def _take(self, data: bytes) -> None:
        self._taken += len(data)
        self.received += data
        buffer = self._tail + data
        self._tail = b""
        position = 0
        while position < len(buffer):
            if self._raster_left:
                step = min(self._raster_left, len(buffer) - position)
                self._raster_left -= step
                self._capture(buffer[position : position + step])
                position += step
                continue
            rest = buffer[position:]
            if rest[:2] == escpos.INIT:
                self._start_job()
                self._capture(escpos.INIT)
                position += 2
            elif rest[:4] == b"\x1d\x76\x30\x00":
                if len(rest) < 8:
                    break
                width = int.from_bytes(rest[4:6], "little")
                rows = int.from_bytes(rest[6:8], "little")
                self._raster_left = width * rows
                self._capture(rest[:8])
                position += 8
            elif rest[:3] == escpos.CUT[:3]:
                if len(rest) < 4:
                    break
                self._capture(rest[:4])
                position += 4
                self._page_cut()
            elif rest[:1] in (b"\x1b", b"\x10", b"\x1d"):
                if len(rest) < 3:
                    break
                self._capture(rest[:3])
                position += 3
            else:
                self._capture(rest[:1])
                position += 1
        self._tail = buffer[position:]

    def _path(self) -> Path | None:
        return self.capture_dir / f"{self.label}.bin" if self.capture_dir is not None else None

    def _start_job(self) -> None:
        # A label's first ESC @ in this process starts its capture afresh; an earlier
        # capture (a torn job of a killed agent, or a double print) is kept beside it.
        if self.label in self._started:
            return
        self._started.add(self.label)
        path = self._path()
        if path is not None and path.exists():
            index = 1
            while path.with_suffix(f".{index}.bin").exists():
                index += 1
            os.replace(path, path.with_suffix(f".{index}.bin"))

    def _capture(self, chunk: bytes) -> None:
        path = self._path()
        if path is not None:
            with path.open("ab") as handle:
                handle.write(chunk)
                handle.flush()

    def _page_cut(self) -> None:
        self.pages += 1
        if self.capture_dir is not None:
            line = json.dumps({"label": self.label, "page": self.pages, "at": time.time()})
            with (self.capture_dir / "pages.log").open("a", encoding="utf-8") as handle:
                handle.write(line + "\n")
                handle.flush()
                os.fsync(handle.fileno())


class EmulatedScanner(EmulatedDevice):
    """A 2D scanner in HID-POS mode (HID class, interrupt IN 0x81): each report is
    ``[0x02, length, data…, more]`` padded to 64 bytes, ``more`` = 1 while a code continues."""

    interface_class = 3
    endpoints = ((0x81, 3),)

    def __init__(self, *, script: list[str] | None = None, script_file: Path | None = None,
                 address: int = 5) -> None:
        super().__init__(*SCANNER_IDS, product="2D scanner HID-POS (emulated)",
                         serial="EMU-SCN-1", address=address)
        self.script = list(script or [])
        self.script_file = script_file
        self._played_lines = 0
        self._reports: list[bytes] = []

    def scan(self, text: str) -> None:
        """Queue ``text`` as if a code was read."""
        self.script.append(text)

    def _next_text(self) -> str | None:
        if self.script:
            return self.script.pop(0)
        if self.script_file is not None and self.script_file.exists():
            # How many lines were played is kept beside the script, so a restarted agent
            # does not "scan" the same card again.
            played = self.script_file.with_suffix(".played")
            with contextlib.suppress(FileNotFoundError, ValueError):
                self._played_lines = max(self._played_lines, int(played.read_text() or 0))
            lines = self.script_file.read_text(encoding="utf-8").splitlines()
            if len(lines) > self._played_lines:
                self._played_lines += 1
                played.write_text(str(self._played_lines))
                return lines[self._played_lines - 1]
        return None

    def read(self, endpoint: int, size: int, timeout: int) -> bytes:
        if not self._reports:
            text = self._next_text()
            if text is None:
                if timeout:
                    time.sleep(min(timeout, 200) / 1000)
                raise usb.core.USBTimeoutError("Operation timed out", -7, errno.ETIMEDOUT)
            data = text.encode("utf-8")
            room = HID_REPORT - 3
            chunks = [data[i : i + room] for i in range(0, len(data), room)] or [b""]
            for index, chunk in enumerate(chunks):
                more = 1 if index < len(chunks) - 1 else 0
                report = bytes((HID_REPORT_ID, len(chunk))) + chunk
                self._reports.append(report.ljust(HID_REPORT - 1, b"\0") + bytes((more,)))
        return self._reports.pop(0)[:size]


class _Handle:
    def __init__(self, device: EmulatedDevice) -> None:
        self.device = device


class EmulatedBackend(usb.backend.IBackend):  # type: ignore[misc]
    """The libusb layer of an emulated bus holding ``devices``; pass it as ``backend=``."""

    def __init__(self, devices: list[EmulatedDevice]) -> None:
        self.devices = list(devices)

    def _live(self, handle: _Handle) -> EmulatedDevice:
        device = handle.device
        if not device.plugged:
            raise _error("No such device (it may have been disconnected)", -4, errno.ENODEV)
        return device

    def enumerate_devices(self) -> list[EmulatedDevice]:
        for device in self.devices:
            if isinstance(device, EmulatedPrinter):
                device._read_control()
        return [device for device in self.devices if device.plugged]

    def get_device_descriptor(self, dev: EmulatedDevice) -> SimpleNamespace:
        return dev.device_descriptor()

    def get_configuration_descriptor(self, dev: EmulatedDevice, config: int) -> SimpleNamespace:
        if config != 0:
            raise IndexError("configuration index out of range")
        return dev.configuration_descriptor()

    def get_interface_descriptor(self, dev: EmulatedDevice, intf: int, alt: int, config: int) -> SimpleNamespace:
        if (intf, alt, config) != (0, 0, 0):
            raise IndexError("interface index out of range")
        return dev.interface_descriptor()

    def get_endpoint_descriptor(self, dev: EmulatedDevice, ep: int, intf: int, alt: int, config: int) -> SimpleNamespace:
        if ep >= len(dev.endpoints):
            raise IndexError("endpoint index out of range")
        return dev.endpoint_descriptor(ep)

    def open_device(self, dev: EmulatedDevice) -> _Handle:
        handle = _Handle(dev)
        self._live(handle)
        return handle

    def close_device(self, dev_handle: _Handle) -> None:
        dev_handle.device.claimed = False

    def set_configuration(self, dev_handle: _Handle, config_value: int) -> None:
        self._live(dev_handle)

    def get_configuration(self, dev_handle: _Handle) -> int:
        self._live(dev_handle)
        return 1

    def set_interface_altsetting(self, dev_handle: _Handle, intf: int, altsetting: int) -> None:
        self._live(dev_handle)

    def claim_interface(self, dev_handle: _Handle, intf: int) -> None:
        device = self._live(dev_handle)
        if device.kernel_driver:
            raise _error("Resource busy", -6, errno.EBUSY)
        device.claimed = True

    def release_interface(self, dev_handle: _Handle, intf: int) -> None:
        dev_handle.device.claimed = False

    def is_kernel_driver_active(self, dev_handle: _Handle, intf: int) -> bool:
        return self._live(dev_handle).kernel_driver

    def detach_kernel_driver(self, dev_handle: _Handle, intf: int) -> None:
        self._live(dev_handle).kernel_driver = False

    def attach_kernel_driver(self, dev_handle: _Handle, intf: int) -> None:
        self._live(dev_handle).kernel_driver = True

    def reset_device(self, dev_handle: _Handle) -> None:
        self._live(dev_handle)

    def clear_halt(self, dev_handle: _Handle, ep: int) -> None:
        self._live(dev_handle)

    def _transfer_device(self, dev_handle: _Handle) -> EmulatedDevice:
        device = self._live(dev_handle)
        if not device.claimed:
            # libusb claims implicitly; a kernel driver still bound makes that fail.
            if device.kernel_driver:
                raise _error("Resource busy", -6, errno.EBUSY)
            device.claimed = True
        return device

    def bulk_write(self, dev_handle: _Handle, ep: int, intf: int, data: Any, timeout: int) -> int:
        device = self._transfer_device(dev_handle)
        with device.lock:
            return device.write(ep, bytes(data), timeout)

    def intr_write(self, dev_handle: _Handle, ep: int, intf: int, data: Any, timeout: int) -> int:
        return self.bulk_write(dev_handle, ep, intf, data, timeout)

    def bulk_read(self, dev_handle: _Handle, ep: int, intf: int, buff: Any, timeout: int) -> int:
        device = self._transfer_device(dev_handle)
        with device.lock:
            answer = device.read(ep, len(buff), timeout)
        buff[: len(answer)] = type(buff)(buff.typecode, answer)
        return len(answer)

    def intr_read(self, dev_handle: _Handle, ep: int, intf: int, buff: Any, timeout: int) -> int:
        return self.bulk_read(dev_handle, ep, intf, buff, timeout)

    def ctrl_transfer(self, dev_handle: _Handle, bmRequestType: int, bRequest: int,  # noqa: N803
                      wValue: int, wIndex: int, data: Any, timeout: int) -> int:  # noqa: N803
        device = self._live(dev_handle)
        if bRequest != 0x06 or (wValue >> 8) != 3:  # only GET_DESCRIPTOR(string)
            raise _error("Pipe error", -9, errno.EPIPE)
        index = wValue & 0xFF
        if index == 0:
            payload = bytes((4, 3, 0x09, 0x04))  # LANGID en-US
        else:
            text = device.strings.get(index, "").encode("utf-16-le")
            payload = bytes((2 + len(text), 3)) + text
        payload = payload[: len(data)]
        data[: len(payload)] = type(data)(data.typecode, payload)
        return len(payload)


def emulated_bus(kinds: list[str], capture_dir: Path | None = None) -> EmulatedBackend:
    """Return a bus with one emulated device per name in ``kinds`` (``printer``, ``scanner``).

    :raises ValueError: an unknown kind (the message lists the known ones).
    """
    devices: list[EmulatedDevice] = []
    for kind in kinds:
        if kind == "printer":
            devices.append(EmulatedPrinter(capture_dir=capture_dir))
        elif kind == "scanner":
            script = capture_dir / "scanner-script.txt" if capture_dir is not None else None
            devices.append(EmulatedScanner(script_file=script))
        else:
            raise ValueError(f"unknown emulated device {kind!r}; choose printer, scanner")
    return EmulatedBackend(devices)


def set_label(backend: Any, label: str) -> None:
    """Name the capture of the next job on the emulated printers of ``backend`` (no-op otherwise)."""
    for device in getattr(backend, "devices", ()):
        if isinstance(device, EmulatedPrinter):
            device.label = label
