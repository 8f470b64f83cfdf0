"""motcua's first-party device drivers: an ESC/POS thermal printer over pyusb, a page printer
through CUPS ``lp``, and CCCD QR scanners (HID-POS over pyusb, USB-CDC serial with pyserial).

Installed with motcua and registered through the ``motcua`` entry point ``devices``
(``motcua_devices.plugin``), the same way an outside driver package is.
"""

__version__ = "0.1.0"
