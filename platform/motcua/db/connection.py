"""Open the database named by ``DATABASE_URL``.

SQLite runs in WAL mode with ``synchronous=NORMAL``, foreign keys on and a busy timeout;
connections stay open per thread (closing a SQLite connection checkpoints the WAL, which
cost 37 % of throughput in ``research/perf-floor.md``). PostgreSQL uses a connection pool.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlparse

from peewee import Database, Model, SqliteDatabase
from playhouse.db_url import connect
from playhouse.pool import PooledPostgresqlDatabase

from motcua.db.base import database

M = TypeVar("M", bound=Model)

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "normal",
    "foreign_keys": 1,
    "busy_timeout": 10_000,
    "cache_size": -16_000,
}


def connect_database(url: str) -> Database:
    """Create the database for ``url``, point the model proxy at it and return it.

    Accepts ``sqlite:///path``, ``postgresql://user:pass@host:port/name`` (``postgres://``
    too). Raises ``ValueError`` for another scheme.
    """
    scheme = urlparse(url).scheme
    if scheme == "sqlite":
        path = url.removeprefix("sqlite:///")
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        db: Database = SqliteDatabase(path, pragmas=SQLITE_PRAGMAS, timeout=10, check_same_thread=False)
    elif scheme in {"postgres", "postgresql"}:
        parsed = urlparse(url)
        db = PooledPostgresqlDatabase(
            parsed.path.lstrip("/"),
            user=parsed.username,
            password=parsed.password,
            host=parsed.hostname or "127.0.0.1",
            port=parsed.port or 5432,
            max_connections=16,
            stale_timeout=300,
            timeout=10,
        )
    elif scheme:
        db = connect(url)
    else:
        raise ValueError(f"DATABASE_URL must start with sqlite:/// or postgresql:// (got {url!r})")
    database.initialize(db)
    return db


def is_sqlite(db: Database | None = None) -> bool:
    """Return True when the (given or current) database is SQLite."""
    target = db if db is not None else database.obj
    return isinstance(target, SqliteDatabase)


def write_transaction() -> AbstractContextManager:
    """Return a transaction for a change: ``BEGIN IMMEDIATE`` on SQLite (takes the write
    lock up front, so two writers queue instead of failing mid-way), plain on PostgreSQL."""
    if is_sqlite():
        return database.atomic("IMMEDIATE")
    return database.atomic()


def insert_row(model: type[M], **values: Any) -> M:
    """Insert one ``model`` row and return it, as ``model.create(**values)`` does (defaults
    filled in, values converted by their fields, the new id set) for less CPU.

    For the hot inserts of a reception: peewee composes each INSERT afresh from its query
    tree (about 0.2 ms for a wide row), while the statement text only depends on the table,
    the columns given and the dialect, so it is built once. Raises as ``create`` does
    (``peewee.IntegrityError`` on a broken constraint).
    """
    row = model(**values)
    fields = model._meta.fields
    names = tuple(row.__data__)
    db = database.obj
    returning = bool(db.returning_clause)
    sql = _insert_sql(
        model._meta.table_name,
        tuple(fields[name].column_name for name in names),
        model._meta.primary_key.column_name,
        db.param,
        returning,
    )
    cursor = database.execute_sql(sql, [fields[name].db_value(row.__data__[name]) for name in names])
    row._pk = cursor.fetchall()[0][0] if returning else cursor.lastrowid
    row._dirty.clear()
    return row


def insert_rows(model: type[M], rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys) into ``model``'s table, as
    ``model.insert_many(rows)`` does (defaults filled in, values converted by their fields),
    in multi-row statements whose text is built once per shape.

    For bulk imports: peewee composes every value of ``insert_many`` through its query
    tree, which costs more than the database's own work for wide rows. Raises as
    ``insert_many`` does.
    """
    if not rows:
        return
    fields = model._meta.fields
    data = [model(**row).__data__ for row in rows]
    names = tuple(data[0])
    converters = [fields[name].db_value for name in names]
    db = database.obj
    per_statement = max(1, 16000 // len(names))  # under SQLite's and PostgreSQL's bind limits
    for start in range(0, len(data), per_statement):
        chunk = data[start : start + per_statement]
        sql = _insert_many_sql(
            model._meta.table_name,
            tuple(fields[name].column_name for name in names),
            db.param,
            len(chunk),
        )
        params = [convert(row.get(name)) for row in chunk for name, convert in zip(names, converters, strict=True)]
        database.execute_sql(sql, params)


@lru_cache(maxsize=64)
def _insert_many_sql(table: str, columns: tuple[str, ...], param: str, count: int) -> str:
    # Statement texts per table, column list, dialect and row count: a bulk import uses two
    # or three shapes. Names come from the models, never from input.
    one = "({})".format(", ".join([param] * len(columns)))
    return 'INSERT INTO "{}" ({}) VALUES {}'.format(  # noqa: S608
        table, ", ".join(f'"{column}"' for column in columns), ", ".join([one] * count)
    )


@lru_cache(maxsize=64)
def _insert_sql(table: str, columns: tuple[str, ...], key: str, param: str, returning: bool) -> str:
    # A bounded cache of immutable values: statement texts, one per table, column list and
    # dialect (a handful in a process). Names come from the models, never from input.
    sql = 'INSERT INTO "{}" ({}) VALUES ({})'.format(  # noqa: S608
        table, ", ".join(f'"{column}"' for column in columns), ", ".join([param] * len(columns))
    )
    return f'{sql} RETURNING "{key}"' if returning else sql
