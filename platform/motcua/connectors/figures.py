"""Sync figures for the dashboard: per ward, the share of records synced, pending and failed.

A record counts as *synced* when every message about it is delivered, *failed* when one of
them is in the dead letter, *pending* otherwise. A ward's sync is *failing* when it has a
dead message or a message waiting longer than :data:`STALE_AFTER`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from peewee import Case, fn

from motcua.connectors.models import DEAD, DELIVERED, PENDING, OutboxMessage

STALE_AFTER = timedelta(minutes=30)


@dataclass(frozen=True)
class SyncFigures:
    """One ward's sync state."""

    tenant_id: int
    records: int = 0
    synced: int = 0
    pending: int = 0
    failed: int = 0
    oldest_unsynced: datetime | None = None
    dead_messages: int = 0

    def share(self, part: int) -> float:
        """Return ``part`` as a percentage of the ward's records (0 without records)."""
        return round(100.0 * part / self.records, 1) if self.records else 0.0

    def failing(self, now: datetime) -> bool:
        """Return True when a message is dead or has waited longer than :data:`STALE_AFTER`."""
        stale = self.oldest_unsynced is not None and now - self.oldest_unsynced > STALE_AFTER
        return self.dead_messages > 0 or stale


def sync_figures(tenant_ids: Iterable[int]) -> dict[int, SyncFigures]:
    """Return the sync figures of each ward in ``tenant_ids`` (zeros for a ward with no message)."""
    ids = list(tenant_ids)
    if not ids:
        return {}
    dead = fn.SUM(Case(None, [(OutboxMessage.state == DEAD, 1)], 0))
    waiting = fn.SUM(Case(None, [(OutboxMessage.state == PENDING, 1)], 0))
    per_record = (
        OutboxMessage.select(
            OutboxMessage.tenant_id.alias("tenant_id"), dead.alias("dead"), waiting.alias("waiting")
        )
        .where(OutboxMessage.tenant_id.in_(ids))
        .group_by(OutboxMessage.tenant_id, OutboxMessage.record_key)
        .alias("per_record")
    )
    rows = (
        OutboxMessage.select(
            per_record.c.tenant_id,
            fn.COUNT(1),
            fn.SUM(Case(None, [(per_record.c.dead > 0, 1)], 0)),
            fn.SUM(Case(None, [((per_record.c.dead == 0) & (per_record.c.waiting > 0), 1)], 0)),
            fn.SUM(per_record.c.dead),
        )
        .from_(per_record)
        .group_by(per_record.c.tenant_id)
        .tuples()
    )
    oldest = dict(
        OutboxMessage.select(OutboxMessage.tenant_id, fn.MIN(OutboxMessage.created_at))
        .where(OutboxMessage.tenant_id.in_(ids), OutboxMessage.state != DELIVERED)
        .group_by(OutboxMessage.tenant_id)
        .tuples()
    )
    figures = {tenant_id: SyncFigures(tenant_id) for tenant_id in ids}
    for tenant_id, records, failed, pending, dead_messages in rows:
        records, failed, pending = int(records), int(failed or 0), int(pending or 0)
        moment = oldest.get(tenant_id)
        figures[tenant_id] = SyncFigures(
            tenant_id=tenant_id,
            records=records,
            synced=records - failed - pending,
            pending=pending,
            failed=failed,
            oldest_unsynced=_moment(moment),
            dead_messages=int(dead_messages or 0),
        )
    return figures


def _moment(value: object) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))
