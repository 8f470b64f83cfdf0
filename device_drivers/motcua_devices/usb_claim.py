"""Claiming a USB interface the way libusb allows: detach the kernel driver, configure, claim."""

from __future__ import annotations

import errno
from typing import Any

import usb.core
import usb.util

from motcua.plugin_api import DeviceFault, T


def claim(device: Any, interface_class: int | None = None) -> tuple[Any, Any]:
    """Claim the first interface of ``device`` (of ``interface_class`` if given); return
    ``(configuration, interface)``.

    :raises DeviceFault: the device is gone (``unplugged``) or held by another program
        (``busy``).
    """
    try:
        try:
            configuration = device.get_active_configuration()
        except usb.core.USBError:
            device.set_configuration()
            configuration = device.get_active_configuration()
        interface = usb.util.find_descriptor(
            configuration,
            custom_match=lambda i: interface_class is None or i.bInterfaceClass == interface_class,
        )
        if interface is None:
            raise DeviceFault("error", T("Thiết bị không có giao diện cần dùng",
                                         "The device has no interface of the expected class"))
        number = interface.bInterfaceNumber
        try:
            if device.is_kernel_driver_active(number):
                device.detach_kernel_driver(number)
        except NotImplementedError:
            pass  # backends without kernel drivers (Windows, OpenUSB)
        usb.util.claim_interface(device, number)
    except usb.core.USBError as exc:
        raise usb_fault(exc) from exc
    return configuration, interface


def endpoint(interface: Any, direction: int, kind: int) -> Any:
    """Return the interface's first endpoint of ``direction`` and transfer ``kind``, or None."""
    return usb.util.find_descriptor(
        interface,
        custom_match=lambda e: usb.util.endpoint_direction(e.bEndpointAddress) == direction
        and usb.util.endpoint_type(e.bmAttributes) == kind,
    )


def usb_fault(exc: usb.core.USBError) -> DeviceFault:
    """Return the :class:`DeviceFault` that a pyusb error means."""
    if isinstance(exc, usb.core.USBTimeoutError) or exc.errno == errno.ETIMEDOUT:
        return DeviceFault("timeout", T("Thiết bị không phản hồi trong thời gian chờ",
                                        "The device did not answer in time"))
    if exc.errno in (errno.ENODEV, errno.ENOENT) or exc.backend_error_code == -4:
        return DeviceFault("unplugged", T("Thiết bị đã bị rút hoặc mất kết nối USB",
                                          "The device was unplugged or lost its USB link"))
    if exc.errno == errno.EBUSY:
        return DeviceFault("busy", T(
            "Thiết bị đang bị chương trình khác giữ (usblp, CUPS); xem docs/devices.md",
            "Another program (usblp, CUPS) holds the device; see docs/devices.md"))
    if exc.errno == errno.EACCES:
        return DeviceFault("error", T(
            "Không có quyền dùng thiết bị USB: cài luật udev (docs/devices.md)",
            "No permission on the USB device: install the udev rules (docs/devices.md)"))
    return DeviceFault("error", T("Lỗi USB: {error}", "USB error: {error}", error=str(exc)))


def release(device: Any, interface: Any) -> None:
    """Release the claimed interface and the device's handles; never raises."""
    try:
        if interface is not None:
            usb.util.release_interface(device, interface.bInterfaceNumber)
        usb.util.dispose_resources(device)
    except usb.core.USBError:
        pass
