"""Rating pages (public): after the ticket on a phone, on the counter's tablet, and from
the QR of a record's appointment slip. They show a number and a counter, never a name."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from motcua.plugin_api import now, public, rate_limited

from .kiosk import ticket_or_404
from .models import DONE, Ticket
from .ratings import rate_record, rate_ticket, rating_of_ticket
from .setup import desk_of
from .web import pages, tenant_id

RECENT = timedelta(minutes=15)  # the counter tablet offers the visit that just ended


@pages.post("/so/<token>/danh-gia")
@public
def rate_by_ticket(token: str) -> ResponseReturnValue:
    """Rate the visit of a ticket (its page, opened by the ticket's QR)."""
    ticket = ticket_or_404(token)
    rate_ticket(ticket, request.form.get("score"), request.form.get("reason"))
    return redirect(url_for(".ticket_page", token=token))


def _last_visit(desk_id: int) -> Ticket | None:
    desk = desk_of(tenant_id(), desk_id)
    ticket = (
        Ticket.select()
        .where(Ticket.tenant_id == tenant_id(), Ticket.counter == desk, Ticket.status == DONE,
               Ticket.finished_at >= now() - RECENT)
        .order_by(Ticket.finished_at.desc())
        .first()
    )
    return None if ticket is None or rating_of_ticket(ticket) is not None else ticket


@pages.route("/danh-gia/quay/<int:desk_id>", methods=["GET", "POST"])
@public
def rate_at_counter(desk_id: int) -> ResponseReturnValue:
    """The counter's tablet: rate the visit that just ended there."""
    desk = desk_of(tenant_id(), desk_id)
    ticket = _last_visit(desk_id)
    thanks = request.args.get("cam-on") == "1"
    if request.method == "POST":
        if ticket is None or str(ticket.id) != request.form.get("ticket"):
            abort(409)
        rate_ticket(ticket, request.form.get("score"), request.form.get("reason"))
        return redirect(url_for(".rate_at_counter", desk_id=desk_id, **{"cam-on": 1}))
    return render_template("queue/rate.html", desk=desk, ticket=ticket, thanks=thanks,
                           rate_action=url_for(".rate_at_counter", desk_id=desk_id))


@pages.route("/danh-gia/ho-so/<code>", methods=["GET", "POST"])
@public
@rate_limited("20 per minute")  # record codes are short: no guessing them in bulk
def rate_by_record(code: str) -> ResponseReturnValue:
    """Rate through the QR of a record's appointment slip (record received from a ticket)."""
    from .models import TicketRecord

    link = TicketRecord.get_or_none(TicketRecord.tenant_id == tenant_id(), TicketRecord.record_code == code)
    if link is None:
        abort(404)
    if request.method == "POST":
        rate_record(tenant_id(), code, request.form.get("score"), request.form.get("reason"))
        return redirect(url_for(".rate_by_record", code=code))
    rated = rating_of_ticket(link.ticket) is not None
    return render_template("queue/rate.html", desk=link.ticket.counter, ticket=None if rated else link.ticket,
                           thanks=rated, record_code=code, rate_action=url_for(".rate_by_record", code=code))
