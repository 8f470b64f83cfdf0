"""Test helpers for plugin authors (and motcua's own tests).

Most plugin tests need no database::

    from motcua.testing import check_procedures, plugin_manager_for
    from my_plugin import plugin

    def test_loads():
        host = plugin_manager_for(plugin)          # raises PluginError if refused
        assert "register_procedures" in host.plugin("my-plugin").hooks

    def test_notebooks():
        for result in check_procedures(plugin):
            assert result.issues == [] and result.failed_samples == []

``make_app`` builds a full app on a fresh, migrated SQLite file for tests that need pages.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Flask

from motcua.expressions import EvalContext
from motcua.i18n import Text
from motcua.notebooks import CellIssue, check_notebook, run_samples
from motcua.plugin_api import TenantInfo
from motcua.plugins.host import PluginHost, as_specs, build_host

SAMPLE_TENANT = TenantInfo(code="07795", name="Phường Nếnh", slug="phuong-nenh", province_code="24")
"""A ward to pass to hooks and host methods in tests."""

SAMPLE_DAY = datetime(2026, 3, 2, 9, 0)
"""The clock notebook samples run under (a Monday, working day)."""


def plugin_manager_for(
    *plugins: Any, entry_points: bool = False, strict: bool = True
) -> PluginHost:
    """Return a :class:`PluginHost` with the built-in plugin and ``plugins``, all enabled.

    No Flask app and no database: every ward counts as having enabled ``plugins``. With
    ``strict`` (the default) a refused plugin raises
    :class:`motcua.plugins.PluginError` naming it and what was wrong; ``plugins`` may be
    modules, objects or :class:`~motcua.plugins.host.PluginSpec` (to set the name).
    """
    specs = as_specs(plugins)
    names = {spec.name for spec in specs}

    def resolver(_tenant: TenantInfo) -> tuple[Mapping[str, bool], Mapping[str, bool]]:
        return dict.fromkeys(names, True), {}

    return build_host(specs, entry_points=entry_points, strict=strict, resolver=resolver)


@dataclass(frozen=True)
class ProcedureCheck:
    """The check of one registered notebook: static issues and the samples that failed."""

    key: str
    issues: list[CellIssue]
    failed_samples: list[tuple[str, tuple[Text, ...]]]


def check_procedures(*plugins: Any, today: datetime = SAMPLE_DAY) -> list[ProcedureCheck]:
    """Return one :class:`ProcedureCheck` per notebook the ``plugins`` register.

    Notebooks are checked with the functions and field types of the built-ins and
    ``plugins``, and their samples run with the clock at ``today``.
    """
    host = plugin_manager_for(*plugins)
    functions, field_types = host.functions(SAMPLE_TENANT), host.field_types(SAMPLE_TENANT)
    context = EvalContext(today=today.date(), now=today, functions=functions)
    results = []
    for source in host.procedures(SAMPLE_TENANT):
        if source.plugin == "motcua":
            continue
        samples = run_samples(source.notebook, lambda _sample: context, field_types)
        results.append(
            ProcedureCheck(
                key=source.notebook.key,
                issues=check_notebook(source.notebook, functions, field_types),
                failed_samples=[(r.name, r.failures) for r in samples if not r.passed],
            )
        )
    return results


def make_app(
    plugins: Iterable[Any] = (),
    *,
    entry_points: bool = False,
    data_dir: Path | None = None,
    **config: Any,
) -> Flask:
    """Return a motcua app with ``plugins`` on a fresh, migrated SQLite database.

    ``data_dir`` defaults to a new temporary folder; ``config`` overrides settings
    (``create_app`` keys). Installed plugins are not loaded unless ``entry_points``.
    """
    from motcua.app import create_app
    from motcua.db import database
    from motcua.db.migrate import upgrade, upgrade_plugins
    from motcua.plugins import plugin_host
    from motcua.tenancy.sync import ensure_provinces

    folder = data_dir or Path(tempfile.mkdtemp(prefix="motcua-test-"))
    settings = {
        "data_dir": folder,
        "database_url": f"sqlite:///{folder / 'motcua.sqlite3'}",
        "secret_key": "test-secret",
        "testing": True,
        "secure_cookies": False,
        **config,
    }
    app = create_app(
        {
            **settings,
            "plugins": list(plugins),
            "plugin_entry_points": entry_points,
            "plugins_strict": True,
        }
    )
    database.connect(reuse_if_open=True)
    upgrade(database.obj)
    upgrade_plugins(database.obj, plugin_host(app).migrations())
    with database.atomic():
        ensure_provinces()
    return app


__all__ = [
    "SAMPLE_DAY",
    "SAMPLE_TENANT",
    "ProcedureCheck",
    "check_procedures",
    "make_app",
    "plugin_manager_for",
]
