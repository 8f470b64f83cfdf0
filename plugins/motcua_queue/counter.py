"""Counter staff: call next, recall, skip, transfer, serve; starting a reception from
the called ticket. Needs the ``records.receive`` permission (counter staff and up)."""

from __future__ import annotations

from functools import wraps
from typing import Any

from flask import abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from motcua import Forbidden
from motcua.plugin_api import T

from .models import CALLED, SERVING, Desk
from .setup import desk_of, desks, services
from .tickets import (
    call_next,
    current,
    finish,
    recall,
    records_of,
    skip,
    start_serving,
    transfer,
    waiting,
)
from .web import pages, tenant_id

ACTIONS = {"next", "recall", "skip", "serve", "finish", "transfer"}


def staff_only(view: Any) -> Any:
    """Let only users who may receive records work a counter."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if "records.receive" not in getattr(g, "permissions", frozenset()):
            raise Forbidden(T("Chỉ cán bộ một cửa làm việc tại quầy", "Only counter staff work a counter"))
        return view(*args, **kwargs)

    return wrapper


@pages.get("/quay/")
@staff_only
def counters() -> ResponseReturnValue:
    """Pick the counter you work at."""
    return render_template("queue/counters.html", desks=desks(tenant_id()))


def _desk(desk_id: int) -> Desk:
    return desk_of(tenant_id(), desk_id)


@pages.get("/quay/<int:desk_id>")
@staff_only
def counter_page(desk_id: int) -> ResponseReturnValue:
    """The counter's screen: its current ticket, the queue of its services, the actions."""
    desk = _desk(desk_id)
    ticket = current(tenant_id(), desk)
    mine = [s for s in services(tenant_id(), desk.point) if s.key in desk.services]
    queue = waiting(tenant_id(), [s.id for s in mine], _today())
    return render_template(
        "queue/counter.html", desk=desk, ticket=ticket, queue=queue, mine=mine,
        others=[s for s in services(tenant_id()) if ticket is None or s.id != ticket.service_id],
        records=records_of(ticket) if ticket is not None else [], CALLED=CALLED, SERVING=SERVING,
    )


@pages.get("/quay/<int:desk_id>/trang-thai")
@staff_only
def counter_status(desk_id: int) -> ResponseReturnValue:
    """The counter's current ticket and how many wait for it, as JSON (its page polls it)."""
    desk = _desk(desk_id)
    ticket = current(tenant_id(), desk)
    ids = [s.id for s in services(tenant_id(), desk.point) if s.key in desk.services]
    return jsonify({
        "current": ticket.number if ticket is not None else None,
        "status": ticket.status if ticket is not None else None,
        "waiting": len(waiting(tenant_id(), ids, _today())),
    })


def _today() -> Any:
    from motcua.plugin_api import now

    return now().date()


@pages.post("/quay/<int:desk_id>")
@staff_only
def counter_action(desk_id: int) -> ResponseReturnValue:
    """Do one action (form field ``action``) at the counter; back to its screen."""
    desk = _desk(desk_id)
    action = request.form.get("action", "")
    if action not in ACTIONS:
        abort(400)
    ward = tenant_id()
    if action == "next":
        if call_next(ward, desk) is None:
            flash(T("Không còn ai chờ", "Nobody is waiting").render("vi"))
    elif action == "recall":
        recall(ward, desk)
    elif action == "skip":
        skip(ward, desk)
    elif action == "serve":
        start_serving(ward, desk, g.user.login)
    elif action == "finish":
        finish(ward, desk)
    elif action == "transfer":
        transfer(ward, desk, request.form.get("service", ""))
    return redirect(url_for(".counter_page", desk_id=desk.id))


@pages.post("/quay/<int:desk_id>/tiep-nhan")
@staff_only
def receive_from_ticket(desk_id: int) -> ResponseReturnValue:
    """Start serving the called ticket and open the core's reception page: every record
    this clerk receives until the ticket is done is linked to it (hook record_received)."""
    desk = _desk(desk_id)
    start_serving(tenant_id(), desk, g.user.login)
    return redirect(url_for("records.choose_procedure"))
