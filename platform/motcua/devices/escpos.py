"""ESC/POS as plain functions over bytes and images: no device, no I/O.

The commands used are the ones every 80 mm thermal printer of the Epson family takes:
``ESC @`` (initialise), ``GS v 0`` (raster bit image), ``ESC d n`` (feed), ``GS V`` (cut)
and the real-time status request ``DLE EOT n``. Vietnamese is never sent as text: slips are
rasterised (docs/printing.md), so code pages do not matter.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PIL import Image

INIT = b"\x1b\x40"
CUT = b"\x1d\x56\x42\x00"  # GS V 66 0: feed to the cutter, then a partial cut
_INVERT = bytes(255 - value for value in range(256))
BAND_ROWS = 255  # rows per GS v 0 command: small enough for the buffers of cheap printers

STATUS_PRINTER = 1
STATUS_OFFLINE = 2
STATUS_PAPER = 4


def status_request(kind: int) -> bytes:
    """Return ``DLE EOT kind`` (1 printer, 2 offline cause, 4 paper sensor)."""
    if kind not in (STATUS_PRINTER, STATUS_OFFLINE, STATUS_PAPER):
        raise ValueError(f"unknown DLE EOT status {kind}")
    return bytes((0x10, 0x04, kind))


def feed(lines: int) -> bytes:
    """Return ``ESC d lines`` (feed ``lines`` text lines, 0..255)."""
    if not 0 <= lines <= 255:
        raise ValueError("feed lines must be between 0 and 255")
    return bytes((0x1B, 0x64, lines))


def raster(image: Image.Image, *, band_rows: int = BAND_ROWS) -> bytes:
    """Return ``image`` as ``GS v 0`` commands, one per band of ``band_rows`` rows.

    Dots are black where the 1-bit image is black; a width that is not a multiple of 8 is
    padded with white dots on the right.
    """
    mono = image.convert("1")
    width_bytes = (mono.width + 7) // 8
    if mono.width % 8:
        padded = Image.new("1", (width_bytes * 8, mono.height), 1)
        padded.paste(mono, (0, 0))
        mono = padded
    # PIL packs mode "1" as 1 = white; ESC/POS wants 1 = a printed dot.
    ink = mono.tobytes().translate(_INVERT)
    out = bytearray()
    for top in range(0, mono.height, band_rows):
        rows = min(band_rows, mono.height - top)
        out += b"\x1d\x76\x30\x00" + width_bytes.to_bytes(2, "little") + rows.to_bytes(2, "little")
        out += ink[top * width_bytes : (top + rows) * width_bytes]
    return bytes(out)


def slip(image: Image.Image, *, copies: int = 1) -> bytes:
    """Return the whole stream of a slip: initialise, then per copy the raster, a feed and a cut."""
    body = raster(image) + feed(4) + CUT
    return INIT + body * copies


@dataclass(frozen=True)
class PrinterStatus:
    """What the printer said to ``DLE EOT``: each flag is True when the fault is present."""

    offline: bool = False
    cover_open: bool = False
    paper_out: bool = False
    paper_near_end: bool = False
    error: bool = False

    @property
    def ready(self) -> bool:
        """True when the printer can print now."""
        return not (self.offline or self.cover_open or self.paper_out or self.error)


def _check_status_byte(value: int) -> None:
    # Bits 1 and 4 are always 1 and bits 0 and 7 always 0 in a DLE EOT answer (Epson spec).
    if value & 0x93 != 0x12:
        raise ValueError(f"not a DLE EOT status byte: 0x{value:02x}")


def parse_status(printer: int, offline: int, paper: int) -> PrinterStatus:
    """Return the status from the answers to ``DLE EOT`` 1, 2 and 4.

    :raises ValueError: a byte is not a status answer (the fixed bits are wrong).
    """
    for value in (printer, offline, paper):
        _check_status_byte(value)
    return PrinterStatus(
        offline=bool(printer & 0x08),
        cover_open=bool(offline & 0x04),
        paper_out=bool(offline & 0x20) or bool(paper & 0x60),
        paper_near_end=bool(paper & 0x0C),
        error=bool(offline & 0x40),
    )


def status_byte(kind: int, status: PrinterStatus) -> int:
    """Return the byte a printer in ``status`` answers to ``DLE EOT kind`` (for emulators)."""
    value = 0x12
    if kind == STATUS_PRINTER and not status.ready:
        value |= 0x08
    elif kind == STATUS_OFFLINE:
        value |= (0x04 if status.cover_open else 0) | (0x20 if status.paper_out else 0)
        value |= 0x40 if status.error else 0
    elif kind == STATUS_PAPER:
        value |= (0x60 if status.paper_out else 0) | (0x0C if status.paper_near_end else 0)
    return value


# --- decoding (the virtual printer, tests) ----------------------------------------------


@dataclass
class Decoded:
    """A stream read back: the pages cut off (each an image) and what came after the last cut."""

    pages: list[Image.Image] = field(default_factory=list)
    widths: list[int] = field(default_factory=list)  # bytes per row of each GS v 0 band
    cuts: int = 0
    status_requests: list[int] = field(default_factory=list)
    pending: list[Image.Image] = field(default_factory=list)  # bands after the last cut


def decode(stream: bytes) -> Decoded:
    """Return the paper that ``stream`` prints: one image per cut page.

    :raises ValueError: a byte sequence that is not one of the commands motcua sends, or a
        command cut short.
    """
    result = Decoded()
    position = 0
    length = len(stream)
    while position < length:
        head = stream[position : position + 2]
        if head == INIT:
            position += 2
        elif head == b"\x1b\x64" and position + 2 < length:
            position += 3
        elif head == b"\x10\x04" and position + 2 < length:
            result.status_requests.append(stream[position + 2])
            position += 3
        elif stream[position : position + 3] == b"\x1d\x56\x42" and position + 3 < length:
            result.cuts += 1
            result.pages.append(stack(result.pending))
            result.pending = []
            position += 4
        elif stream[position : position + 4] == b"\x1d\x76\x30\x00" and position + 8 <= length:
            width = int.from_bytes(stream[position + 4 : position + 6], "little")
            rows = int.from_bytes(stream[position + 6 : position + 8], "little")
            end = position + 8 + width * rows
            if end > length or width == 0:
                raise ValueError(f"GS v 0 at byte {position} is cut short")
            data = stream[position + 8 : end].translate(_INVERT)
            result.pending.append(Image.frombytes("1", (width * 8, rows), data))
            result.widths.append(width)
            position = end
        else:
            raise ValueError(f"unknown ESC/POS bytes at {position}: {stream[position:position + 4].hex()}")
    return result


def stack(bands: list[Image.Image]) -> Image.Image:
    """Return ``bands`` one under another as one image (white where narrower)."""
    if not bands:
        return Image.new("1", (8, 1), 1)
    width = max(band.width for band in bands)
    sheet = Image.new("1", (width, sum(band.height for band in bands)), 1)
    top = 0
    for band in bands:
        sheet.paste(band, (0, top))
        top += band.height
    return sheet
