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

        with app_context():
            applied = run_upgrade(database.obj)
        if not applied:
            say(T("Lược đồ đã mới nhất", "Schema is up to date"))
        for migration in applied:
            say(T("Đã áp dụng {v:04d} {name}", "Applied {v:04d} {name}", v=migration.version, name=migration.name))

    @db.command()
    def status() -> None:
        """Liệt kê bản nâng cấp đã và chưa áp dụng (list applied and pending migrations)."""
        from motcua.db import database
        from motcua.db.migrate import applied_versions, available_migrations

        with app_context():
            done = applied_versions(database.obj)
        for migration in available_migrations():
            mark = "x" if migration.version in done else " "
            click.echo(f"[{mark}] {migration.version:04d} {migration.name}")
