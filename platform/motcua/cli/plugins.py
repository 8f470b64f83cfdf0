"""``motcua plugins list|enable|disable`` and ``motcua plugin new``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from motcua.cli import app_context, fail, say, user_errors
from motcua.i18n import T


def plugin_rows() -> list[dict[str, Any]]:
    """Return one row per loaded plugin and per load error (``plugins list --json``)."""
    from motcua.plugins import plugin_host
    from motcua.plugins.store import enabled_tenants

    with app_context() as app:
        host = plugin_host(app)
        tenants = enabled_tenants(host)
        rows: list[dict[str, Any]] = [
            {
                "name": info.name,
                "version": info.version,
                "distribution": info.distribution,
                "hooks": list(info.hooks),
                "builtin": info.builtin,
                "default_enabled": info.default_enabled,
                "enabled_tenants": tenants.get(info.name, []),
                "error": None,
            }
            for info in host.plugins()
        ]
        rows += [
            {
                "name": error.plugin,
                "version": "",
                "distribution": error.distribution,
                "hooks": [],
                "builtin": False,
                "default_enabled": False,
                "enabled_tenants": [],
                "error": error.error,
                "message": error.message.as_dict(),
            }
            for error in host.errors
        ]
    return rows


def _switch(name: str, tenant_code: str | None, province_code: str | None, enabled: bool) -> None:
    from motcua.plugins.store import set_plugin, set_province_plugin
    from motcua.tenancy.models import Tenant

    if bool(tenant_code) == bool(province_code):
        fail(
            T(
                "Cần đúng một trong --tenant hoặc --province",
                "Give exactly one of --tenant or --province",
            )
        )
    state = T("bật", "enabled") if enabled else T("tắt", "disabled")
    with app_context():
        if tenant_code:
            tenant = Tenant.get_or_none(Tenant.code == tenant_code)
            if tenant is None:
                fail(
                    T(
                        "Không có phường/xã mã `{code}`; chạy `motcua tenants list`",
                        "No ward with code `{code}`; run `motcua tenants list`",
                        code=tenant_code,
                    )
                )
            set_plugin(name, tenant, enabled, "cli")
            say(
                T(
                    "Đã {state} `{name}` ở {ward}",
                    "`{name}` {state} in {ward}",
                    state=state,
                    name=name,
                    ward=tenant.name,
                )
            )
        else:
            set_province_plugin(name, province_code or "", enabled, "cli")
            say(
                T(
                    "Đã {state} `{name}` mặc định cho tỉnh {code}",
                    "`{name}` {state} by default in province {code}",
                    state=state,
                    name=name,
                    code=province_code,
                )
            )


def register(main: click.Group) -> None:
    """Add the ``plugins`` and ``plugin`` commands to ``main``."""

    @main.group()
    def plugins() -> None:
        """Tiện ích mở rộng đã cài (installed plugins)."""

    @plugins.command("list")
    @click.option("--json", "as_json", is_flag=True, help="In JSON (print JSON)")
    def list_plugins(as_json: bool) -> None:
        """Liệt kê tiện ích: phiên bản, hook, phường/xã đang bật, lỗi nạp (list plugins)."""
        rows = plugin_rows()
        if as_json:
            click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            if row["error"]:
                click.echo(
                    f"{row['name']}  LỖI/ERROR ({row['distribution'] or '—'}): {row['error']}"
                )
                continue
            wards = ", ".join(row["enabled_tenants"]) or "—"
            click.echo(f"{row['name']} {row['version']}  ({row['distribution'] or '—'})")
            click.echo(f"    hooks: {', '.join(row['hooks']) or '—'}")
            click.echo(f"    bật ở (enabled in): {wards}")

    for command_name, enabled in (("enable", True), ("disable", False)):

        @plugins.command(command_name)
        @click.argument("name")
        @click.option("--tenant", "tenant_code", help="Mã phường/xã (ward code)")
        @click.option(
            "--province",
            "province_code",
            help="Mã tỉnh: đặt mặc định cho cả tỉnh (province default)",
        )
        @user_errors
        def switch(
            name: str, tenant_code: str | None, province_code: str | None, enabled: bool = enabled
        ) -> None:
            _switch(name, tenant_code, province_code, enabled)

        switch.help = (
            "Bật tiện ích cho một phường/xã hoặc một tỉnh (enable a plugin)"
            if enabled
            else "Tắt tiện ích cho một phường/xã hoặc một tỉnh (disable a plugin)"
        )

    @main.group()
    def plugin() -> None:
        """Viết tiện ích mới (write a plugin)."""

    @plugin.command("new")
    @click.argument("name")
    @click.option(
        "--dir",
        "directory",
        type=click.Path(path_type=Path, file_okay=False),
        default=Path("."),
        show_default=True,
        help="Thư mục đặt gói mới (where to create the package)",
    )
    @user_errors
    def new(name: str, directory: Path) -> None:
        """Tạo gói tiện ích cài được, có sẵn một thủ tục và kiểm thử (scaffold a plugin package)."""
        from motcua.plugins.scaffold import create_plugin

        target = create_plugin(name, directory)
        say(
            T(
                "Đã tạo {path}; cài bằng `pip install -e {path}` rồi chạy `pytest {path}`",
                "Created {path}; install with `pip install -e {path}`, then run `pytest {path}`",
                path=str(target),
            )
        )
