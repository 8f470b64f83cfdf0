"""``motcua agent`` (the counter PC's device agent) and ``motcua devices list|probe``."""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
from pathlib import Path
from typing import Any

import click

from motcua.cli import fail, say
from motcua.i18n import T


def _drivers() -> list[Any]:
    """Every installed device driver (the agent is local: no ward setting to filter by)."""
    from motcua.plugins.host import build_host

    host = build_host()
    return [d for items in host._registered.device_drivers.values() for d in items]


def _backend(emulate: str, capture_dir: Path | None) -> Any:
    if not emulate:
        return None
    from motcua.devices.emulated import emulated_bus

    kinds = [k.strip() for k in emulate.split(",") if k.strip()]
    try:
        return emulated_bus(kinds, capture_dir)
    except ValueError as exc:
        fail(T("--emulate sai: {e}", "Bad --emulate: {e}", e=str(exc)), code=2)


def _options(pairs: tuple[str, ...]) -> dict[str, str]:
    options = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            fail(T("--option cần dạng KHOÁ=GIÁ_TRỊ: {p}", "--option needs KEY=VALUE: {p}", p=pair), code=2)
        options[key.strip()] = value.strip()
    return options


def register(main: click.Group) -> None:
    """Add ``agent`` and ``devices`` to ``main``."""

    @main.command()
    @click.option("--server", required=True, envvar="MOTCUA_AGENT_SERVER", help="Địa chỉ máy chủ motcua (server URL)")
    @click.option("--token", required=True, envvar="MOTCUA_AGENT_TOKEN", help="Mã máy trạm ma_… (agent token)")
    @click.option("--emulate", default="", help="Thiết bị giả lập (emulated devices): printer,scanner")
    @click.option("--capture-dir", type=click.Path(path_type=Path, file_okay=False),
                  help="Nơi máy in giả lập ghi byte nhận được (where the emulated printer writes its bytes)")
    @click.option("--state-dir", type=click.Path(path_type=Path, file_okay=False), envvar="MOTCUA_AGENT_STATE",
                  help="Nhật ký lệnh in và hàng đợi ngoại tuyến (journal and offline queue); mặc định ~/.local/state/motcua-agent")
    @click.option("--once", is_flag=True, help="In hết việc đang chờ rồi thoát (drain what is pending, then exit)")
    @click.option("--wait", default=20.0, type=float, show_default=True, help="Giây chờ mỗi lần hỏi (long-poll seconds)")
    @click.option("--option", "pairs", multiple=True, help="Tuỳ chọn cho trình điều khiển KEY=VALUE, vd. pdf_printer=HP_A4")
    @click.option("-v", "--verbose", is_flag=True)
    def agent(server: str, token: str, emulate: str, capture_dir: Path | None, state_dir: Path | None,
              once: bool, wait: float, pairs: tuple[str, ...], verbose: bool) -> None:
        """Chạy máy trạm thiết bị ở quầy (run the counter PC's device agent)."""
        from motcua.devices.agent import Agent, AgentConfig

        logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
        folder = state_dir or Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "motcua-agent"
        config = AgentConfig(server=server, token=token, state_dir=folder, emulate=emulate.split(",") if emulate else [],
                             capture_dir=capture_dir, once=once, wait=wait, options=_options(pairs))
        try:
            runner = Agent(config, _drivers(), _backend(emulate, capture_dir))
        except ValueError as exc:
            fail(T("Cấu hình sai: {e}", "Bad configuration: {e}", e=str(exc)), code=2)
        signal.signal(signal.SIGTERM, lambda *_: runner.stopping.set())
        code = runner.run()
        if code == 2:
            fail(T("Không kết nối được máy chủ {s}", "Cannot reach the server {s}", s=server), code=2)
        if code == 3:
            fail(T("Máy chủ từ chối mã máy trạm (đã thu hồi?)", "The server refused the agent token (revoked?)"), code=3)
        if once:
            say(T("Đã in {n} lệnh, {f} lần chưa in được", "Printed {n} jobs, {f} attempts failed",
                  n=runner.printed, f=runner.failed))

    @main.group()
    def devices() -> None:
        """Trình điều khiển thiết bị (device drivers)."""

    @devices.command("list")
    @click.option("--json", "as_json", is_flag=True, help="In JSON")
    def list_drivers(as_json: bool) -> None:
        """Liệt kê trình điều khiển đã cài cùng mã USB (installed drivers with their USB ids)."""
        rows = [{"name": d.name, "kind": d.kind, "title": d.title.render("en"),
                 "usb_ids": [f"{v:04x}:{p:04x}" for v, p in d.usb_ids],
                 "capabilities": sorted(d.capabilities)} for d in _drivers()]
        if as_json:
            click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            click.echo(f"{row['name']:<20} {row['kind']:<8} {', '.join(row['usb_ids']) or '-':<40} {row['title']}")

    @devices.command("probe")
    @click.option("--emulate", default="", help="Dò trên bus giả lập (probe the emulated bus): printer,scanner")
    @click.option("--option", "pairs", multiple=True, help="KEY=VALUE cho trình điều khiển")
    def probe(emulate: str, pairs: tuple[str, ...]) -> None:
        """Liệt kê thiết bị đang cắm và trình điều khiển nhận nó (what is plugged in, and which driver claims it)."""
        import usb.core

        backend = _backend(emulate, None)
        drivers = _drivers()
        try:
            found = list(usb.core.find(find_all=True, backend=backend))
        except usb.core.NoBackendError:
            fail(T("Không có libusb: cài gói libusb-1.0-0", "No libusb: install the libusb-1.0-0 package"))
        for device in found:
            owner = next((d.name for d in drivers if d.matches(device.idVendor, device.idProduct)), "-")
            click.echo(f"{device.idVendor:04x}:{device.idProduct:04x} bus {device.bus} address {device.address}  -> {owner}")
        options = _options(pairs)
        for driver in drivers:
            if driver.usb_ids:
                continue
            try:
                targets = driver.discover(backend, options)
            except Exception as exc:  # noqa: BLE001 - report, do not stop
                targets = [f"error: {exc}"]
            click.echo(f"{driver.name}: {', '.join(map(str, targets)) or '-'}")

    register_files(main)

    @main.command("demo-agents", hidden=True)
    @click.option("--server", required=True)
    def demo_agents(server: str) -> None:
        """Chạy máy trạm giả lập cho mọi quầy của demo (run the demo's emulated counter agents)."""
        import threading

        from motcua.cli import app_context
        from motcua.devices.demo import prepare_demo_agents, run_demo_agents

        with app_context() as app:
            agents = prepare_demo_agents(app.extensions["motcua.settings"].data_dir)
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        try:
            run_demo_agents(server, agents, _drivers(), stop)
        except KeyboardInterrupt:
            stop.set()


UNIT = """\
# motcua agent on a counter PC (docs/devices.md). Install:
#   sudo cp motcua-agent.service /etc/systemd/system/ && sudo systemctl daemon-reload
#   sudo systemctl enable --now motcua-agent
[Unit]
Description=motcua device agent (counter printers and scanners)
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
User=motcua-agent
Group=motcua-agent
SupplementaryGroups=plugdev dialout
# MOTCUA_AGENT_SERVER and MOTCUA_AGENT_TOKEN (ma_...) live here, readable by root only.
EnvironmentFile=/etc/motcua/agent.env
Environment=MOTCUA_AGENT_STATE=/var/lib/motcua-agent
StateDirectory=motcua-agent
ExecStart={executable} agent
Restart=always
RestartSec=5
# The agent keeps its journal and offline queue in StateDirectory: a kill or a power cut
# loses no job and prints none twice.
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes

[Install]
WantedBy=multi-user.target
"""


def udev_rules(drivers: list[Any]) -> str:
    """Return udev rules giving the agent's groups the devices of ``drivers``: ``plugdev``
    for USB devices (libusb), ``dialout`` and a ``/dev/motcua-scanner`` link for CDC scanners."""
    lines = [
        "# motcua counter devices (generated by `motcua devices udev-rules`; docs/devices.md).",
        "# Install: sudo cp 60-motcua-devices.rules /etc/udev/rules.d/ && sudo udevadm control --reload && sudo udevadm trigger",
    ]
    for driver in sorted(drivers, key=lambda d: d.name):
        if driver.usb_ids:
            lines.append(f"# {driver.name}: {driver.title.render('en')}")
        for vendor, product in driver.usb_ids:
            ids = f'ATTRS{{idVendor}}=="{vendor:04x}", ATTRS{{idProduct}}=="{product:04x}"'
            if "read_text" in driver.capabilities and "serial" in driver.name:
                lines.append(f'SUBSYSTEM=="tty", {ids}, MODE="0660", GROUP="dialout", SYMLINK+="motcua-scanner"')
            else:
                lines.append(f'SUBSYSTEM=="usb", ENV{{DEVTYPE}}=="usb_device", {ids}, MODE="0660", GROUP="plugdev"')
    return "\n".join(lines) + "\n"


def register_files(main: click.Group) -> None:
    """Add ``devices udev-rules`` and ``devices systemd-unit``."""
    devices = main.commands["devices"]
    assert isinstance(devices, click.Group)

    @devices.command("udev-rules")
    def print_udev_rules() -> None:
        """In luật udev cho các thiết bị của trình điều khiển đã cài (print udev rules for the installed drivers)."""
        click.echo(udev_rules(_drivers()), nl=False)

    @devices.command("systemd-unit")
    def print_unit() -> None:
        """In tệp dịch vụ systemd của agent (print the agent's systemd unit)."""
        executable = Path(sys.argv[0]).resolve() if sys.argv and sys.argv[0].endswith("motcua") else Path("/usr/local/bin/motcua")
        click.echo(UNIT.replace("{executable}", str(executable)), nl=False)
