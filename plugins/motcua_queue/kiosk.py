"""The kiosk (take a number) and the ticket's own page, which the QR on it opens on a phone.

Both are public (no sign-in): a kiosk in the hall and a citizen's phone. They show a
ticket's number, service, place and estimated wait, never a name.
"""

from __future__ import annotations

from typing import Any

import segno
from flask import abort, g, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from markupsafe import Markup

from motcua.plugin_api import T, public, public_url, rate_limited, reception_points, render_pdf

from .models import CALLED, PRIORITIES, SERVING, WAITING, Service, Ticket
from .setup import services
from .tickets import by_token, estimated_wait, position, take_ticket
from .web import pages, tenant_id

PRIORITY_NAMES = {
    "elderly": T("Người cao tuổi", "Elderly"),
    "disabled": T("Người khuyết tật", "Person with a disability"),
    "pregnant": T("Phụ nữ mang thai", "Pregnant woman"),
    "child": T("Người đi cùng trẻ dưới 6 tuổi", "With a child under 6"),
    "merit": T("Người có công với cách mạng", "Person with meritorious service"),
}
STATUS_NAMES = {
    WAITING: T("Đang chờ", "Waiting"),
    CALLED: T("Đã đến lượt", "Your turn"),
    SERVING: T("Đang được phục vụ", "Being served"),
    "done": T("Đã xong", "Done"),
    "skipped": T("Đã qua lượt", "Missed"),
}


def qr_svg(text: str) -> Markup:
    """Return ``text`` as an inline SVG QR code (segno, the core's QR library)."""
    svg = segno.make(text, error="m").svg_inline(scale=4, omitsize=True)
    return Markup(svg)  # noqa: S704 - segno's own SVG of our own URL


def _point_or_404(point: str) -> Any:
    found = next((p for p in reception_points_of_ward() if p.key == point), None)
    if found is None:
        abort(404)
    return found


def reception_points_of_ward() -> list[Any]:
    """Return the request's ward's reception points (plugin API)."""
    return reception_points(g.tenant)


@pages.get("/")
@public
def start() -> ResponseReturnValue:
    """The plugin's start page: links to each point's kiosk and board, and staff pages."""
    return render_template("queue/start.html", points=reception_points_of_ward())


@pages.route("/kiosk/<point>", methods=["GET", "POST"])
@public
@rate_limited("30 per minute")  # a kiosk serves a hall; a script from outside gets 429
def kiosk(point: str) -> ResponseReturnValue:
    """Pick a service (and a priority group) and take a number."""
    place = _point_or_404(point)
    offered = services(tenant_id(), point)
    if request.method == "POST":
        key = request.form.get("service", "")
        if key not in {s.key for s in offered}:
            abort(404)
        taken = take_ticket(tenant_id(), key, request.form.get("priority", ""))
        return redirect(url_for(".ticket_page", token=taken.ticket.token, kiosk=point))
    return render_template("queue/kiosk.html", place=place, services=offered,
                           priorities=[(key, PRIORITY_NAMES[key]) for key in PRIORITIES])


def ticket_or_404(token: str) -> Ticket:
    ticket = by_token(tenant_id(), token)
    if ticket is None:
        abort(404)
    return ticket


def ticket_state(ticket: Ticket) -> dict[str, Any]:
    """Return what the ticket page shows and polls: number, status, place, wait, counter."""
    service: Service = ticket.service
    ahead = position(ticket)
    return {
        "number": ticket.number,
        "service": service.name,
        "status": ticket.status,
        "status_name": STATUS_NAMES[ticket.status].render("vi"),
        "status_name_en": STATUS_NAMES[ticket.status].render("en"),
        "ahead": ahead,
        "wait_minutes": estimated_wait(ticket.tenant_id, service, ahead) if ticket.status == WAITING else 0,
        "counter": ticket.counter.name if ticket.counter_id else "",
        "counter_number": ticket.counter.number if ticket.counter_id else None,
    }


@pages.get("/so/<token>")
@public
def ticket_page(token: str) -> ResponseReturnValue:
    """The ticket on screen (the kiosk after taking it, or the phone through the QR)."""
    ticket = ticket_or_404(token)
    follow_url = public_url(url_for(".ticket_page", token=token))
    return render_template("queue/ticket.html", ticket=ticket, state=ticket_state(ticket),
                           qr=qr_svg(follow_url), kiosk=request.args.get("kiosk", ""),
                           rated=_rated(ticket), rate_action=url_for(".rate_by_ticket", token=token))


def _rated(ticket: Ticket) -> bool:
    from .ratings import rating_of_ticket

    return rating_of_ticket(ticket) is not None


@pages.get("/so/<token>/trang-thai")
@public
def ticket_status(token: str) -> ResponseReturnValue:
    """The ticket's state as JSON (the ticket page polls it)."""
    return jsonify(ticket_state(ticket_or_404(token)))


@pages.get("/so/<token>/phieu.pdf")
@public
def ticket_pdf(token: str) -> ResponseReturnValue:
    """The ticket as an 80 mm thermal PDF through the core's printing path.

    Seam for the counter PC's device agent: when it can take a ward's print jobs for a
    kiosk, queue this same PDF as a job there instead of letting the browser print it.
    """
    ticket = ticket_or_404(token)
    pdf = render_pdf("ticket", print_context(ticket))
    return pdf, 200, {"Content-Type": "application/pdf",
                      "Content-Disposition": f'inline; filename="{ticket.number}.pdf"'}


def print_context(ticket: Ticket) -> dict[str, Any]:
    """Return the context of the built-in ``ticket`` form for ``ticket``."""
    state = ticket_state(ticket)
    tenant = g.tenant
    lowered = tenant.name[:1].lower() + tenant.name[1:]
    place = next((p.name for p in reception_points_of_ward() if p.key == ticket.service.point), "")
    return {
        "agency": {"parent_name": f"Ủy ban nhân dân {lowered}", "name": place or tenant.name},
        "ticket": {"number": ticket.number, "counter": "", "service": state["service"],
                   "issued_at": ticket.taken_at, "waiting": state["ahead"]},
        "lookup_url": public_url(url_for(".ticket_page", token=ticket.token)),
    }
