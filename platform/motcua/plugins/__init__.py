"""Plugins: the per-app plugin host, per-ward enablement, and the admin pages.

``create_app`` builds one :class:`PluginHost` per app (never a module global, so tests do
not leak plugins into each other) and keeps it in ``app.extensions["motcua.plugins"]``.
Features reach it with :func:`plugin_host`::

    host = plugin_host(current_app)
    for source in host.procedures(g.tenant):   # only the ward's enabled plugins
        ...
    host.notify("record_received", g.tenant, record=RecordInfo(...))

``create_app`` options: ``plugins`` (a list of plugin objects registered after the
built-in one), ``plugin_entry_points`` (False: do not load installed plugins; also the
environment variable ``MOTCUA_PLUGIN_AUTOLOAD=0``) and ``plugins_strict`` (raise at start-up
on a refused plugin instead of reporting it).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask, g

from motcua.plugins.guard import reporting
from motcua.plugins.host import BUILTIN_NAME as BUILTIN_NAME
from motcua.plugins.host import FailureInfo as FailureInfo
from motcua.plugins.host import LoadError as LoadError
from motcua.plugins.host import PluginError as PluginError
from motcua.plugins.host import PluginHost as PluginHost
from motcua.plugins.host import PluginInfo as PluginInfo
from motcua.plugins.host import PluginOptions as PluginOptions
from motcua.plugins.host import build_host as build_host
from motcua.plugins.host import tenant_info as tenant_info
from motcua.plugins.validation import ProcedureSource as ProcedureSource

EXTENSION = "motcua.plugins"
OPTION_KEYS = ("plugins", "plugin_entry_points", "plugins_strict")


def split_plugin_config(config: Any) -> tuple[Any, PluginOptions]:
    """Return ``(config without the plugin keys, PluginOptions)`` for ``create_app``'s argument."""
    autoload = os.environ.get("MOTCUA_PLUGIN_AUTOLOAD", "1").strip().lower() not in {
        "0",
        "false",
        "no",
        "off",
    }
    if not isinstance(config, Mapping):
        return config, PluginOptions(entry_points=autoload)
    rest = {key: value for key, value in config.items() if key not in OPTION_KEYS}
    options = PluginOptions(
        plugins=tuple(config.get("plugins") or ()),
        entry_points=bool(config.get("plugin_entry_points", autoload)),
        strict=bool(config.get("plugins_strict", False)),
    )
    return rest, options


def init_plugins(app: Flask, options: PluginOptions) -> PluginHost:
    """Build the app's plugin host, mount plugin blueprints and the admin pages; return the host."""
    from motcua.plugins.store import FailureLog, savepoint_if_in_transaction, stored_settings
    from motcua.plugins.web import init_plugin_pages

    failure_log = FailureLog()
    host = build_host(
        options.plugins,
        entry_points=options.entry_points,
        strict=options.strict,
        resolver=stored_settings,
        failure_sink=failure_log,
        call_guard=savepoint_if_in_transaction,
    )
    app.extensions[EXTENSION] = host
    app.extensions["motcua.plugin_failures"] = failure_log

    def _report(plugin: str, what: str, exc: BaseException) -> None:
        # Plugin code run for a ward's request is reported to that ward's admins.
        tenant = g.get("tenant")
        if tenant is not None:
            host.report_failure(tenant, plugin, what, exc)

    @app.before_request
    def _report_plugin_code_failures() -> None:
        g.plugin_reporting = reporting(_report)
        g.plugin_reporting.__enter__()

    @app.teardown_request
    def _store_plugin_failures(_exc: BaseException | None) -> None:
        scope = g.pop("plugin_reporting", None)
        if scope is not None:
            scope.__exit__(None, None, None)
        failure_log.flush()

    init_plugin_pages(app, host)
    return host


def plugin_host(app: Flask) -> PluginHost:
    """Return the :class:`PluginHost` of ``app`` (built by ``create_app``)."""
    return app.extensions[EXTENSION]


__all__ = [
    "BUILTIN_NAME",
    "FailureInfo",
    "LoadError",
    "PluginError",
    "PluginHost",
    "PluginInfo",
    "PluginOptions",
    "ProcedureSource",
    "build_host",
    "init_plugins",
    "plugin_host",
    "split_plugin_config",
    "tenant_info",
]
