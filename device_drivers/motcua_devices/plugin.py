"""The ``devices`` plugin: motcua's own drivers, registered like any outside driver package."""

from __future__ import annotations

from motcua.plugin_api import DeviceDriver, hookimpl
from motcua_devices import __version__ as __version__
from motcua_devices.escpos_usb import EscposUsbPrinter
from motcua_devices.pdf_printer import CupsPdfPrinter
from motcua_devices.scanners import CdcSerialScanner, HidPosScanner

default_enabled = True


@hookimpl
def register_device_drivers() -> list[DeviceDriver]:
    """Return the ESC/POS USB printer, the CUPS page printer and the CCCD scanners."""
    return [EscposUsbPrinter(), CupsPdfPrinter(), HidPosScanner(), CdcSerialScanner()]
