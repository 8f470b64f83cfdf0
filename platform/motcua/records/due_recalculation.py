"""Due dates of open records, recomputed when a national calendar decision changes them.

A record's due moment is a function of its reception, its limit, its supplement pauses and
an apology's new date, all on the ward's calendar. :func:`replay_due` computes it again
from the process control sheet; :func:`recalculate_open_dues` moves the due dates that a
calendar change shifts, and logs each move on the record as a ``recalculate_due`` event.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from peewee import fn

from motcua.calendar import WorkCalendar, compute_due, extend_due, parse_limit
from motcua.calendar.deadlines import PauseRule
from motcua.db.connection import insert_row
from motcua.records.models import Record, RecordEvent
from motcua.records.procedures import supplement_rule, ward_cutoff
from motcua.tenancy.models import Tenant

RECALCULATE = "recalculate_due"
# Open work whose due date still matters: a paused record's due date is extended from the
# recomputed one when the supplement arrives.
_OPEN = ("received", "in_progress", "supplement_requested")


@dataclass(frozen=True)
class DueChange:
    """An open record whose due moment a calendar change moves."""

    tenant_code: str
    record_code: str
    old_due: datetime
    new_due: datetime

    def as_dict(self) -> dict[str, str]:
        """Return the change as JSON-ready text."""
        return {
            "tenant": self.tenant_code,
            "record": self.record_code,
            "old_due": self.old_due.isoformat(timespec="minutes"),
            "new_due": self.new_due.isoformat(timespec="minutes"),
        }


def replay_due(
    record: Record,
    events: Iterable[RecordEvent],
    calendar: WorkCalendar,
    *,
    cutoff: time,
    rule: PauseRule,
) -> datetime | None:
    """Return the due moment motcua computes for ``record`` on ``calendar``, or None when
    the record has no limit.

    From the reception (limit and cut-off), then along ``events`` in order: each supplement
    pause extends it with the rule its event recorded (``rule`` when none), and an apology
    sets the new date the processing unit chose, which a calendar change does not move.
    """
    if not record.limit_spec:
        return None
    limit = parse_limit(record.limit_spec)
    due = compute_due(record.received_at, limit, calendar, cutoff=cutoff)
    paused_from: datetime | None = None
    for event in sorted(events, key=lambda e: e.seq):
        if event.action == "request_supplement":
            paused_from = event.at
        elif event.action == "supplement_received" and paused_from is not None:
            recorded = (event.details or {}).get("rule", rule)
            due = extend_due(
                due, paused_from, event.at, calendar, rule=recorded, limit=limit, cutoff=cutoff
            )
            paused_from = None
        elif event.action == "apologize" and (event.details or {}).get("new_due"):
            due = datetime.fromisoformat(event.details["new_due"])
    return due


def recalculate_open_dues(
    tenant: Tenant,
    before: WorkCalendar,
    after: WorkCalendar,
    days: Iterable[date],
    *,
    now: datetime,
    actor: str,
    note: str,
    apply: bool,
) -> list[DueChange]:
    """Return the ward's open records whose due moment moves from ``before`` to ``after``
    (calendars that differ on ``days``), and with ``apply`` move them, each logged as a
    ``recalculate_due`` event carrying the old and new due moments and ``note``.

    Only records whose stored due moment is what ``before`` gives are moved: an imported
    record's due date, or one set by hand, is left alone. Run it inside the caller's
    transaction.
    """
    changed = sorted(set(days))
    if not changed:
        return []
    cutoff, rule = ward_cutoff(tenant), supplement_rule(tenant)
    candidates = list(
        Record.select().where(
            Record.tenant == tenant,
            Record.status.in_(_OPEN),
            Record.limit_spec != "",
            Record.due_at.is_null(False),
            Record.legacy_code.is_null(True),
            # A day can only move a due moment counted across it.
            Record.received_at <= datetime.combine(changed[-1], time.max),
            Record.due_at >= datetime.combine(changed[0], time.min),
        )
    )
    if not candidates:
        return []
    events: dict[int, list[RecordEvent]] = {}
    for event in RecordEvent.select().where(
        RecordEvent.tenant == tenant, RecordEvent.record.in_([r.id for r in candidates])
    ):
        events.setdefault(event.record_id, []).append(event)
    moves = []
    for record in candidates:
        history = events.get(record.id, [])
        if replay_due(record, history, before, cutoff=cutoff, rule=rule) != record.due_at:
            continue
        new_due = replay_due(record, history, after, cutoff=cutoff, rule=rule)
        if new_due is None or new_due == record.due_at:
            continue
        moves.append(DueChange(tenant.code, record.code, record.due_at, new_due))
        if apply:
            _move(tenant, record, new_due, now=now, actor=actor, note=note)
    return moves


def _move(
    tenant: Tenant, record: Record, new_due: datetime, *, now: datetime, actor: str, note: str
) -> None:
    Record.update(
        {
            Record.due_at: new_due,
            Record.lock_version: Record.lock_version + 1,
            Record.updated_at: now,
        }
    ).where(Record.tenant == tenant, Record.id == record.id).execute()
    last = (
        RecordEvent.select(fn.MAX(RecordEvent.seq))
        .where(RecordEvent.tenant == tenant, RecordEvent.record == record)
        .scalar()
    )
    insert_row(
        RecordEvent,
        tenant=tenant,
        record=record,
        seq=(last or 0) + 1,
        action=RECALCULATE,
        from_status=record.status,
        to_status=record.status,
        actor=actor,
        role="",
        at=now,
        note=note,
        details={"old_due": record.due_at.isoformat(), "new_due": new_due.isoformat()},
    )
