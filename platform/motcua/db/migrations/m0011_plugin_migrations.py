"""Plugins' own schema steps (``register_migrations``): which step of which plugin is applied.

Kept apart from ``schema_migration`` because a plugin numbers its steps from 1 on its own.
"""

SQL = """
CREATE TABLE plugin_migration (
    plugin VARCHAR(80) NOT NULL,
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL,
    PRIMARY KEY (plugin, version)
)
"""
