"""Satisfaction ratings: one per ticket or per record, from the counter's tablet, the
ticket's QR or the QR of the appointment slip (docs/queue.md)."""

from __future__ import annotations

from datetime import datetime

from peewee import IntegrityError

from motcua import Conflict, NotFound, UserError
from motcua.plugin_api import T, now, transaction

from .models import DONE, SCORES, Rating, Ticket, TicketRecord

SCORE_NAMES = {
    3: T("Rất hài lòng", "Very satisfied"),
    2: T("Hài lòng", "Satisfied"),
    1: T("Không hài lòng", "Not satisfied"),
}
MAX_REASON = 500


def rating_of_ticket(ticket: Ticket) -> Rating | None:
    """Return the rating given for ``ticket`` or for a record received from it, if any."""
    codes = [link.record_code for link in TicketRecord.select().where(
        TicketRecord.tenant_id == ticket.tenant_id, TicketRecord.ticket == ticket)]
    query = Rating.select().where(Rating.tenant_id == ticket.tenant_id)
    condition = Rating.ticket == ticket
    if codes:
        condition = condition | Rating.record_code.in_(codes)
    return query.where(condition).first()


def _score(raw: object) -> int:
    try:
        score = int(str(raw))
    except ValueError:
        score = 0
    if score not in SCORES:
        raise UserError(T("Chọn một mức: rất hài lòng, hài lòng hoặc không hài lòng",
                          "Choose one: very satisfied, satisfied or not satisfied"), field="score")
    return score


def _reason(raw: object) -> str:
    reason = str(raw or "").strip()
    if len(reason) > MAX_REASON:
        raise UserError(T("Lý do dài tối đa {n} ký tự", "The reason is at most {n} characters", n=MAX_REASON),
                        field="reason")
    return reason


def rate_ticket(ticket: Ticket, raw_score: object, raw_reason: object = "",
                at: datetime | None = None) -> Rating:
    """Store the citizen's rating of the counter that served ``ticket``.

    :raises UserError: a score other than 1-3 or a reason too long.
    :raises Conflict: the ticket was not served yet, or is rated already.
    """
    score, reason = _score(raw_score), _reason(raw_reason)
    if ticket.status != DONE:
        raise Conflict(T("Chỉ đánh giá được sau khi được phục vụ", "You can rate once you have been served"))
    try:
        with transaction():
            if rating_of_ticket(ticket) is not None:
                raise IntegrityError("rated")
            return Rating.create(tenant_id=ticket.tenant_id, ticket=ticket, counter=ticket.counter_id,
                                 score=score, reason=reason, rated_at=at or now())
    except IntegrityError:
        raise Conflict(T("Lượt này đã được đánh giá", "This visit is rated already")) from None


def rate_record(tenant_id: int, record_code: str, raw_score: object, raw_reason: object = "",
                at: datetime | None = None) -> Rating:
    """Store a rating given through the QR of a record's appointment slip.

    Only a record received from one of the ward's tickets can be rated (the counter is
    the ticket's), so a guessed code leads nowhere.

    :raises NotFound: no record of the ward was received from a ticket under that code.
    :raises UserError: a score other than 1-3 or a reason too long.
    :raises Conflict: the record or its ticket is rated already.
    """
    score, reason = _score(raw_score), _reason(raw_reason)
    link = TicketRecord.get_or_none(TicketRecord.tenant_id == tenant_id, TicketRecord.record_code == record_code)
    if link is None:
        raise NotFound(T("Không tìm thấy lượt phục vụ của hồ sơ này", "No visit found for this record"))
    ticket = link.ticket
    try:
        with transaction():
            if rating_of_ticket(ticket) is not None:
                raise IntegrityError("rated")
            return Rating.create(tenant_id=tenant_id, record_code=record_code, counter=ticket.counter_id,
                                 score=score, reason=reason, rated_at=at or now())
    except IntegrityError:
        raise Conflict(T("Lượt này đã được đánh giá", "This visit is rated already")) from None
