"""The ``devices`` plugin: motcua's own drivers, registered like any outside driver package."""

from __future__ import annotations

from motcua.plugin_api import DeviceDriver, hookimpl
from motcua_devices import __version__ as __version__
from motcua_devices.escpos_usb import EscposUsbPrinter

default_enabled = True


@hookimpl
def register_device_drivers() -> list[DeviceDriver]:
    """Return the ESC/POS USB printer, the CUPS page printer and the CCCD scanners."""
    return [EscposUsbPrinter()]
