"""Daily ticket numbers per service, unique and without gaps, whatever the number of kiosks.

Like the core's record codes (``motcua.records.codes``): one counter row per ward,
service and day, incremented by an upsert inside the ticket's own transaction. The
upsert takes the row's lock (PostgreSQL) or the write lock (SQLite, ``BEGIN IMMEDIATE``)
until the transaction ends, so two kiosks queue on it instead of sharing a number, and a
ticket that fails to be written rolls its number back.
"""

from __future__ import annotations

from datetime import date

from motcua.plugin_api import database


def next_number(tenant_id: int, service_id: int, day: date) -> int:
    """Return the next number of ``day`` for the service, counting from 1.

    Call inside the ticket's write transaction (``motcua.plugin_api.transaction()``).
    """
    db = database()
    sql = (
        "INSERT INTO queue_sequence (tenant_id, service_id, day, value) VALUES (%s, %s, %s, 1) "
        "ON CONFLICT (tenant_id, service_id, day) DO UPDATE SET value = queue_sequence.value + 1 "
        "RETURNING value"
    ).replace("%s", db.obj.param)
    cursor = db.execute_sql(sql, (tenant_id, service_id, day.isoformat()))
    return int(cursor.fetchone()[0])


def ticket_number(letter: str, seq: int) -> str:
    """Return the printed number, e.g. ``B-023`` (three digits, more past 999)."""
    return f"{letter}-{seq:03d}"
