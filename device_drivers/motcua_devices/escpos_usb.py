"""An 80 mm ESC/POS thermal printer on USB (the USB printer class, bulk endpoints).

Bytes come from :mod:`motcua.devices.escpos`; this module only moves them: chunked bulk
writes with a timeout (``timeout=0`` would wait forever and hang the agent), and the
real-time ``DLE EOT`` status read back on the bulk IN endpoint.
"""

from __future__ import annotations

from typing import Any

import usb.core
import usb.util

from motcua.devices import escpos
from motcua.plugin_api import DeviceFault, PrinterDriver, T
from motcua_devices.usb_claim import claim, endpoint, release, usb_fault

PRINTER_CLASS = 7


class EscposUsbPrinter(PrinterDriver):
    """Any ESC/POS printer of the Epson family on USB: the emulator's and common 80 mm models."""

    name = "escpos-usb"
    title = T("Máy in nhiệt ESC/POS 80 mm (USB)", "ESC/POS 80 mm thermal printer (USB)")
    usb_ids = (
        (0x0416, 0x5011),  # Winbond-based POS-80 printers (Xprinter, Gprinter, many others)
        (0x04B8, 0x0202),  # Epson TM-T88 series
        (0x04B8, 0x0E15),  # Epson TM-T20II
        (0x0483, 0x5743),  # STMicro-based 58/80 mm printers
        (0x1FC9, 0x2016),  # NXP-based printers (HPRT, Rongta)
        (0x0DD4, 0x0205),  # Custom / Sewoo
    )
    capabilities = frozenset({"print_raster", "cut", "status"})
    papers = frozenset({"thermal"})
    chunk_bytes = 4096
    timeout_ms = 5000

    def __init__(self) -> None:
        self.device: Any = None
        self.interface: Any = None
        self.out_endpoint: Any = None
        self.in_endpoint: Any = None

    def open(self, device: Any) -> None:
        """Claim the printer interface and find its bulk endpoints from the descriptors."""
        self.device = device
        _, self.interface = claim(device, PRINTER_CLASS)
        self.out_endpoint = endpoint(self.interface, usb.util.ENDPOINT_OUT, usb.util.ENDPOINT_TYPE_BULK)
        self.in_endpoint = endpoint(self.interface, usb.util.ENDPOINT_IN, usb.util.ENDPOINT_TYPE_BULK)
        if self.out_endpoint is None:
            raise DeviceFault("error", T("Máy in không có cổng bulk OUT", "The printer has no bulk OUT endpoint"))

    def write(self, data: bytes) -> None:
        """Send ``data`` in chunks; a chunk the printer takes only partly is resumed.

        :raises DeviceFault: timeout (the fault is then read with DLE EOT when possible),
            unplugged, busy.
        """
        position = 0
        while position < len(data):
            chunk = data[position : position + self.chunk_bytes]
            try:
                taken = self.device.write(self.out_endpoint, chunk, self.timeout_ms)
            except usb.core.USBError as exc:
                fault = usb_fault(exc)
                if fault.state == "timeout":
                    fault = self._explain_timeout(fault)
                raise fault from exc
            if taken <= 0:
                raise DeviceFault("timeout", T("Máy in không nhận dữ liệu", "The printer takes no data"))
            position += taken

    def _explain_timeout(self, fault: DeviceFault) -> DeviceFault:
        try:
            state = self.status()
        except DeviceFault as other:
            return other
        if state in ("paper_out", "cover_open"):
            return DeviceFault(state, T("Máy in dừng: {state}", "The printer stopped: {state}",
                                        state=state.replace("_", " ")))
        return fault

    def read_status(self) -> escpos.PrinterStatus | None:
        """Return the answers to DLE EOT 1, 2, 4, or None when the printer has no IN endpoint."""
        if self.in_endpoint is None:
            return None
        answers = []
        for kind in (escpos.STATUS_PRINTER, escpos.STATUS_OFFLINE, escpos.STATUS_PAPER):
            try:
                self.device.write(self.out_endpoint, escpos.status_request(kind), self.timeout_ms)
                answer = self.device.read(self.in_endpoint, 1, self.timeout_ms)
            except usb.core.USBError as exc:
                raise usb_fault(exc) from exc
            if len(answer) != 1:
                raise DeviceFault("error", T("Máy in trả lời trạng thái sai", "The printer's status answer is malformed"))
            answers.append(answer[0])
        try:
            return escpos.parse_status(*answers)
        except ValueError as exc:
            raise DeviceFault("error", T("Máy in trả lời trạng thái sai", "The printer's status answer is malformed")) from exc

    def status(self) -> str:
        """Return ``online``, ``paper_out``, ``cover_open`` or ``error`` (DLE EOT)."""
        found = self.read_status()
        if found is None or found.ready:
            return "online"
        if found.paper_out:
            return "paper_out"
        if found.cover_open:
            return "cover_open"
        return "error"

    def print_raster(self, image: Any) -> None:
        """Initialise, send ``image`` as GS v 0 bands, feed to the cutter."""
        if image.width > self.width_dots:
            raise DeviceFault("error", T("Ảnh rộng {w} chấm, máy in chỉ in {max}",
                                         "The image is {w} dots wide; the printer prints {max}",
                                         w=image.width, max=self.width_dots))
        self.write(escpos.INIT + escpos.raster(image) + escpos.feed(4))

    def cut(self) -> None:
        """Cut the paper (GS V)."""
        self.write(escpos.CUT)

    def close(self) -> None:
        """Release the interface."""
        if self.device is not None:
            release(self.device, self.interface)
            self.device = None
