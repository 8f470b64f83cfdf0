"""Plugins' commands on the ``motcua`` command line (hook ``register_commands``).

The ``motcua`` group asks for them only when a name is not one of the core's commands (or
for ``--help``), so ``motcua db upgrade`` never pays for loading every plugin. A plugin's
command opens its ward with :func:`command_ward`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

import click

from motcua.errors import UserError
from motcua.i18n import T
from motcua.plugin_api import TenantInfo


@lru_cache(maxsize=1)
def plugin_commands() -> dict[str, tuple[str, click.Command]]:
    """Return ``{command name: (plugin, command)}`` of the installed plugins (loaded once)."""
    from motcua.plugins import split_plugin_config
    from motcua.plugins.host import build_host

    _, options = split_plugin_config(None)
    host = build_host(entry_points=options.entry_points)
    return {command.name or "": (plugin, command) for plugin, command in host.commands()}


class MotcuaGroup(click.Group):
    """The ``motcua`` group: the core's commands, then those added by plugins."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        core = super().list_commands(ctx)
        return core + sorted(name for name in plugin_commands() if name not in core)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            return command  # a core command: a plugin may not shadow it
        found = plugin_commands().get(cmd_name)
        return found[1] if found else None


@contextmanager
def command_ward(code: str, plugin: str) -> Iterator[TenantInfo]:
    """Yield the active ward ``code`` for a plugin's command, with the database connected.

    :raises UserError: no active ward has that code, or ``plugin`` is not enabled there.
    """
    from motcua.cli import app_context
    from motcua.plugins import plugin_host, tenant_info
    from motcua.tenancy.models import Tenant

    with app_context() as app:
        tenant = Tenant.get_or_none(Tenant.code == code, Tenant.active == True)  # noqa: E712
        if tenant is None:
            raise UserError(T("Không có phường/xã mã {code}", "No ward with code {code}", code=code))
        if not plugin_host(app).is_enabled(plugin, tenant):
            raise UserError(
                T(
                    "Tiện ích `{plugin}` chưa được bật ở {ward}",
                    "Plugin `{plugin}` is not enabled in {ward}",
                    plugin=plugin,
                    ward=tenant.name,
                )
            )
        yield tenant_info(tenant)
