"""Migrations: applied by `db upgrade` on both databases, idempotent, and in step with the models."""

from __future__ import annotations

import peewee

from motcua.db.base import BaseModel, TenantModel
from motcua.db.connection import is_sqlite
from motcua.db.migrate import available_migrations, pending, upgrade


def all_models() -> list[type[BaseModel]]:
    import motcua.accounts.models  # noqa: F401
    import motcua.audit  # noqa: F401
    import motcua.connectors.models  # noqa: F401
    import motcua.devices.models  # noqa: F401
    import motcua.notebooks.store  # noqa: F401
    import motcua.plugins.models  # noqa: F401
    import motcua.printing.models  # noqa: F401
    import motcua.records.models  # noqa: F401
    import motcua.tenancy.models  # noqa: F401

    found, todo = [], list(BaseModel.__subclasses__())
    while todo:
        model = todo.pop()
        todo.extend(model.__subclasses__())
        if model is not TenantModel:
            found.append(model)
    return found


def columns_in_database(db: peewee.Database, table: str) -> set[str]:
    return {column.name for column in db.get_columns(table)}


def test_upgrade_is_idempotent(db):
    assert upgrade(db.obj) == []
    assert pending(db.obj) == []
    versions = [m.version for m in available_migrations()]
    assert versions == sorted(versions) and versions[0] == 1


def test_every_model_matches_the_migrated_schema(db):
    for model in all_models():
        table = model._meta.table_name
        assert db.table_exists(table), f"{table} is not created by any migration"
        expected = {field.column_name for field in model._meta.sorted_fields}
        assert columns_in_database(db, table) == expected, table


def test_unique_indexes_of_the_models_exist(db):
    for model in all_models():
        table = model._meta.table_name
        found = {tuple(index.columns) for index in db.get_indexes(table) if index.unique}
        for fields, unique in model._meta.indexes:
            if unique:
                columns = tuple(model._meta.fields[name].column_name for name in fields)
                assert columns in found, f"{table}: unique index {columns} missing"


def test_tenant_id_leads_every_tenant_owned_key(db):
    for model in all_models():
        if not issubclass(model, TenantModel):
            continue
        assert "tenant" in model._meta.fields, model
        table = model._meta.table_name
        for index in db.get_indexes(table):
            if index.unique and not index.name.endswith("pkey"):
                assert index.columns[0] == "tenant_id", f"{table}.{index.name} does not start with tenant_id"


def test_foreign_keys_are_enforced(db):
    from motcua.tenancy.models import ReceptionPoint

    with __import__("pytest").raises(peewee.IntegrityError), db.atomic():
        ReceptionPoint.create(tenant=999_999, key="x", name="x")


def test_dialect_is_what_the_run_asked_for(db):
    import os

    wanted = os.environ.get("MOTCUA_TEST_DATABASE_URL", "sqlite")
    assert is_sqlite(db.obj) == (not wanted.startswith("postgres"))
