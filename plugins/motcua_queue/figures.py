"""The queue's figures per day, service and counter: tickets, waits, service time,
no-shows and satisfaction ratings.

:func:`summarize` is plain arithmetic over :class:`Visit` values (no database); the
queries only gather the visits of a period. Minutes have one decimal; p90 is the
nearest-rank 90th percentile (the wait nine in ten citizens did not exceed).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from peewee import JOIN

from .models import DONE, SCORES, SKIPPED, Desk, Rating, Service, Ticket, TicketRecord


@dataclass(frozen=True)
class Visit:
    """One ticket as the figures see it."""

    day: date
    service: str
    counter: str
    status: str
    taken_at: datetime
    called_at: datetime | None = None
    served_at: datetime | None = None
    finished_at: datetime | None = None
    scores: tuple[int, ...] = field(default_factory=tuple)


def _minutes(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return max((end - start).total_seconds(), 0.0) / 60


def percentile(values: list[float], share: float) -> float | None:
    """Return the nearest-rank percentile ``share`` (0-1] of ``values``, None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def summarize(visits: Iterable[Visit]) -> dict[str, Any]:
    """Return the figures of ``visits``: tickets, served, no-shows, average and p90 wait,
    average service time (minutes) and the count of each rating with the satisfied share."""
    visits = list(visits)
    waits = [w for v in visits if (w := _minutes(v.taken_at, v.called_at)) is not None]
    services = [
        s for v in visits if v.status == DONE and (s := _minutes(v.served_at, v.finished_at)) is not None
    ]
    scores = [score for v in visits for score in v.scores]
    ratings = {name: sum(1 for s in scores if s == value) for value, name in SCORES.items()}
    return {
        "tickets": len(visits),
        "served": sum(1 for v in visits if v.status == DONE),
        "no_shows": sum(1 for v in visits if v.status == SKIPPED),
        "wait_avg": _round(sum(waits) / len(waits)) if waits else None,
        "wait_p90": _round(percentile(waits, 0.9)),
        "service_avg": _round(sum(services) / len(services)) if services else None,
        "ratings": ratings,
        "rated": len(scores),
        "satisfied_share": round(sum(1 for s in scores if s >= 2) / len(scores), 3) if scores else None,
    }


def grouped(visits: list[Visit], *keys: str) -> list[dict[str, Any]]:
    """Return :func:`summarize` per distinct value of the ``keys`` of :class:`Visit`, sorted."""
    groups: dict[tuple[Any, ...], list[Visit]] = defaultdict(list)
    for visit in visits:
        groups[tuple(getattr(visit, key) for key in keys)].append(visit)
    return [
        {**dict(zip(keys, values, strict=True)), **summarize(group)}
        for values, group in sorted(groups.items(), key=lambda item: tuple(map(str, item[0])))
    ]


def visits(tenant_id: int, start: date, end: date) -> list[Visit]:
    """Return the ward's tickets taken from ``start`` to ``end`` (inclusive) with their ratings."""
    tickets = list(
        Ticket.select(Ticket, Service, Desk)
        .join(Service, on=(Ticket.service == Service.id))
        .switch(Ticket)
        .join(Desk, on=(Ticket.counter == Desk.id), join_type=JOIN.LEFT_OUTER)
        .where(Ticket.tenant_id == tenant_id, Ticket.day >= start, Ticket.day <= end)
        .order_by(Ticket.id)
    )
    ids = [t.id for t in tickets]
    scores: dict[int, list[int]] = defaultdict(list)
    if ids:
        links = {
            link.record_code: link.ticket_id
            for link in TicketRecord.select().where(TicketRecord.tenant_id == tenant_id,
                                                    TicketRecord.ticket.in_(ids))
        }
        ratings = Rating.select().where(
            Rating.tenant_id == tenant_id,
            (Rating.ticket.in_(ids)) | (Rating.record_code.in_(list(links) or [""])),
        )
        for rating in ratings:
            owner = rating.ticket_id or links.get(rating.record_code or "")
            if owner is not None:
                scores[owner].append(rating.score)
    return [
        Visit(
            day=t.day, service=t.service.name, counter=t.counter.name if t.counter_id else "",
            status=t.status, taken_at=t.taken_at, called_at=t.called_at, served_at=t.served_at,
            finished_at=t.finished_at, scores=tuple(scores.get(t.id, ())),
        )
        for t in tickets
    ]


def day_figures(tenant_id: int, start: date, end: date) -> dict[str, Any]:
    """Return the figures of the period: the total, per day, per service, per counter, and
    per day, service and counter (the rows of the Excel export)."""
    found = visits(tenant_id, start, end)
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "total": summarize(found),
        "by_day": grouped(found, "day"),
        "by_service": grouped(found, "service"),
        "by_counter": grouped([v for v in found if v.counter], "counter"),
        "rows": grouped(found, "day", "service", "counter"),
    }
