"""The agent API under ``/api/agent/v1/``: what a counter PC's ``motcua agent`` may do.

An agent token (``ma_…``) opens only these routes, and only for its own ward and counter:
pull the counter's print jobs (long poll), fetch a job's PDF, report a job's outcome, push
a scan and report device health. It opens no other API and no ward page.
"""

from __future__ import annotations

import time
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, request
from flask.typing import ResponseReturnValue

from motcua.db import database
from motcua.devices import service
from motcua.errors import UserError
from motcua.i18n import T, Text
from motcua.web.api import Unauthorized
from motcua.web.ward import ward_for

bp = Blueprint("agent_api", __name__, url_prefix="/api/agent/v1")
MAX_WAIT_SECONDS = 25
POLL_SECONDS = 0.5


@bp.before_request
def _authenticate() -> None:
    header = request.headers.get("Authorization", "")
    scheme, _, text = header.partition(" ")
    token = service.verify_agent_token(text) if scheme.lower() == "bearer" and text else None
    if token is None:
        raise Unauthorized(T("Thiếu hoặc sai mã thiết bị (Authorization: Bearer ma_…)",
                             "Missing or invalid agent token (Authorization: Bearer ma_…)"))
    g.agent_token = token
    g.tenant = token.tenant


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise UserError(T("Cần thân JSON là một đối tượng", "A JSON object body is required"))
    return body


@bp.get("/hello")
def hello() -> ResponseReturnValue:
    """Return the token's ward, reception point and counter."""
    token = g.agent_token
    counter = token.counter
    return jsonify(
        tenant={"code": token.tenant.code, "name": token.tenant.name},
        reception_point={"key": counter.reception_point.key, "name": counter.reception_point.name},
        counter={"id": counter.id, "key": counter.key, "name": counter.name},
    )


@bp.get("/jobs")
def jobs() -> ResponseReturnValue:
    """Return the counter's owed jobs; with ``?wait=N`` wait up to N seconds (at most 25)
    for one to appear (long poll)."""
    try:
        wait = min(max(float(request.args.get("wait", "0")), 0.0), MAX_WAIT_SECONDS)
    except ValueError:
        raise UserError(T("`wait` phải là số giây", "`wait` must be a number of seconds"), field="wait") from None
    deadline = time.monotonic() + wait
    while True:
        owed = service.owed_jobs(g.agent_token)
        if owed or time.monotonic() >= deadline:
            return jsonify(jobs=owed)
        if not database.is_closed():
            database.close()  # do not hold a pooled connection (or SQLite's reader) while waiting
        time.sleep(POLL_SECONDS)
        database.connect(reuse_if_open=True)


@bp.get("/jobs/<int:job_id>/pdf")
def job_pdf(job_id: int) -> ResponseReturnValue:
    """Return the job's PDF (rendered now if no worker has yet)."""
    from motcua.printing.jobs import pdf_for

    job = service.counter_job(g.agent_token, job_id)
    pdf = pdf_for(ward_for(current_app, g.tenant), job)
    return Response(pdf, mimetype="application/pdf", headers={"X-Job-Paper": job.paper, "X-Job-Copies": str(job.copies)})


@bp.post("/jobs/<int:job_id>/result")
def job_result(job_id: int) -> ResponseReturnValue:
    """Record ``{"printed": true, "device": …}`` or ``{"printed": false, "state": …,
    "error": {"vi": …, "en": …}}``; idempotent on the job id."""
    service.counter_job(g.agent_token, job_id)  # another counter's job is not found, whatever the body
    body = _body()
    error = body.get("error")
    text = None
    if isinstance(error, dict) and (error.get("vi") or error.get("en")):
        text = Text(str(error.get("vi") or error.get("en"))[:1000], str(error.get("en") or error.get("vi"))[:1000])
    delivery = service.record_delivery(g.agent_token, job_id, service.DeliveryResult(
        printed=body.get("printed") is True, device=str(body.get("device") or ""),
        state=str(body.get("state") or ""), error=text))
    return jsonify(job=job_id, status=delivery.status, attempts=delivery.attempts)


@bp.post("/scans")
def scans() -> ResponseReturnValue:
    """Keep ``{"text": …, "device": …}`` for the counter's reception form."""
    body = _body()
    scan = service.push_scan(g.agent_token, str(body.get("text") or ""), device=str(body.get("device") or ""))
    return jsonify(scan=scan.id), 201


@bp.post("/health")
def health() -> ResponseReturnValue:
    """Store ``{"devices": [{"name", "driver", "kind", "usb_id", "state", "detail"}]}``."""
    stored = service.report_devices(g.agent_token, _body().get("devices"))  # type: ignore[arg-type]
    return jsonify(devices=[{"name": d.name, "state": d.state} for d in stored])
