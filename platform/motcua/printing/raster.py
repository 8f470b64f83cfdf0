"""PDF to the 1-bit image a thermal printer prints (the ESC/POS driver sends it as is)."""

from __future__ import annotations

import io
import threading

import pypdfium2 as pdfium
from PIL import Image, ImageOps

# PDFium keeps process-wide state and is not thread-safe, so every use in this process
# goes through one lock. This is the only module-level object here, and it guards a
# process-global library rather than holding data.
PDFIUM_LOCK = threading.Lock()

_BLACK_BELOW = 160  # grey level under which a dot is printed; keeps thin diacritics


def pdf_to_thermal(pdf: bytes, *, dpi: int = 203, width_px: int = 576) -> Image.Image:
    """Return the pages of ``pdf`` stacked as one mode "1" image ``width_px`` dots wide.

    Pages are rendered at ``dpi`` (203 for common thermal heads), fitted to ``width_px``
    (576 = 72 mm at 203 dpi, the printable width of 80 mm paper) and thresholded; the
    white rows after the last printed row are trimmed, so a long page costs no paper.

    :raises ValueError: ``pdf`` is not a PDF or has no pages.
    """
    pages = _render_pages(pdf, dpi)
    fitted = [_fit_width(page, width_px) for page in pages]
    height = sum(page.height for page in fitted)
    sheet = Image.new("L", (width_px, height), 255)
    top = 0
    for page in fitted:
        sheet.paste(page, (0, top))
        top += page.height
    ink = ImageOps.invert(sheet).point(lambda v: 255 if v > 255 - _BLACK_BELOW else 0)
    box = ink.getbbox()
    bottom = box[3] if box else 1
    trimmed = sheet.crop((0, 0, width_px, bottom))
    return trimmed.point(lambda v: 255 if v >= _BLACK_BELOW else 0, mode="1")


def png_bytes(image: Image.Image) -> bytes:
    """Return ``image`` encoded as PNG."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _render_pages(pdf: bytes, dpi: int) -> list[Image.Image]:
    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(pdf)
        except pdfium.PdfiumError as exc:
            raise ValueError(f"not a readable PDF: {exc}") from None
        try:
            if len(document) == 0:
                raise ValueError("the PDF has no pages")
            images = []
            for index in range(len(document)):
                page = document[index]
                bitmap = page.render(scale=dpi / 72, grayscale=True)
                images.append(bitmap.to_pil().convert("L"))
                page.close()
            return images
        finally:
            document.close()


def _fit_width(page: Image.Image, width_px: int) -> Image.Image:
    if page.width == width_px:
        return page
    if abs(page.width - width_px) <= 2:
        # 72 mm at 203 dpi is 575.4 px: pad or cut the last dot instead of resampling.
        fitted = Image.new("L", (width_px, page.height), 255)
        fitted.paste(page.crop((0, 0, min(page.width, width_px), page.height)), (0, 0))
        return fitted
    height = max(1, round(page.height * width_px / page.width))
    return page.resize((width_px, height), Image.Resampling.LANCZOS)
