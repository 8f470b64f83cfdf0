"""Everything ``motcua demo`` prepares: schema, wards, users for each role, sample data.

Idempotent: running it again on the same data folder changes nothing and prints the same
logins. The demo password is generated once per data folder and kept there (mode 0600).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask

from motcua.accounts.models import User
from motcua.accounts.service import create_user
from motcua.db import database
from motcua.db.migrate import upgrade, upgrade_plugins
from motcua.plugins import plugin_host
from motcua.tenancy.models import Tenant
from motcua.tenancy.sync import sync_tenants


@dataclass(frozen=True)
class DemoLogin:
    """One demo account: its login, role and where it works."""

    login: str
    role: str
    scope: str


@dataclass
class DemoLogins:
    """The demo accounts and their shared password."""

    password: str
    users: list[DemoLogin] = field(default_factory=list)


def demo_password(data_dir: Path) -> str:
    """Return the demo password of ``data_dir``, generating it on first use."""
    path = data_dir / "demo-password"
    if path.exists():
        return path.read_text().strip()
    password = "demo-" + secrets.token_urlsafe(9)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(password)
    return password


def _ensure_user(login: str, password: str, role: str, logins: DemoLogins, scope: str, **where: object) -> None:
    if not User.select().where(User.login == login).exists():
        create_user(login, password, role=role, full_name=where.pop("full_name", ""), **where)  # type: ignore[arg-type]
    logins.users.append(DemoLogin(login, role, scope))


DEMO_SEEDERS: list[Callable[[Flask], None]] = []


def prepare_demo(app: Flask) -> DemoLogins:
    """Migrate, sync ``tenants/``, create the demo users and sample data; return the logins."""
    settings = app.extensions["motcua.settings"]
    upgrade(database.obj)
    upgrade_plugins(database.obj, plugin_host(app).migrations())
    report = sync_tenants(settings.tenants_dir)
    from motcua.web.ward import ward_for

    for change in report:
        if change.created:  # as `motcua tenants sync` does: plugins set up the new ward
            ward_for(app, Tenant.get(Tenant.code == change.code)).events.emit("tenant_created")
    logins = DemoLogins(demo_password(settings.data_dir))
    _ensure_user("quantri", logins.password, "platform_admin", logins, "*", full_name="Quản trị hệ thống")
    tenants = list(Tenant.select().where(Tenant.active == True).order_by(Tenant.province, Tenant.name))  # noqa: E712
    for province in sorted({t.province for t in tenants}, key=lambda p: p.code):
        _ensure_user(f"tinh-{province.slug}", logins.password, "province_admin", logins, province.name,
                     province=province, full_name=f"Quản trị {province.name}")
    for tenant in tenants:
        for suffix, role, title in (("quantri", "ward_admin", "Quản trị"), ("lanhdao", "leader", "Lãnh đạo"),
                                    ("chuyenvien", "specialist", "Chuyên viên"), ("canbo", "staff", "Cán bộ một cửa")):
            _ensure_user(f"{tenant.slug}.{suffix}", logins.password, role, logins, tenant.name,
                         tenant=tenant, full_name=f"{title} {tenant.name}")
    for seed in app.extensions.get("motcua.demo_seeders", []):
        seed(app)
    return logins
