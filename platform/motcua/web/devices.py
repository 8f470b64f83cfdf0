"""Ward pages of devices: the counters page with live device health and agent tokens, and
the scan hand-over to a counter's reception form; registers the agent API."""

from __future__ import annotations

import re
from pathlib import Path

from flask import (
    Flask,
    Response,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue

from motcua.devices import escpos, service
from motcua.devices.demo import captures_dir
from motcua.errors import NotFound
from motcua.i18n import T
from motcua.plugin_api import DEVICE_STATES
from motcua.tenancy.models import Counter
from motcua.web.shell import WardArea
from motcua.web.tenancy import requires, tenant_blueprint

bp = tenant_blueprint("devices", __name__, "/quay")

AREA = WardArea(
    "devices.counters",
    T("Quầy và thiết bị", "Counters and devices"),
    T("Máy in, máy quét ở từng quầy, mã cho máy trạm", "Printers and scanners at each counter, agent tokens"),
    "ward.view",
    order=60,
)


def _health_json() -> list[dict[str, object]]:
    lang_states = {key: {"vi": text.render("vi"), "en": text.render("en")} for key, text in DEVICE_STATES.items()}
    result = []
    for item in service.counters_health(g.tenant):
        result.append({
            "counter": item.counter.id,
            "agent_online": item.agent_online,
            "agent_seen_at": item.agent_seen_at.isoformat(timespec="seconds") if item.agent_seen_at else None,
            "owed_jobs": item.owed_jobs,
            "devices": [{"name": d.name, "driver": d.driver, "kind": d.kind, "usb_id": d.usb_id,
                         "state": d.state, "state_text": lang_states.get(d.state), "detail": d.detail,
                         "reported_at": d.reported_at.isoformat(timespec="seconds")} for d in item.devices],
        })
    return result


@bp.get("/")
@requires("ward.view")
def counters() -> ResponseReturnValue:
    """The ward's counters, each with its agent's last contact and its devices' health."""
    return render_template("devices/counters.html", health=service.counters_health(g.tenant),
                           states=DEVICE_STATES, tokens=service.agent_tokens(g.tenant),
                           new_token=None, can_configure="ward.configure" in g.permissions)


@bp.get("/trang-thai.json")
@requires("ward.view")
def counters_status() -> ResponseReturnValue:
    """The counters' health as JSON, polled by the counters page to stay live."""
    return jsonify(counters=_health_json())


@bp.post("/ma-may-tram")
@requires("ward.configure")
def create_token() -> ResponseReturnValue:
    """Create an agent token for a counter; the page shows the token text once."""
    counter = service.find_counter(g.tenant, request.form.get("counter", ""))
    _, text = service.create_agent_token(g.tenant, counter, name=request.form.get("name", ""), actor=g.user)
    return render_template("devices/counters.html", health=service.counters_health(g.tenant),
                           states=DEVICE_STATES, tokens=service.agent_tokens(g.tenant),
                           new_token={"text": text, "counter": counter}, can_configure=True), 201


@bp.post("/ma-may-tram/<int:token_id>/thu-hoi")
@requires("ward.configure")
def revoke_token(token_id: int) -> ResponseReturnValue:
    """Revoke an agent token."""
    service.revoke_agent_token(g.tenant, token_id, actor=g.user)
    return redirect(url_for("devices.counters"))


@bp.post("/<int:counter_id>/quet")
@requires("records.receive")
def take_scan(counter_id: int) -> ResponseReturnValue:
    """Hand the counter's next fresh scan to its open reception form (``{"text": …}`` or
    ``{"text": null}``); each scan is handed over once."""
    scan = service.take_scan(g.tenant, counter_id, taker=g.user.login)
    return jsonify(text=scan.text if scan is not None else None, scan=scan.id if scan is not None else None)


CAPTURE_NAME = re.compile(r"job-\d{1,12}(\.\d{1,4})?")
MAX_CAPTURES = 20


def _counter(counter_id: int) -> Counter:
    counter = Counter.get_or_none(Counter.tenant == g.tenant, Counter.id == counter_id)
    if counter is None:
        raise NotFound(T("Không có quầy số {id}", "There is no counter {id}", id=counter_id))
    return counter


def _captures(counter: Counter) -> list[Path]:
    folder = captures_dir(current_app.extensions["motcua.settings"].data_dir, g.tenant.code, counter.key)
    if not folder.is_dir():
        return []
    found = [p for p in folder.glob("job-*.bin") if CAPTURE_NAME.fullmatch(p.stem)]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)[:MAX_CAPTURES]


@bp.get("/<int:counter_id>/may-in-ao")
@requires("ward.view")
def virtual_printer(counter_id: int) -> ResponseReturnValue:
    """The counter's virtual printer (demo): each captured ESC/POS stream decoded back into paper."""
    counter = _counter(counter_id)
    prints = []
    for path in _captures(counter):
        try:
            decoded = escpos.decode(path.read_bytes())
            problem = None
        except ValueError as exc:
            decoded, problem = None, str(exc)
        prints.append({"name": path.stem, "bytes": path.stat().st_size, "problem": problem,
                       "pages": decoded.cuts if decoded else 0,
                       "torn": bool(decoded and decoded.pending), "widths": sorted(set(decoded.widths)) if decoded else []})
    return render_template("devices/virtual_printer.html", counter=counter, prints=prints)


@bp.get("/<int:counter_id>/may-in-ao/<capture>.png")
@requires("ward.view")
def virtual_printer_png(counter_id: int, capture: str) -> ResponseReturnValue:
    """A captured stream as the paper it printed (pages one under another, PNG)."""
    counter = _counter(counter_id)
    if not CAPTURE_NAME.fullmatch(capture):
        raise NotFound(T("Không có bản in này", "No such print"))
    path = next((p for p in _captures(counter) if p.stem == capture), None)
    if path is None:
        raise NotFound(T("Không có bản in này", "No such print"))
    try:
        decoded = escpos.decode(path.read_bytes())
    except ValueError:
        raise NotFound(T("Bản in hỏng, không giải mã được", "The print is damaged and cannot be decoded")) from None
    from PIL import Image

    from motcua.printing.raster import png_bytes

    sheets = decoded.pages + ([escpos.stack(decoded.pending)] if decoded.pending else [])
    width = max((s.width for s in sheets), default=8)
    paper = Image.new("1", (width, sum(s.height + 24 for s in sheets) or 1), 1)
    top = 0
    for sheet in sheets:
        paper.paste(sheet, (0, top))
        top += sheet.height + 24  # the gap where the cutter cut
    return Response(png_bytes(paper), mimetype="image/png")


def init_devices(app: Flask) -> None:
    """Register the counters page and the agent API (token auth, no CSRF: no cookies)."""
    from motcua.web import agent_api
    from motcua.web.shell import add_ward_area

    app.register_blueprint(bp)
    add_ward_area(app, AREA)
    app.register_blueprint(agent_api.bp)
    app.extensions["csrf"].exempt(agent_api.bp)
