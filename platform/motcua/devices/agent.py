"""``motcua agent``: the process on a counter PC that drives its printers and scanners.

It long-polls the server for the counter's print jobs, prints each on the right device,
acknowledges a job only after the printer took every byte and reported no fault, pushes
what the scanners read, and reports the devices' health. When the server is unreachable it
keeps results and scans in an outbox on disk and reconnects with exponential backoff; the
journal (:mod:`motcua.devices.journal`) keeps a killed agent from printing a job twice.
"""

from __future__ import annotations

import contextlib
import json
import logging
import random
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from motcua.devices.journal import Journal, Outbox
from motcua.i18n import T, Text
from motcua.plugin_api import DeviceDriver, DeviceFault, PrinterDriver, ScannerDriver

log = logging.getLogger(__name__)

HEALTH_EVERY = 10.0  # seconds between health reports (and rediscovery of lost devices)
BACKOFF_MAX = 60.0


class Offline(Exception):
    """The server could not be reached (or answered 5xx); try again later."""


class Refused(Exception):
    """The server refused the token (401): the agent cannot go on."""


@dataclass
class AgentConfig:
    """What ``motcua agent`` was started with."""

    server: str
    token: str
    state_dir: Path
    emulate: list[str] = field(default_factory=list)
    capture_dir: Path | None = None
    once: bool = False
    wait: float = 20.0
    options: dict[str, str] = field(default_factory=dict)


class Server:
    """The agent API over HTTP (urllib; no session, the token on every request)."""

    def __init__(self, base: str, token: str, timeout: float = 10.0) -> None:
        if not base.startswith(("http://", "https://")):
            raise ValueError(f"the server URL must start with http:// or https://, not {base!r}")
        self.base = base.rstrip("/") + "/api/agent/v1"
        self.token = token
        self.timeout = timeout

    def request(self, method: str, path: str, body: dict[str, Any] | None = None,
                *, timeout: float | None = None) -> tuple[int, bytes, dict[str, str]]:
        """Return status, body and headers. :raises Offline, Refused:"""
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json",
                   "Accept": "application/json"}
        # http(s) only: checked in __init__
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=timeout or self.timeout) as response:  # noqa: S310
                return response.status, response.read(), dict(response.headers)
        except urllib.error.HTTPError as error:
            if error.code == 401:
                raise Refused(error.read().decode("utf-8", "replace")) from None
            if error.code >= 500:
                raise Offline(f"HTTP {error.code}") from None
            return error.code, error.read(), dict(error.headers)
        except (urllib.error.URLError, OSError, TimeoutError) as error:
            raise Offline(str(error)) from None

    def json(self, method: str, path: str, body: dict[str, Any] | None = None,
             *, timeout: float | None = None) -> tuple[int, Any]:
        status, data, _ = self.request(method, path, body, timeout=timeout)
        try:
            return status, json.loads(data or b"null")
        except ValueError:
            return status, None


@dataclass
class Device:
    """A device the agent opened: its driver, name, USB id and last known state."""

    driver: DeviceDriver
    name: str
    usb_id: str
    state: str = "online"
    detail: str = ""
    handle: Any = None


class Agent:
    """One counter's agent. ``drivers`` are the installed drivers, ``backend`` the pyusb
    backend (None: libusb; the emulated bus with ``--emulate``)."""

    def __init__(self, config: AgentConfig, drivers: list[DeviceDriver], backend: Any = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.config = config
        self.drivers = drivers
        self.backend = backend
        self.server = Server(config.server, config.token)
        self.journal = Journal(config.state_dir)
        self.outbox = Outbox(config.state_dir)
        self.devices: dict[str, Device] = {}
        self.sleep = sleep
        self.lock = threading.Lock()
        self.backoff = 0.0
        self.printed = 0
        self.failed = 0
        self.stopping = threading.Event()
        self._last_health = 0.0
        self._retry_at: dict[int, tuple[float, int]] = {}  # job id -> (monotonic time, failures)

    # --- devices ---------------------------------------------------------------------

    def discover(self) -> None:
        """Open every device a driver finds and that is not open yet."""
        for driver in self.drivers:
            try:
                found = driver.discover(self.backend, self.config.options)
            except Exception as exc:  # noqa: BLE001 - a broken driver or no libusb must not stop the agent
                log.warning("driver %s cannot discover devices: %s", driver.name, exc)
                continue
            for handle in found[:1]:  # one device per driver: a counter has one printer of a kind
                name = _device_name(driver, handle)
                known = self.devices.get(name)
                if known is not None and known.state not in ("unplugged", "busy"):
                    continue
                try:
                    driver.open(handle)
                except (DeviceFault, OSError) as exc:
                    state = exc.state if isinstance(exc, DeviceFault) else "error"
                    self.devices[name] = Device(driver, name, _usb_id(handle), state, str(exc), handle)
                    continue
                self.devices[name] = Device(driver, name, _usb_id(handle), "online", "", handle)
                log.info("opened %s with %s", name, driver.name)

    def refresh_health(self) -> None:
        """Ask each printer its state; mark the devices that are gone as unplugged."""
        for device in self.devices.values():
            if device.state == "unplugged":
                continue
            if isinstance(device.driver, PrinterDriver):
                try:
                    device.state, device.detail = device.driver.status(), ""
                except DeviceFault as fault:
                    device.state, device.detail = fault.state, fault.text.render("en")

    def report_health(self, force: bool = False) -> None:
        """Send the devices' states (every :data:`HEALTH_EVERY` seconds, or now with ``force``)."""
        if not force and time.monotonic() - self._last_health < HEALTH_EVERY:
            return
        self._last_health = time.monotonic()
        if any(d.state in ("unplugged", "busy", "error") for d in self.devices.values()) or not self.devices:
            self.discover()
        self.refresh_health()
        report = [{"name": d.name, "driver": d.driver.name, "kind": d.driver.kind, "usb_id": d.usb_id,
                   "state": d.state, "detail": d.detail} for d in self.devices.values()]
        self.server.json("POST", "/health", {"devices": report})

    def printer_for(self, paper: str) -> Device | None:
        """Return the printer for ``paper``: one that takes it, else a raster printer (the
        page is fitted to its width), else None."""
        printers = [d for d in self.devices.values() if isinstance(d.driver, PrinterDriver)]
        for device in printers:
            if paper in device.driver.papers:  # type: ignore[attr-defined]
                return device
        for device in printers:
            if "print_raster" in device.driver.capabilities and "thermal" in device.driver.papers:  # type: ignore[attr-defined]
                return device
        return None

    # --- jobs --------------------------------------------------------------------------

    def acknowledge_journal(self) -> None:
        """Tell the server about jobs printed before a crash or an outage (never reprint them)."""
        for entry in self.journal.printed_not_acknowledged():
            self.send_result(int(entry["job"]), {"printed": True, "device": entry.get("device", "")})

    def send_result(self, job_id: int, body: dict[str, Any]) -> None:
        """Post a job's outcome; an acknowledged print leaves the journal. :raises Offline:"""
        status, _ = self.server.json("POST", f"/jobs/{job_id}/result", body)
        if body.get("printed") and status in (200, 404):
            self.journal.forget(job_id)

    def process(self, job: dict[str, Any]) -> bool:
        """Print one owed job; return True when it was printed (now or before a crash).

        A job whose print failed mid-way waits before the next try (5 s doubling to 60 s),
        so a printer that keeps timing out is not fed the same slip in a loop.
        """
        job_id = int(job["id"])
        entry = self.journal.state(job_id)
        if entry is not None and entry.get("state") == "printed":
            self.send_result(job_id, {"printed": True, "device": entry.get("device", "")})
            return True
        retry_at, failures = self._retry_at.get(job_id, (0.0, 0))
        if time.monotonic() < retry_at and not self.config.once:
            return False
        device = self.printer_for(str(job.get("paper", "")))
        if device is None:
            self._fail(job_id, "", "not_configured", T(
                "Quầy không có máy in cho khổ {paper}", "The counter has no printer for {paper} paper",
                paper=job.get("paper")))
            return False
        if device.state != "online":
            self.refresh_health()
        if device.state != "online":
            self._fail(job_id, device.name, device.state, None)
            return False
        status, pdf, _ = self.server.request("GET", f"/jobs/{job_id}/pdf", timeout=60)
        if status != 200:
            log.warning("job %s: PDF answered %s", job_id, status)
            return False
        copies = max(1, int(job.get("copies") or 1))
        self.journal.mark(job_id, "printing", device=device.name)
        try:
            self._print(device, job_id, pdf, copies)
        except DeviceFault as fault:
            self.journal.forget(job_id)
            self._retry_at[job_id] = (time.monotonic() + min(BACKOFF_MAX, 5.0 * 2**failures), failures + 1)
            device.state, device.detail = fault.state, fault.text.render("en")
            self._fail(job_id, device.name, fault.state, fault.text)
            return False
        self.journal.mark(job_id, "printed", device=device.name)
        self._retry_at.pop(job_id, None)
        self.printed += 1
        log.info("job %s printed on %s", job_id, device.name)
        self.send_result(job_id, {"printed": True, "device": device.name})
        return True

    def _print(self, device: Device, job_id: int, pdf: bytes, copies: int) -> None:
        from motcua.devices.emulated import set_label

        driver = device.driver
        assert isinstance(driver, PrinterDriver)
        set_label(self.backend, f"job-{job_id}")
        if "print_raster" in driver.capabilities:
            from motcua.printing.raster import pdf_to_thermal

            image = pdf_to_thermal(pdf, width_px=driver.width_dots)
            for _ in range(copies):
                driver.print_raster(image)
                driver.cut()
        else:
            driver.print_pdf(pdf, copies)
        state = driver.status()
        if state != "online":
            raise DeviceFault(state, T("Máy in báo lỗi sau khi in", "The printer reported a fault after printing"))

    def _fail(self, job_id: int, device: str, state: str, text: Text | None) -> None:
        self.failed += 1
        body: dict[str, Any] = {"printed": False, "device": device, "state": state}
        if text is not None:
            body["error"] = {"vi": text.render("vi"), "en": text.render("en")}
        # A failure need not be queued: the job stays owed and is pulled again.
        with contextlib.suppress(Offline):
            self.send_result(job_id, body)

    # --- scans -------------------------------------------------------------------------

    def send_scan(self, text: str, device: str) -> None:
        """Push a scan now, or keep it in the outbox when the server is unreachable."""
        body = {"text": text, "device": device}
        with self.lock:
            try:
                if len(self.outbox):
                    raise Offline("outbox not empty: keep the order")
                self.server.json("POST", "/scans", body)
            except Offline:
                self.outbox.put("/scans", body)

    def read_scanners(self, timeout: float = 0.2) -> int:
        """Read each scanner once (up to ``timeout`` seconds); push what was read; return the count."""
        count = 0
        for device in list(self.devices.values()):
            if not isinstance(device.driver, ScannerDriver) or device.state != "online":
                continue
            try:
                text = device.driver.read_text(timeout)
            except DeviceFault as fault:
                device.state, device.detail = fault.state, fault.text.render("en")
                continue
            if text:
                self.send_scan(text, device.name)
                count += 1
        return count

    def scanner_loop(self) -> None:
        """Read the scanners until the agent stops (a thread beside the job loop)."""
        while not self.stopping.is_set():
            if not self.read_scanners(timeout=0.5):
                self.stopping.wait(0.05)

    def flush_outbox(self) -> None:
        """Send what was kept while offline, oldest first. :raises Offline:"""
        with self.lock:
            for file, item in self.outbox.items():
                status, _ = self.server.json("POST", item["path"], item["body"])
                if status >= 400:
                    log.warning("outbox message %s refused (%s): dropped", file.name, status)
                file.unlink(missing_ok=True)

    # --- the loop ----------------------------------------------------------------------

    def cycle(self, wait: float) -> list[dict[str, Any]]:
        """One round: flush, acknowledge, report, pull and print; return the jobs pulled.
        :raises Offline, Refused:"""
        self.flush_outbox()
        self.acknowledge_journal()
        self.report_health()
        _, answer = self.server.json("GET", f"/jobs?wait={wait:g}", timeout=wait + 15)
        jobs = list((answer or {}).get("jobs") or [])
        for job in jobs:
            self.process(job)
        return jobs

    def run(self) -> int:
        """Run until stopped (or, with ``once``, until nothing printable is left); return
        the exit status (0, 2 server unreachable with ``once``, 3 token refused)."""
        self.discover()
        scanner = None
        if not self.config.once and any(isinstance(d.driver, ScannerDriver) for d in self.devices.values()):
            scanner = threading.Thread(target=self.scanner_loop, name="scanners", daemon=True)
            scanner.start()
        try:
            while not self.stopping.is_set():
                try:
                    if self.config.once:
                        return self._once()
                    self._last_health = 0.0 if self.backoff else self._last_health
                    jobs = self.cycle(self.config.wait)
                    self.backoff = 0.0
                    if jobs and not any(self._printable(job) for job in jobs):
                        self.sleep(2.0)  # owed jobs wait for a device: do not spin
                except Offline as exc:
                    self.backoff = min(BACKOFF_MAX, max(1.0, self.backoff * 2))
                    delay = self.backoff * (0.5 + random.random() / 2)  # noqa: S311 - jitter
                    log.warning("server unreachable (%s); retrying in %.1f s", exc, delay)
                    self.sleep(delay)
        except Refused as exc:
            log.error("the server refused the agent token: %s", exc)
            return 3
        finally:
            self.stopping.set()
            if scanner is not None:
                scanner.join(timeout=2)
        return 0

    def _printable(self, job: dict[str, Any]) -> bool:
        if time.monotonic() < self._retry_at.get(int(job["id"]), (0.0, 0))[0]:
            return False
        device = self.printer_for(str(job.get("paper", "")))
        return device is not None and device.state == "online"

    def _once(self) -> int:
        try:
            self.read_scanners(timeout=0.3)
            seen: set[int] = set()
            while True:
                jobs = [job for job in self.cycle(0) if int(job["id"]) not in seen]
                if not jobs:
                    break
                seen.update(int(job["id"]) for job in jobs)
            self.report_health(force=True)
            self.flush_outbox()
        except Offline as exc:
            log.error("server unreachable: %s", exc)
            return 2
        return 0


def _device_name(driver: DeviceDriver, handle: Any) -> str:
    bus, address = getattr(handle, "bus", None), getattr(handle, "address", None)
    if bus is not None and address is not None:
        return f"{driver.name}@{bus}.{address}"
    if isinstance(handle, str) and handle:
        return f"{driver.name}@{handle}"
    return driver.name


def _usb_id(handle: Any) -> str:
    vendor, product = getattr(handle, "idVendor", None), getattr(handle, "idProduct", None)
    return f"{vendor:04x}:{product:04x}" if vendor is not None and product is not None else ""
