"""Each figure once, as a condition on a record row: what the engine counts and the
drill-down lists (one definition for both, so a number and its list always agree).

For a period [F, E) (:class:`motcua.reports.period.Period` ``start`` and ``end``):

- a record is *alive* in the period when it was received before E and not closed before F
  (``closed_at``: resolved, withdrawn or refused at reception);
- refused records are counted only as ``refused``: they were never taken in for resolution;
- ``carried_over`` + ``received`` = ``resolved`` + ``withdrawn`` + ``in_progress`` + ``overdue``;
- a record waiting for a supplement at E has its clock paused, so it is in progress, not
  overdue; a record without a time limit is never overdue and is resolved on time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from peewee import Expression

from motcua.records.models import Record

Condition = Callable[[datetime, datetime], Expression]
REFUSED = "refused_at_reception"


def _kept() -> Expression:
    return Record.status != REFUSED


def alive(start: datetime, end: datetime) -> Expression:
    """Records received before ``end`` and not closed before ``start``."""
    return (Record.received_at < end) & (Record.closed_at.is_null() | (Record.closed_at >= start))


def _received(start: datetime, end: datetime) -> Expression:
    return alive(start, end) & _kept() & (Record.received_at >= start)


def _channel(channel: str) -> Condition:
    return lambda start, end: _received(start, end) & (Record.channel == channel)


def _resolved(start: datetime, end: datetime) -> Expression:
    return (Record.resolved_at >= start) & (Record.resolved_at < end)


def _outcome(*outcomes: str) -> Condition:
    return lambda start, end: _resolved(start, end) & Record.outcome.in_(outcomes)


def _closed_as(status: str) -> Condition:
    return lambda start, end: (
        (Record.status == status) & (Record.closed_at >= start) & (Record.closed_at < end)
    )


def _open_at_end(end: datetime) -> Expression:
    return (
        (Record.received_at < end)
        & (Record.closed_at.is_null() | (Record.closed_at >= end))
        & _kept()
    )


def _paused_at_end(end: datetime) -> Expression:
    return Record.paused_at.is_null(False) & (Record.paused_at < end)


def _overdue(start: datetime, end: datetime) -> Expression:
    return _open_at_end(end) & (Record.due_at < end) & ~_paused_at_end(end)


def _in_progress(start: datetime, end: datetime) -> Expression:
    return _open_at_end(end) & (
        Record.due_at.is_null() | (Record.due_at >= end) | _paused_at_end(end)
    )


MEASURES: dict[str, Condition] = {
    "carried_over": lambda start, end: alive(start, end) & _kept() & (Record.received_at < start),
    "received": _received,
    "received_direct": _channel("direct"),
    "received_online": _channel("online"),
    "received_postal": _channel("postal"),
    "non_territorial": lambda start, end: _received(start, end) & (Record.non_territorial == True),  # noqa: E712
    "resolved": _resolved,
    "resolved_early": _outcome("early"),
    "resolved_on_time": _outcome("on_time", ""),
    "resolved_late": _outcome("late"),
    "in_progress": _in_progress,
    "overdue": _overdue,
    "withdrawn": _closed_as("withdrawn"),
    "refused": _closed_as(REFUSED),
    "returned": lambda start, end: (Record.returned_at >= start) & (Record.returned_at < end),
}
# Counted over another row set than the alive records (a result may be returned long
# after the record was resolved).
RETURNED = "returned"
