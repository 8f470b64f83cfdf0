"""``motcua demo`` wires its wards to the local portal simulator (status sync, online dossiers)."""

from __future__ import annotations

import secrets

from flask import Flask

from motcua.connectors.settings import configure
from motcua.plugins import plugin_host
from motcua.tenancy.models import Tenant

DEMO_CONNECTOR = "dvcqg"
SIM_CLIENT_ID = "motcua"
SIM_CLIENT_SECRET = "motcua-sim-secret"  # noqa: S105 - the simulator's demo client, local only


def wire_demo_wards(app: Flask, sim_url: str) -> list[str]:
    """Enable the dvcqg connector in every active ward against ``sim_url``; return the ward codes.

    Does nothing (returns []) when the dvcqg plugin is not installed. Each ward gets its own
    webhook secret on first wiring; running again keeps it.
    """
    host = plugin_host(app)
    if not any(c.name == DEMO_CONNECTOR for _, c in host.all_connectors()):
        return []
    from motcua.connectors.settings import effective_settings

    wired = []
    for tenant in Tenant.select().where(Tenant.active == True).order_by(Tenant.code):  # noqa: E712
        values = {"base_url": sim_url, "agency_code": tenant.agency_code or tenant.code, "timeout": "5"}
        if not effective_settings(tenant, DEMO_CONNECTOR).get("webhook_secret"):
            values["webhook_secret"] = secrets.token_hex(16)
        configure(host, tenant, DEMO_CONNECTOR, values, actor="demo")
        wired.append(tenant.code)
    return wired
