"""The bridge from the app's plugins to a ward's notebooks: toolkit and library procedures."""

from __future__ import annotations

from flask import Flask

from motcua.notebooks.model import Notebook
from motcua.notebooks.service import Toolkit
from motcua.tenancy.models import Tenant
from motcua.tenancy.workdays import ward_calendar


def toolkit_for(app: Flask, tenant: Tenant) -> Toolkit:
    """Return the functions and field types the plugins enabled for ``tenant``, and its calendar."""
    from motcua.plugins import plugin_host

    host = plugin_host(app)
    return Toolkit(
        functions=host.functions(tenant),
        field_types=host.field_types(tenant),
        calendar=ward_calendar(tenant),
    )


def library_notebooks(app: Flask, tenant: Tenant) -> list[Notebook]:
    """Return the procedure notebooks the plugins offer ``tenant`` (the built-in library…)."""
    from motcua.plugins import plugin_host

    return [source.notebook for source in plugin_host(app).procedures(tenant)]
