"""Printing: official forms and thermal slips as PDF and 1-bit images.

``PrintRenderer`` renders the built-in forms of Circular 03/2025/TT-VPCP (01-07) and the
thermal ``ticket`` / ``receipt80`` slips; ``SandboxedRenderer`` renders templates written by
administrators or plugins in a child process with a time limit; ``pdf_to_thermal`` turns a
thermal PDF into the image a printer driver sends. Names are imported on first use, so
``motcua.printing.raster`` imports without WeasyPrint.
"""

from __future__ import annotations

from motcua.lazy import lazy_exports

_EXPORTS = {
    "qr_svg": "motcua.printing.formatting",
    "pdf_to_thermal": "motcua.printing.raster",
    "png_bytes": "motcua.printing.raster",
    "FORMS": "motcua.printing.render",
    "PAPERS": "motcua.printing.render",
    "PrintRenderer": "motcua.printing.render",
    "sample_context": "motcua.printing.samples",
    "SandboxedRenderer": "motcua.printing.sandbox",
    "TemplateFailed": "motcua.printing.templating",
}
__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
