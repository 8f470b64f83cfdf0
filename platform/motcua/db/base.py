"""The peewee model base classes.

peewee binds models to a database at class level, so one process talks to one database:
``database`` is a proxy that :func:`motcua.db.connection.connect_database` points at the
real connection when the app (or a command) starts.
"""

from __future__ import annotations

import json
from typing import Any

from peewee import DatabaseProxy, ForeignKeyField, Model, TextField

database = DatabaseProxy()


class JSONField(TextField):
    """JSON stored as text, the same on SQLite and PostgreSQL."""

    def db_value(self, value: Any) -> str | None:
        return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)

    def python_value(self, value: Any) -> Any:
        return None if value is None else json.loads(value)


class BaseModel(Model):
    """Base of every motcua table."""

    class Meta:
        database = database
        legacy_table_names = False


class TenantModel(BaseModel):
    """Base of every tenant-owned table: the first column of its unique keys is ``tenant_id``.

    Subclasses declare ``tenant = ForeignKeyField(Tenant, ...)``; the meta-test
    ``tests/test_schema.py`` checks the tenant column leads every unique index.
    """

    tenant: ForeignKeyField
