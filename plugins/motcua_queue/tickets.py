"""Tickets: taking a number, and the counter's call next / recall / skip / transfer / serve.

Each operation is one write transaction. A counter has at most one current ticket
(called or being served); calling the next one closes the current one first: a served
ticket is done, a ticket called but never served is a no-show (skipped). Two counters
calling at once never get the same ticket: the claim is a conditional update that only
one of them wins.
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from datetime import date, datetime

from peewee import Case, fn

from motcua import Conflict, UserError
from motcua.plugin_api import T, now, transaction

from .models import (
    CALLED,
    DONE,
    PRIORITIES,
    SERVING,
    SKIPPED,
    WAITING,
    Call,
    Desk,
    Service,
    Ticket,
    TicketRecord,
)
from .numbering import next_number, ticket_number
from .setup import desks, service_by_key


@dataclass(frozen=True)
class Taken:
    """A ticket just taken: the ticket, how many wait before it, and the estimated wait."""

    ticket: Ticket
    service: Service
    ahead: int
    wait_minutes: int


def take_ticket(tenant_id: int, service_key: str, priority: str = "", at: datetime | None = None) -> Taken:
    """Give the next number of the day for ``service_key`` (``priority`` one of
    :data:`PRIORITIES` or empty) and return it with its place in the queue.

    :raises NotFound: no such active service in the ward.
    :raises UserError: an unknown priority group.
    """
    if priority and priority not in PRIORITIES:
        raise UserError(
            T("Nhóm ưu tiên không hợp lệ; chọn: {known}", "Unknown priority group; choose: {known}",
              known=", ".join(PRIORITIES)),
            field="priority",
        )
    at = at or now()
    with transaction():
        service = service_by_key(tenant_id, service_key)
        seq = next_number(tenant_id, service.id, at.date())
        ticket = Ticket.create(
            tenant_id=tenant_id, issued_by=service, service=service, day=at.date(), seq=seq,
            number=ticket_number(service.letter, seq), priority=priority, status=WAITING,
            token=secrets.token_urlsafe(12), taken_at=at,
        )
    ahead = position(ticket)
    return Taken(ticket, service, ahead, estimated_wait(tenant_id, service, ahead))


def _queue_order() -> tuple[object, ...]:
    # Priority groups first, then by the time the number was taken (a transferred
    # ticket keeps its original time, so it does not start again at the back).
    return (Case(None, [(Ticket.priority == "", 1)], 0), Ticket.taken_at, Ticket.id)


def waiting(tenant_id: int, service_ids: list[int], day: date) -> list[Ticket]:
    """Return the waiting tickets of the services on ``day``, in calling order."""
    return list(
        Ticket.select()
        .where(Ticket.tenant_id == tenant_id, Ticket.service.in_(service_ids), Ticket.day == day,
               Ticket.status == WAITING)
        .order_by(*_queue_order())
    )


def position(ticket: Ticket) -> int:
    """Return how many waiting tickets of its service will be called before ``ticket``
    (one COUNT in the calling order of :func:`waiting`)."""
    if ticket.status != WAITING:
        return 0
    earlier = (Ticket.taken_at < ticket.taken_at) | (
        (Ticket.taken_at == ticket.taken_at) & (Ticket.id < ticket.id)
    )
    if ticket.priority:
        before = (Ticket.priority != "") & earlier
    else:
        before = (Ticket.priority != "") | earlier
    return int(
        Ticket.select(fn.COUNT(Ticket.id))
        .where(Ticket.tenant_id == ticket.tenant_id, Ticket.service == ticket.service_id,
               Ticket.day == ticket.day, Ticket.status == WAITING, before)
        .scalar()
    )


OBSERVED_AFTER = 3  # served tickets of the day before their average replaces the setting


def minutes_per_ticket(tenant_id: int, service: Service, day: date) -> float:
    """Return the minutes a ticket of ``service`` takes: the day's average service time
    once :data:`OBSERVED_AFTER` tickets were served, else the service's setting."""
    done = list(
        Ticket.select(Ticket.served_at, Ticket.finished_at)
        .where(Ticket.tenant_id == tenant_id, Ticket.service == service, Ticket.day == day,
               Ticket.status == DONE, Ticket.served_at.is_null(False))
        .order_by(Ticket.finished_at.desc())
        .limit(20)
    )
    if len(done) < OBSERVED_AFTER:
        return float(service.minutes_per_ticket)
    spent = [(t.finished_at - t.served_at).total_seconds() / 60 for t in done]
    return max(sum(spent) / len(spent), 1.0)


def estimated_wait(tenant_id: int, service: Service, ahead: int, day: date | None = None) -> int:
    """Return the estimated minutes before a ticket with ``ahead`` tickets before it is
    called: minutes per ticket (observed today, else the setting) shared by the counters
    calling the service, rounded up."""
    serving = sum(1 for d in desks(tenant_id, service.point) if service.key in d.services)
    if ahead == 0:
        return 0
    per_ticket = minutes_per_ticket(tenant_id, service, day or now().date())
    return math.ceil(ahead * per_ticket / max(serving, 1))


def current(tenant_id: int, desk: Desk) -> Ticket | None:
    """Return the counter's current ticket (called or being served) today, if any."""
    return (
        Ticket.select()
        .where(Ticket.tenant_id == tenant_id, Ticket.counter == desk, Ticket.day == now().date(),
               Ticket.status.in_((CALLED, SERVING)))
        .order_by(Ticket.called_at.desc())
        .first()
    )


def _close(ticket: Ticket, at: datetime) -> None:
    ticket.status = DONE if ticket.status == SERVING else SKIPPED
    ticket.finished_at = at
    ticket.save()


def _announce(ticket: Ticket, desk: Desk, at: datetime) -> None:
    Call.create(tenant_id=ticket.tenant_id, ticket=ticket, counter=desk, point=desk.point, at=at)


def call_next(tenant_id: int, desk: Desk, at: datetime | None = None) -> Ticket | None:
    """Close the counter's current ticket, call the next waiting one of its services and
    return it (None when nobody waits)."""
    at = at or now()
    with transaction():
        present = current(tenant_id, desk)
        if present is not None:
            _close(present, at)
        ids = [s.id for s in Service.select().where(
            Service.tenant_id == tenant_id, Service.point == desk.point, Service.key.in_(desk.services))]
        for candidate in waiting(tenant_id, ids, at.date()):
            claimed = (
                Ticket.update(status=CALLED, counter=desk, called_at=at, call_count=Ticket.call_count + 1)
                .where(Ticket.id == candidate.id, Ticket.status == WAITING)
                .execute()
            )
            if claimed:
                ticket = Ticket.get_by_id(candidate.id)
                _announce(ticket, desk, at)
                return ticket
    return None


def _current_or_refuse(tenant_id: int, desk: Desk, states: tuple[str, ...]) -> Ticket:
    ticket = current(tenant_id, desk)
    if ticket is None or ticket.status not in states:
        raise Conflict(T("Quầy chưa gọi số nào để làm việc này",
                         "The counter has no called ticket to do this with"))
    return ticket


def recall(tenant_id: int, desk: Desk, at: datetime | None = None) -> Ticket:
    """Call the counter's current ticket again (the board shows and says it again).

    :raises Conflict: the counter has no called ticket.
    """
    at = at or now()
    with transaction():
        ticket = _current_or_refuse(tenant_id, desk, (CALLED,))
        ticket.call_count += 1
        ticket.save()
        _announce(ticket, desk, at)
    return ticket


def skip(tenant_id: int, desk: Desk, at: datetime | None = None) -> Ticket:
    """Mark the counter's called ticket as a no-show.

    :raises Conflict: the counter has no called ticket.
    """
    at = at or now()
    with transaction():
        ticket = _current_or_refuse(tenant_id, desk, (CALLED,))
        _close(ticket, at)
    return ticket


def start_serving(tenant_id: int, desk: Desk, actor: str, at: datetime | None = None) -> Ticket:
    """Start serving the counter's called ticket: records received by ``actor`` from now
    on until the ticket is done are linked to it.

    :raises Conflict: the counter has no called ticket.
    """
    at = at or now()
    with transaction():
        ticket = _current_or_refuse(tenant_id, desk, (CALLED, SERVING))
        if ticket.status == CALLED:
            ticket.status, ticket.served_at, ticket.served_by = SERVING, at, actor
            ticket.save()
    return ticket


def finish(tenant_id: int, desk: Desk, at: datetime | None = None) -> Ticket:
    """End the service of the counter's ticket (done).

    :raises Conflict: the counter is serving no ticket.
    """
    at = at or now()
    with transaction():
        ticket = _current_or_refuse(tenant_id, desk, (SERVING,))
        _close(ticket, at)
    return ticket


def transfer(tenant_id: int, desk: Desk, service_key: str, at: datetime | None = None) -> Ticket:
    """Send the counter's current ticket to another service's queue, keeping its number
    and its place by the time it was taken.

    :raises Conflict: the counter has no current ticket.
    :raises NotFound: no such service.
    :raises UserError: the ticket is already in that service.
    """
    with transaction():
        ticket = _current_or_refuse(tenant_id, desk, (CALLED, SERVING))
        target = service_by_key(tenant_id, service_key)
        if target.id == ticket.service_id:
            raise UserError(T("Số này đã ở dịch vụ {name}", "This ticket is already in {name}",
                              name=target.name), field="service")
        ticket.service, ticket.status, ticket.counter = target, WAITING, None
        ticket.called_at, ticket.served_at, ticket.served_by = None, None, ""
        ticket.transfers += 1
        ticket.save()
    return ticket


def link_record(tenant_id: int, record_code: str, actor: str, at: datetime) -> TicketRecord | None:
    """Link a record just received by ``actor`` to the ticket ``actor`` is serving today;
    return the link (None when ``actor`` serves no ticket or the record is linked already)."""
    with transaction():
        ticket = (
            Ticket.select()
            .where(Ticket.tenant_id == tenant_id, Ticket.served_by == actor, Ticket.status == SERVING,
                   Ticket.day == at.date())
            .order_by(Ticket.served_at.desc())
            .first()
        )
        if ticket is None or TicketRecord.select().where(
            TicketRecord.tenant_id == tenant_id, TicketRecord.record_code == record_code
        ).exists():
            return None
        return TicketRecord.create(tenant_id=tenant_id, ticket=ticket, record_code=record_code, linked_at=at)


def records_of(ticket: Ticket) -> list[str]:
    """Return the codes of the records received from ``ticket``."""
    return [
        link.record_code
        for link in TicketRecord.select().where(
            TicketRecord.tenant_id == ticket.tenant_id, TicketRecord.ticket == ticket
        ).order_by(TicketRecord.id)
    ]


def by_token(tenant_id: int, token: str) -> Ticket | None:
    """Return the ward's ticket whose follow-up token is ``token`` (the QR on the ticket)."""
    return Ticket.get_or_none(Ticket.tenant_id == tenant_id, Ticket.token == token)


def count_today(tenant_id: int, day: date) -> int:
    """Return the number of tickets taken in the ward on ``day``."""
    return Ticket.select(fn.COUNT(Ticket.id)).where(Ticket.tenant_id == tenant_id, Ticket.day == day).scalar()
