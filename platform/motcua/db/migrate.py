"""Versioned schema migrations, applied by ``motcua db upgrade``.

A migration is a module ``motcua/db/migrations/mNNNN_name.py`` with ``SQL`` (statements
separated by ``;`` on their own line ends) written once for both databases with these
placeholders, or an ``upgrade(db)`` function for anything SQL cannot say:

=========== ===================================== ===========================
placeholder SQLite                                PostgreSQL
=========== ===================================== ===========================
``{pk}``    INTEGER PRIMARY KEY AUTOINCREMENT     BIGSERIAL PRIMARY KEY
``{ts}``    DATETIME                              TIMESTAMP
``{bool}``  INTEGER                               BOOLEAN
``{id}``    INTEGER                               BIGINT
=========== ===================================== ===========================

Each migration runs in its own transaction and is recorded in ``schema_migration``;
applying twice is harmless.

Plugins bring their own tables as numbered steps (hook ``register_migrations``), applied
after the core's by :func:`upgrade_plugins` with the same placeholders and recorded per
plugin in ``plugin_migration`` (created by core migration 0011).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

from peewee import Database

from motcua import clock
from motcua.db import migrations as migrations_package
from motcua.db.connection import is_sqlite

if TYPE_CHECKING:
    from motcua.plugin_api import PluginMigration

PLACEHOLDERS = {
    "sqlite": {"pk": "INTEGER PRIMARY KEY AUTOINCREMENT", "ts": "DATETIME", "bool": "INTEGER", "id": "INTEGER"},
    "postgresql": {"pk": "BIGSERIAL PRIMARY KEY", "ts": "TIMESTAMP", "bool": "BOOLEAN", "id": "BIGINT"},
}


@dataclass(frozen=True)
class Migration:
    """One schema step: ``version`` is its number, ``name`` the rest of the module name."""

    version: int
    name: str
    module: ModuleType

    def statements(self, dialect: str) -> list[str]:
        """Return the SQL statements of this migration for ``dialect``."""
        return split_sql(getattr(self.module, "SQL", ""), dialect)


def split_sql(sql: str, dialect: str) -> list[str]:
    """Return the statements of ``sql`` (separated by ``;`` at line ends), placeholders filled."""
    filled = sql.format(**PLACEHOLDERS[dialect])
    return [part.strip() for part in filled.split(";\n") if part.strip().strip(";")]


def available_migrations() -> list[Migration]:
    """Return every migration shipped with motcua, in version order."""
    found = []
    for info in pkgutil.iter_modules(migrations_package.__path__):
        if not info.name.startswith("m") or "_" not in info.name:
            continue
        number, _, name = info.name[1:].partition("_")
        module = importlib.import_module(f"{migrations_package.__name__}.{info.name}")
        found.append(Migration(int(number), name, module))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if len(versions) != len(set(versions)):
        raise RuntimeError(f"two migrations share a number: {versions}")
    return found


def applied_versions(db: Database) -> set[int]:
    """Return the versions already applied to ``db`` (creating the bookkeeping table)."""
    db.execute_sql(
        "CREATE TABLE IF NOT EXISTS schema_migration (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    return {row[0] for row in db.execute_sql("SELECT version FROM schema_migration").fetchall()}


def upgrade(db: Database) -> list[Migration]:
    """Apply every pending migration to ``db`` and return the ones applied."""
    dialect = "sqlite" if is_sqlite(db) else "postgresql"
    done = applied_versions(db)
    applied = []
    for migration in available_migrations():
        if migration.version in done:
            continue
        with db.atomic():
            for statement in migration.statements(dialect):
                db.execute_sql(statement)
            if hasattr(migration.module, "upgrade"):
                migration.module.upgrade(db)
            db.execute_sql(
                "INSERT INTO schema_migration (version, name, applied_at) VALUES (%s, %s, %s)"
                if dialect == "postgresql"
                else "INSERT INTO schema_migration (version, name, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.name, clock.now().isoformat(timespec="seconds")),
            )
        applied.append(migration)
    return applied


def pending(db: Database) -> list[Migration]:
    """Return the migrations not yet applied to ``db``."""
    done = applied_versions(db)
    return [m for m in available_migrations() if m.version not in done]


def _param(db: Database) -> str:
    return "?" if is_sqlite(db) else "%s"


def applied_plugin_steps(db: Database) -> set[tuple[str, int]]:
    """Return ``(plugin, version)`` of every plugin schema step applied to ``db``."""
    rows = db.execute_sql("SELECT plugin, version FROM plugin_migration").fetchall()
    return {(row[0], int(row[1])) for row in rows}


def upgrade_plugins(
    db: Database, steps: Iterable[tuple[str, PluginMigration]]
) -> list[tuple[str, PluginMigration]]:
    """Apply the pending plugin steps (``(plugin name, step)``, as ``PluginHost.migrations()``
    gives them) to ``db``, each in its own transaction; return the ones applied.

    Call after :func:`upgrade` (the bookkeeping table is core migration 0011).
    """
    dialect = "sqlite" if is_sqlite(db) else "postgresql"
    done = applied_plugin_steps(db)
    applied = []
    for plugin, step in sorted(steps, key=lambda item: (item[0], item[1].version)):
        if (plugin, step.version) in done:
            continue
        with db.atomic():
            for statement in split_sql(step.sql, dialect):
                db.execute_sql(statement)
            db.execute_sql(
                "INSERT INTO plugin_migration (plugin, version, name, applied_at) VALUES (%s, %s, %s, %s)".replace(
                    "%s", _param(db)
                ),
                (plugin, step.version, step.name, clock.now().isoformat(timespec="seconds")),
            )
        applied.append((plugin, step))
    return applied
