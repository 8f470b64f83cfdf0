"""``motcua db upgrade`` / ``motcua db status``."""

from __future__ import annotations

import click

from motcua.cli import app_context, say
from motcua.i18n import T


def register(main: click.Group) -> None:
    """Add the ``db`` commands to ``main``."""

    @main.group()
    def db() -> None:
        """Cơ sở dữ liệu (database schema)."""

    @db.command()
    def upgrade() -> None:
        """Áp dụng các bản nâng cấp lược đồ còn thiếu (apply pending migrations)."""
        from motcua.db import database
        from motcua.db.migrate import upgrade as run_upgrade
        from motcua.db.migrate import upgrade_plugins
        from motcua.plugins import plugin_host

        with app_context() as app:
            applied = run_upgrade(database.obj)
            steps = upgrade_plugins(database.obj, plugin_host(app).migrations())
        if not applied and not steps:
            say(T("Lược đồ đã mới nhất", "Schema is up to date"))
        for migration in applied:
            say(T("Đã áp dụng {v:04d} {name}", "Applied {v:04d} {name}", v=migration.version, name=migration.name))
        for plugin, step in steps:
            say(T("Đã áp dụng {plugin} {v:04d} {name}", "Applied {plugin} {v:04d} {name}",
                  plugin=plugin, v=step.version, name=step.name))

    @db.command()
    def status() -> None:
        """Liệt kê bản nâng cấp đã và chưa áp dụng (list applied and pending migrations)."""
        from motcua.db import database
        from motcua.db.migrate import applied_plugin_steps, applied_versions, available_migrations
        from motcua.plugins import plugin_host

        with app_context() as app:
            done = applied_versions(database.obj)
            steps = plugin_host(app).migrations()
            done_steps = applied_plugin_steps(database.obj) if 11 in done else set()
        for migration in available_migrations():
            mark = "x" if migration.version in done else " "
            click.echo(f"[{mark}] {migration.version:04d} {migration.name}")
        for plugin, step in steps:
            mark = "x" if (plugin, step.version) in done_steps else " "
            click.echo(f"[{mark}] {plugin} {step.version:04d} {step.name}")
