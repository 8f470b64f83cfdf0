"""``motcua calendar update``: load a Government calendar decision before motcua ships it.

Province IT gives a file or URL in the format of ``motcua/calendar/decisions.toml``. The
update says what it changes (decisions added or replaced, days that become days off or
working days) and which open records' due dates move; applied, it stores the decisions and
moves those due dates in one transaction, each move logged on its record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import httpx

from motcua.audit import audit
from motcua.calendar import Decision, WorkCalendar, parse_decisions
from motcua.calendar.decisions import layered
from motcua.db import write_transaction
from motcua.errors import UserError
from motcua.i18n import T
from motcua.records.due_recalculation import DueChange, recalculate_open_dues
from motcua.tenancy.models import CalendarDecision, Tenant
from motcua.tenancy.workdays import national_decisions, ward_calendar

_TIMEOUT_SECONDS = 20.0


@dataclass(frozen=True)
class DayChange:
    """A day the national calendar changes: working before or not, and after."""

    day: date
    was_working: bool
    working: bool
    number: str  # the document that now decides the day ("" when holidays does again)

    def as_dict(self) -> dict[str, Any]:
        """Return the change as JSON-ready data."""
        return {
            "day": self.day.isoformat(),
            "was_working": self.was_working,
            "working": self.working,
            "decision": self.number,
        }


@dataclass
class CalendarUpdate:
    """What an update does (``applied`` False: what it would do)."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    days: list[DayChange] = field(default_factory=list)
    records: list[DueChange] = field(default_factory=list)
    applied: bool = False

    def as_dict(self) -> dict[str, Any]:
        """Return the update as JSON-ready data."""
        return {
            "added": self.added,
            "replaced": self.replaced,
            "unchanged": self.unchanged,
            "days": [change.as_dict() for change in self.days],
            "records": [change.as_dict() for change in self.records],
            "applied": self.applied,
        }


def read_source(source: str) -> str:
    """Return the text of ``source``, a file path or an http(s) URL.

    :raises UserError: the file cannot be read or the URL does not answer 200.
    """
    if source.startswith(("http://", "https://")):
        try:
            response = httpx.get(source, timeout=_TIMEOUT_SECONDS, follow_redirects=True)
            response.raise_for_status()
        except httpx.HTTPError as error:
            raise UserError(
                T(
                    "Không tải được {source}: {error}",
                    "Could not download {source}: {error}",
                    source=source,
                    error=str(error),
                )
            ) from error
        return response.text
    try:
        return Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(
            T(
                "Không đọc được tệp {source}: {error}",
                "Could not read the file {source}: {error}",
                source=source,
                error=str(error),
            )
        ) from error


def update_national_calendar(
    decisions: list[Decision], *, origin: str, actor: str, now: datetime, apply: bool = True
) -> CalendarUpdate:
    """Return what loading ``decisions`` changes; with ``apply``, store them and move the due
    dates of the open records they shift, in every active ward, in one transaction.

    A decision whose number is already in force is replaced (a correction); an identical
    one changes nothing.
    """
    with write_transaction():
        before = national_decisions()
        in_force = {decision.number: decision for decision in before}
        update = CalendarUpdate(applied=apply)
        fresh = []
        for decision in decisions:
            known = in_force.get(decision.number)
            if known == decision:
                update.unchanged.append(decision.number)
                continue
            (update.added if known is None else update.replaced).append(decision.number)
            fresh.append(decision)
        after = layered(before, fresh)
        update.days = _day_changes(before, after)
        days = [change.day for change in update.days]
        note = ", ".join(decision.number for decision in fresh)
        if apply:
            for decision in fresh:
                _store(decision, origin=origin, actor=actor, now=now)
        for tenant in Tenant.select().where(Tenant.active == True).order_by(Tenant.code):  # noqa: E712
            update.records += recalculate_open_dues(
                tenant,
                ward_calendar(tenant, before),
                ward_calendar(tenant, after),
                days,
                now=now,
                actor=actor,
                note=note,
                apply=apply,
            )
        if apply and fresh:
            audit(
                "calendar.update",
                actor=actor,
                target=note,
                origin=origin,
                days=[change.as_dict() for change in update.days],
                records=len(update.records),
            )
    return update


def load_national_calendar(
    source: str, *, actor: str, now: datetime, apply: bool = True
) -> CalendarUpdate:
    """Read ``source`` (file or URL) and :func:`update_national_calendar` with it.

    :raises UserError: the source cannot be read or is not a valid decisions file.
    """
    return update_national_calendar(
        parse_decisions(read_source(source)), origin=source, actor=actor, now=now, apply=apply
    )


def _store(decision: Decision, *, origin: str, actor: str, now: datetime) -> None:
    values = {"content": decision.as_dict(), "origin": origin, "loaded_at": now, "loaded_by": actor}
    updated = (
        CalendarDecision.update(values)
        .where(CalendarDecision.number == decision.number)
        .execute()
    )
    if not updated:
        CalendarDecision.insert(number=decision.number, **values).execute()


def _day_changes(before: list[Decision], after: list[Decision]) -> list[DayChange]:
    old, new = WorkCalendar(decisions=before), WorkCalendar(decisions=after)
    named = {
        day
        for decision in (*before, *after)
        for day in (*decision.days_off, *decision.working_days)
    }
    changes = []
    for day in sorted(named):
        was, now_working = old.is_working_day(day), new.is_working_day(day)
        if was != now_working:
            decided = new.decision_on(day)
            changes.append(DayChange(day, was, now_working, decided.number if decided else ""))
    return changes
