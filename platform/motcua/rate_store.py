"""Rate-limit counters in the database, shared by every worker and server.

A ``limits`` storage (scheme ``motcua-db://``, the default of ``MOTCUA_RATELIMIT_STORAGE``)
over the ``rate_counter`` table, so Flask-Limiter's limits and the login throttle count
across all gunicorn workers and machines. Where Redis is configured
(``MOTCUA_RATELIMIT_STORAGE=redis://host:6379``) ``limits`` uses it instead. Fixed windows:
a key counts hits until its ``expires_at``, then starts again. Times come from
:mod:`motcua.clock`, so tests freeze them like every other time.
"""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache
from typing import Any

import peewee
from limits.storage import Storage

from motcua import clock
from motcua.accounts.models import RateCounter
from motcua.db import database


class DatabaseStorage(Storage):
    """``limits`` storage over the ``rate_counter`` table (SQLite or PostgreSQL)."""

    STORAGE_SCHEME = ["motcua-db"]  # noqa: RUF012 - the attribute ``limits`` reads

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return peewee.DatabaseError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Add ``amount`` to ``key`` (a new window of ``expiry`` seconds if it ran out);
        return the count. One statement, so concurrent workers never lose a hit."""
        current = clock.now()
        cursor = database.execute_sql(
            _upsert_sql(database.obj.param),
            (key[:200], amount, current + timedelta(seconds=expiry), current, current),
        )
        return int(cursor.fetchone()[0])

    def get(self, key: str) -> int:
        row = RateCounter.get_or_none(RateCounter.key == key[:200])
        return row.hits if row is not None and row.expires_at > clock.now() else 0

    def get_expiry(self, key: str) -> float:
        row = RateCounter.get_or_none(RateCounter.key == key[:200])
        moment = row.expires_at if row is not None and row.expires_at > clock.now() else clock.now()
        return moment.replace(tzinfo=clock.VIETNAM).timestamp()

    def check(self) -> bool:
        try:
            database.execute_sql("SELECT 1").fetchone()
        except peewee.DatabaseError:
            return False
        return True

    def reset(self) -> int | None:
        return RateCounter.delete().execute()

    def clear(self, key: str) -> None:
        RateCounter.delete().where(RateCounter.key == key[:200]).execute()


def purge_expired() -> int:
    """Delete the counters whose window has ended; return how many (``motcua`` jobs call it)."""
    return RateCounter.delete().where(RateCounter.expires_at <= clock.now()).execute()


@lru_cache(maxsize=4)
def _upsert_sql(param: str) -> str:
    # A bounded cache of immutable values: one text per placeholder style. SQLite (3.35+)
    # and PostgreSQL both take INSERT .. ON CONFLICT .. RETURNING.
    return (
        f"INSERT INTO rate_counter (key, hits, expires_at) VALUES ({param}, {param}, {param}) "  # noqa: S608 - no input in the text
        "ON CONFLICT (key) DO UPDATE SET "
        f"hits = CASE WHEN rate_counter.expires_at <= {param} THEN excluded.hits ELSE rate_counter.hits + excluded.hits END, "
        f"expires_at = CASE WHEN rate_counter.expires_at <= {param} THEN excluded.expires_at ELSE rate_counter.expires_at END "
        "RETURNING hits"
    )
