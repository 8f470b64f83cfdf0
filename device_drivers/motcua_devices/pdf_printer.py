"""A page printer for A4/A5 slips: the PDF goes to a CUPS queue with ``lp``."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping
from typing import Any

from motcua.plugin_api import DeviceFault, PrinterDriver, T

NOT_CONFIGURED = T(
    "Chưa cấu hình máy in A4/A5: chạy agent với --option pdf_printer=TÊN_HÀNG_IN_CUPS (docs/devices.md)",
    "No A4/A5 printer configured: run the agent with --option pdf_printer=CUPS_QUEUE (docs/devices.md)",
)


class CupsPdfPrinter(PrinterDriver):
    """Prints PDFs on the CUPS queue named by ``--option pdf_printer=QUEUE``."""

    name = "cups-pdf"
    title = T("Máy in A4/A5 qua CUPS (lp)", "A4/A5 printer through CUPS (lp)")
    usb_ids = ()
    capabilities = frozenset({"print_pdf"})
    papers = frozenset({"A4", "A5", "A4-landscape"})

    def __init__(self) -> None:
        self.queue = ""

    def discover(self, backend: Any = None, options: Mapping[str, str] | None = None) -> list[Any]:
        """Return ``[queue]`` when one is configured, else nothing."""
        queue = (options or {}).get("pdf_printer", "")
        return [queue] if queue else []

    def open(self, device: Any) -> None:
        """Remember the queue; refuse when CUPS' ``lp`` is not installed."""
        if shutil.which("lp") is None:
            raise DeviceFault("not_configured", T("Chưa cài CUPS (lệnh lp): apt-get install cups-client",
                                                  "CUPS is not installed (no lp): apt-get install cups-client"))
        self.queue = str(device)

    def status(self) -> str:
        """``online`` when a queue is set, else ``not_configured``."""
        return "online" if self.queue else "not_configured"

    def print_pdf(self, pdf: bytes, copies: int = 1) -> None:
        """Send ``pdf`` to the queue; raise DeviceFault with lp's own message on failure."""
        if not self.queue:
            raise DeviceFault("not_configured", NOT_CONFIGURED)
        lp = shutil.which("lp") or "lp"
        try:
            done = subprocess.run([lp, "-d", self.queue, "-n", str(copies), "-"], input=pdf,  # noqa: S603
                                  capture_output=True, timeout=60, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise DeviceFault("error", T("lp không chạy được: {e}", "lp failed: {e}", e=str(exc))) from exc
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip()[:300]
            raise DeviceFault("error", T("CUPS từ chối lệnh in: {m}", "CUPS refused the job: {m}", m=message))
