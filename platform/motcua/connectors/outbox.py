"""The outbox writer: one message per enabled connector in the transaction of each record change.

:class:`OutboxWriter` is an :class:`~motcua.events.EventSink` subscriber. It runs while the
change's transaction is open, so the message is committed with the change or rolled back
with it: a status the portal must know can neither be lost (committed without a message)
nor invented (a message for a change that rolled back).
"""

from __future__ import annotations

import secrets
from dataclasses import asdict
from datetime import datetime
from typing import TYPE_CHECKING, Any

from peewee import fn

from motcua.clock import now
from motcua.connectors.models import OutboxMessage
from motcua.db.connection import insert_row
from motcua.plugin_api import ApplicantInfo, EventInfo, RecordInfo

if TYPE_CHECKING:
    from motcua.events import DomainEvent
    from motcua.plugins.host import PluginHost
    from motcua.tenancy.models import Tenant

RECEIVED, STATUS, INBOX_REFUSED = "record.received", "record.status", "inbox.refused"
KIND_OF_HOOK = {"record_received": RECEIVED, "record_status_changed": STATUS}


class OutboxWriter:
    """Writes the ward's outbox messages for the events of a change, as they are recorded."""

    def __init__(self, host: PluginHost | None, tenant: Tenant) -> None:
        self.host = host
        self.tenant = tenant

    def __call__(self, event: DomainEvent) -> None:
        kind = KIND_OF_HOOK.get(event.hook)
        if kind is None or self.host is None or not self.host.all_connectors():
            return
        names = [c.name for c in self.host.connectors(self.tenant)]
        if not names:
            return
        arguments = event.resolved()
        record: RecordInfo = arguments["record"]
        change: EventInfo | None = arguments.get("event")
        payload = {
            "record": record_snapshot(record),
            "event": event_snapshot(change) if change else None,
        }
        record_id = _record_id(self.tenant, record.code)
        for name in names:
            write_message(self.tenant, name, kind, record.code, payload, record_id=record_id)


def write_message(
    tenant: Tenant,
    connector: str,
    kind: str,
    record_key: str,
    payload: dict[str, Any],
    *,
    record_id: int | None = None,
) -> OutboxMessage:
    """Insert the next message of ``record_key`` for ``connector``; call inside the change's
    transaction. Return the row (its ``seq`` one past the record's last message)."""
    last = (
        OutboxMessage.select(fn.MAX(OutboxMessage.seq))
        .where(
            OutboxMessage.tenant == tenant,
            OutboxMessage.connector == connector,
            OutboxMessage.record_key == record_key,
        )
        .scalar()
    )
    moment = now()
    return insert_row(
        OutboxMessage,
        tenant=tenant,
        connector=connector,
        kind=kind,
        record=record_id,
        record_key=record_key,
        seq=(last or 0) + 1,
        idempotency_key=secrets.token_hex(16),
        payload=payload,
        state="pending",
        attempts=0,
        next_attempt_at=moment,
        claimed_until=None,
        claimed_by="",
        last_error="",
        reference="",
        created_at=moment,
        delivered_at=None,
    )


def _record_id(tenant: Tenant, code: str) -> int | None:
    from motcua.records.models import Record

    row = Record.select(Record.id).where(Record.tenant == tenant, Record.code == code).first()
    return int(row.id) if row else None


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def record_snapshot(record: RecordInfo) -> dict[str, Any]:
    """Return ``record`` as JSON-ready data (dates in ISO 8601)."""
    data = asdict(record)
    for name in ("received_at", "due_at", "resolved_at", "returned_at"):
        data[name] = _iso(getattr(record, name))
    return data


def event_snapshot(event: EventInfo) -> dict[str, Any]:
    """Return ``event`` as JSON-ready data."""
    data = asdict(event)
    data["at"] = _iso(event.at)
    return data


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def record_from_snapshot(data: dict[str, Any]) -> RecordInfo:
    """Return the :class:`RecordInfo` stored by :func:`record_snapshot`."""
    values = dict(data)
    values["applicant"] = ApplicantInfo(**(values.get("applicant") or {}))
    for name in ("received_at", "due_at", "resolved_at", "returned_at"):
        values[name] = _time(values.get(name))
    return RecordInfo(**values)


def event_from_snapshot(data: dict[str, Any] | None) -> EventInfo | None:
    """Return the :class:`EventInfo` stored by :func:`event_snapshot`, or None."""
    if not data:
        return None
    return EventInfo(**{**data, "at": _time(data.get("at"))})
