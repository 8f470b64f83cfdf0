"""The ward context of a request, and of anything else that runs with an app.

Ward pages and the API resolve ``g.tenant`` first (URL or token); :func:`current_ward`
then builds the request's :class:`~motcua.ward.WardContext` once and keeps it on
``g.ward``. Outside a request (CLI, workers, tests) use :func:`ward_for`.
"""

from __future__ import annotations

from flask import Flask, current_app, g

from motcua.plugins import EXTENSION
from motcua.tenancy.models import Tenant
from motcua.ward import WardContext, ward_context


def ward_for(app: Flask, tenant: Tenant) -> WardContext:
    """Return the context of ``tenant`` with ``app``'s plugins and settings."""
    return ward_context(app.extensions.get(EXTENSION), tenant, app.extensions["motcua.settings"])


def current_ward() -> WardContext:
    """Return this request's ward context (built on first use from ``g.tenant``).

    :raises RuntimeError: the request has no ward (a view outside a ward blueprint).
    """
    ward: WardContext | None = g.get("ward")
    tenant = g.get("tenant")
    if tenant is None:
        raise RuntimeError("current_ward() needs g.tenant: call it from a ward page or the API")
    if ward is None or ward.tenant is not tenant:
        ward = ward_for(current_app._get_current_object(), tenant)  # type: ignore[attr-defined]
        g.ward = ward
    return ward
