"""Printing: official forms and thermal slips as PDF and 1-bit images.

``PrintRenderer`` renders the built-in forms of Circular 03/2025/TT-VPCP (01-07) and the
thermal ``ticket`` / ``receipt80`` slips; ``SandboxedRenderer`` renders templates written by
administrators or plugins in a child process with a time limit; ``pdf_to_thermal`` turns a
thermal PDF into the image a printer driver sends.
"""

from __future__ import annotations

from motcua.printing.formatting import qr_svg
from motcua.printing.raster import pdf_to_thermal, png_bytes
from motcua.printing.render import FORMS, PAPERS, PrintRenderer
from motcua.printing.samples import sample_context
from motcua.printing.sandbox import SandboxedRenderer
from motcua.printing.templating import TemplateFailed

__all__ = [
    "FORMS",
    "PAPERS",
    "PrintRenderer",
    "SandboxedRenderer",
    "TemplateFailed",
    "pdf_to_thermal",
    "png_bytes",
    "qr_svg",
    "sample_context",
]
