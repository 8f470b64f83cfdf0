"""Each figure once, as a condition on a record row: what the engine counts and the
drill-down lists (one definition for both, so a number and its list always agree).

For a period [F, E) (:class:`motcua.reports.period.Period` ``start`` and ``end``):

- a record is *alive* in the period when it was received before E and not closed before F
  (``closed_at``: resolved, withdrawn or refused at reception);
- refused records are counted only as ``refused``: they were never taken in for resolution;
- ``carried_over`` + ``received`` = ``resolved`` + ``withdrawn`` + ``in_progress`` + ``overdue``;
- a record waiting for a supplement at E has its clock paused, so it is in progress, not
  overdue; a record without a time limit is never overdue and is resolved on time.

A :class:`Measure`'s condition is written for a record already known to be alive (the
engine reads only those, so each row is tested for what tells the figures apart);
:meth:`Measure.where` adds the alive test for the drill-down, which reads any record.
``closed_at`` equals ``resolved_at`` for a resolved record (resolution closes it, and
nothing reopens it), so "resolved before E" is "resolved in the period" once alive.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from peewee import Expression

from motcua.records.models import Record

Condition = Callable[[datetime, datetime], Expression]
REFUSED = "refused_at_reception"


def alive(start: datetime, end: datetime) -> Expression:
    """Records received before ``end`` and not closed before ``start``."""
    return (Record.received_at < end) & (Record.closed_at.is_null() | (Record.closed_at >= start))


@dataclass(frozen=True)
class Measure:
    """One figure: its condition on an alive record (or on any record, ``alive=False``)."""

    condition: Condition
    alive: bool = True

    def where(self, start: datetime, end: datetime) -> Expression:
        """Return the complete condition, for reading any record of the period's wards."""
        condition = self.condition(start, end)
        return alive(start, end) & condition if self.alive else condition


def _kept() -> Expression:
    return Record.status != REFUSED


def _received(start: datetime, end: datetime) -> Expression:
    return _kept() & (Record.received_at >= start)


def _channel(channel: str) -> Condition:
    return lambda start, end: _received(start, end) & (Record.channel == channel)


def _resolved(start: datetime, end: datetime) -> Expression:
    return Record.resolved_at < end


def _outcome(*outcomes: str) -> Condition:
    return lambda start, end: _resolved(start, end) & Record.outcome.in_(outcomes)


def _closed_as(status: str) -> Condition:
    return lambda start, end: (Record.status == status) & (Record.closed_at < end)


def _open_at_end(end: datetime) -> Expression:
    return _kept() & (Record.closed_at.is_null() | (Record.closed_at >= end))


def _paused_at_end(end: datetime) -> Expression:
    return Record.paused_at.is_null(False) & (Record.paused_at < end)


def _overdue(start: datetime, end: datetime) -> Expression:
    return _open_at_end(end) & (Record.due_at < end) & ~_paused_at_end(end)


def _in_progress(start: datetime, end: datetime) -> Expression:
    return _open_at_end(end) & (
        Record.due_at.is_null() | (Record.due_at >= end) | _paused_at_end(end)
    )


MEASURES: dict[str, Measure] = {
    "carried_over": Measure(lambda start, end: _kept() & (Record.received_at < start)),
    "received": Measure(_received),
    "received_direct": Measure(_channel("direct")),
    "received_online": Measure(_channel("online")),
    "received_postal": Measure(_channel("postal")),
    "non_territorial": Measure(lambda start, end: _received(start, end) & (Record.non_territorial == True)),  # noqa: E712
    "resolved": Measure(_resolved),
    "resolved_early": Measure(_outcome("early")),
    "resolved_on_time": Measure(_outcome("on_time", "")),
    "resolved_late": Measure(_outcome("late")),
    "in_progress": Measure(_in_progress),
    "overdue": Measure(_overdue),
    "withdrawn": Measure(_closed_as("withdrawn")),
    "refused": Measure(_closed_as(REFUSED)),
    # A result may be returned long after the record was resolved: any record, not only alive.
    "returned": Measure(
        lambda start, end: (Record.returned_at >= start) & (Record.returned_at < end), alive=False
    ),
}
ALIVE_MEASURES = tuple(name for name, measure in MEASURES.items() if measure.alive)
