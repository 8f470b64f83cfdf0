"""Ward pages of devices: the counters page with live device health and agent tokens, and
the scan hand-over to a counter's reception form; registers the agent API."""

from __future__ import annotations

from flask import Flask, g, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from motcua.devices import service
from motcua.i18n import T
from motcua.plugin_api import DEVICE_STATES
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


def init_devices(app: Flask) -> None:
    """Register the counters page and the agent API (token auth, no CSRF: no cookies)."""
    from motcua.web import agent_api
    from motcua.web.shell import add_ward_area

    app.register_blueprint(bp)
    add_ward_area(app, AREA)
    app.register_blueprint(agent_api.bp)
    app.extensions["csrf"].exempt(agent_api.bp)
