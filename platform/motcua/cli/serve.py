"""``motcua serve`` (production) and ``motcua demo`` (one command on a fresh machine)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import click

from motcua.cli import app_context, say, user_errors
from motcua.i18n import T


def run_gunicorn(bind: str, workers: int, timeout: int = 60, extra: dict[str, Any] | None = None) -> None:
    """Serve ``create_app()`` with gunicorn sync workers until interrupted (Ctrl-C stops cleanly)."""
    from gunicorn.app.base import BaseApplication

    from motcua.app import create_app

    class Server(BaseApplication):
        def load_config(self) -> None:
            options = {"bind": bind, "workers": workers, "worker_class": "sync", "timeout": timeout,
                       "graceful_timeout": 10, "accesslog": "-", "errorlog": "-", **(extra or {})}
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return create_app()

    Server().run()


def register(main: click.Group) -> None:
    """Add ``serve`` and ``demo`` to ``main``."""

    @main.command()
    @click.option("--bind", default=lambda: os.environ.get("MOTCUA_BIND", "127.0.0.1:8000"), show_default="127.0.0.1:8000")
    @click.option("--workers", default=lambda: int(os.environ.get("MOTCUA_WORKERS", "2")), type=int, show_default="2")
    @click.option("--threads", default=lambda: int(os.environ.get("MOTCUA_THREADS", "4")), type=int, show_default="4",
                  help="Luồng mỗi tiến trình: máy trạm long-poll, và bản xem trước nặng chỉ giữ một luồng "
                       "(threads per worker: agents long-poll, and a heavy preview holds only one)")
    def serve(bind: str, workers: int, threads: int) -> None:
        """Chạy máy chủ web bằng gunicorn (run the web server with gunicorn)."""
        os.environ.setdefault("MOTCUA_HTTPS", "1")  # production sits behind HTTPS
        extra = {"worker_class": "gthread", "threads": threads} if threads > 1 else None
        run_gunicorn(bind, workers, extra=extra)

    @main.command()
    @click.option("--host", default="127.0.0.1", show_default=True)
    @click.option("--port", default=8000, type=int, show_default=True)
    @click.option("--data-dir", type=click.Path(path_type=Path, file_okay=False),
                  help="Thư mục dữ liệu demo (demo data folder); mặc định var/demo")
    @click.option("--prepare-only", is_flag=True, help="Chỉ chuẩn bị dữ liệu rồi thoát (prepare data and exit)")
    @click.option("--sim-port", default=8765, type=int, show_default=True,
                  help="Cổng của trình giả lập Cổng DVC (port of the portal simulator); 0: không chạy (none)")
    @user_errors
    def demo(host: str, port: int, data_dir: Path | None, prepare_only: bool, sim_port: int) -> None:
        """Chạy bản trình diễn trên máy này (run the demo on this machine)."""
        from motcua.config import REPO_ROOT
        from motcua.connectors.demo import SIM_CLIENT_ID, SIM_CLIENT_SECRET, wire_demo_wards
        from motcua.demo import prepare_demo

        folder = (data_dir or Path(os.environ.get("MOTCUA_DATA_DIR") or REPO_ROOT / "var" / "demo")).resolve()
        os.environ["MOTCUA_DATA_DIR"] = str(folder)
        # The demo serves plain HTTP on this machine only, so the cookie cannot be Secure.
        os.environ.setdefault("MOTCUA_SECURE_COOKIES", "0")
        os.environ.setdefault("MOTCUA_HTTPS", "0")
        os.environ.setdefault("MOTCUA_PUBLIC_URL", f"http://{host}:{port}")
        sim_url = f"http://127.0.0.1:{sim_port}" if sim_port else ""
        if sim_url:  # the simulator is also the citizens' identity provider (VNeID-style)
            os.environ.setdefault("MOTCUA_OIDC_ISSUER", sim_url)
            os.environ.setdefault("MOTCUA_OIDC_CLIENT_ID", SIM_CLIENT_ID)
            os.environ.setdefault("MOTCUA_OIDC_CLIENT_SECRET", SIM_CLIENT_SECRET)
        with app_context() as app:
            logins = prepare_demo(app)
            wired = wire_demo_wards(app, sim_url) if sim_url else []
        say(T("Dữ liệu demo ở {path}", "Demo data in {path}", path=folder))
        click.echo("")
        click.echo(f"{'Tên đăng nhập (login)':34} {'Vai trò (role)':16} Phường/xã (ward)")
        for row in logins.users:
            click.echo(f"{row.login:34} {row.role:16} {row.scope}")
        click.echo(f"\nMật khẩu chung (password for all): {logins.password}")
        if wired:
            say(T("{n} phường/xã nối với trình giả lập Cổng DVC ở {url}; công dân đăng nhập ở /cong-dan/",
                  "{n} wards wired to the portal simulator at {url}; citizens sign in at /cong-dan/",
                  n=len(wired), url=sim_url))
        if prepare_only:
            return
        click.echo(f"\nMở (open) http://{host}:{port}/   — Ctrl-C để dừng (to stop)\n")
        helpers = []
        if wired:  # online dossiers arrive from it, statuses leave to it; up before the worker
            from motcua.portal_sim.process import start_sim

            helpers.append(start_sim("--per-ward", "4", port=sim_port).process)
        # The worker runs beside the server, as it would on a ward's machine: print jobs,
        # the portal outbox, and a pull of online dossiers every 30 seconds.
        helpers.append(subprocess.Popen([sys.executable, "-m", "motcua.cli", "worker",  # noqa: S603
                                         "--pull-every", "30"]))
        # So do the counter PCs' agents, with emulated printers and scanners (docs/devices.md);
        # their long polls need server threads.
        helpers.append(subprocess.Popen([sys.executable, "-m", "motcua.cli", "demo-agents",  # noqa: S603
                                         "--server", f"http://{host}:{port}"]))
        try:
            run_gunicorn(f"{host}:{port}", workers=2, extra={"worker_class": "gthread", "threads": 24})
        finally:
            for helper in helpers:
                helper.terminate()
                helper.wait(timeout=10)
