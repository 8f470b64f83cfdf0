"""The records JSON API: procedures, create (idempotent), get, list/search, transitions."""

from __future__ import annotations

from typing import Any

from flask import g, jsonify, request
from flask.typing import ResponseReturnValue

from motcua.accounts.service import role_in
from motcua.db.base import JSONField
from motcua.errors import UserError
from motcua.i18n import T
from motcua.records import Applicant, WorkFilters, get_record, receive, transition, work_list
from motcua.records.models import Record, RecordEvent
from motcua.records.procedures import procedures
from motcua.records.service import events_of
from motcua.web.api import api_blueprint, api_requires
from motcua.web.openapi import ERROR, operation
from motcua.web.ward import current_ward

bp = api_blueprint("records_api", __name__)

_STR = {"type": "string"}
_DT = {"type": "string", "format": "date-time", "nullable": True}
RECORD = {
    "type": "object",
    "description": "A record (dossier)",
    "properties": {
        "code": _STR,
        "status": _STR,
        "procedure": _STR,
        "procedure_name": _STR,
        "notebook_version_id": {"type": "integer"},
        "channel": _STR,
        "received_at": _DT,
        "due_at": _DT,
        "resolved_at": _DT,
        "returned_at": _DT,
        "outcome": _STR,
        "lock_version": {"type": "integer"},
        "non_territorial": {"type": "boolean"},
        "residence_ward_code": _STR,
        "applicant": {"type": "object"},
        "data": {"type": "object"},
        "documents": {"type": "array"},
        "events": {"type": "array", "items": {"type": "object"}},
    },
}
APPLICANT = {
    "type": "object",
    "description": "Who files; roles the procedure's notebook marks (`applicant` fields) may be "
    "left out and are read from `values`",
    "properties": {
        "name": _STR,
        "id_number": _STR,
        "phone": _STR,
        "address": _STR,
        "residence_ward_code": _STR,
        "old_address": _STR,
        "email": _STR,
    },
}
CREATE = {
    "type": "object",
    "required": ["procedure", "values", "applicant"],
    "properties": {
        "procedure": _STR,
        "values": {"type": "object"},
        "applicant": APPLICANT,
        "documents": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"key": _STR, "form": _STR, "count": {"type": "integer"}},
            },
        },
        "channel": {"type": "string", "enum": ["direct", "online", "postal"]},
        "counter": {"type": "integer"},
    },
}
TRANSITION = {
    "type": "object",
    "required": ["action", "lock_version"],
    "properties": {
        "action": _STR,
        "lock_version": {"type": "integer"},
        "inputs": {"type": "object"},
    },
}
FILTERS = [
    {"name": name, "in": "query", "required": False, "schema": schema}
    for name, schema in (
        ("status", _STR),
        ("procedure", _STR),
        ("counter", {"type": "integer"}),
        ("channel", _STR),
        ("overdue", {"type": "boolean"}),
        ("due_within", {"type": "integer"}),
        ("q", _STR),
        ("after", _STR),
        ("limit", {"type": "integer"}),
    )
]


def _stored(value: Any) -> Any:
    """Return ``value`` as the JSON column stores and reads it back."""
    return JSONField().python_value(JSONField().db_value(value))


def record_json(record: Record, *, events: bool = False) -> dict[str, Any]:
    """Return the API form of ``record`` (dates ISO 8601, local Vietnam time)."""
    body = {
        "code": record.code,
        "status": record.status,
        "procedure": record.procedure_key,
        "procedure_name": record.procedure_name,
        "notebook_version_id": record.notebook_version_id,
        "channel": record.channel,
        "received_at": _iso(record.received_at),
        "due_at": _iso(record.due_at),
        "resolved_at": _iso(record.resolved_at),
        "returned_at": _iso(record.returned_at),
        "outcome": record.outcome,
        "lock_version": record.lock_version,
        "non_territorial": record.non_territorial,
        "residence_ward_code": record.residence_ward_code,
        "applicant": {
            "name": record.applicant_name,
            "id_number": record.applicant_id_number,
            "phone": record.applicant_phone,
            "address": record.applicant_address,
            "email": record.applicant_email,
        },
        # As stored: a record just received still holds Python dates and Decimals in memory,
        # and the answer must be the same as a later GET's.
        "data": _stored(record.data),
        "documents": _stored(record.documents),
    }
    if events:
        body["events"] = [_event_json(e) for e in events_of(g.tenant, record)]
    return body


def _event_json(e: RecordEvent) -> dict[str, Any]:
    return {
        "seq": e.seq,
        "action": e.action,
        "from": e.from_status,
        "to": e.to_status,
        "actor": e.actor,
        "at": _iso(e.at),
        "note": e.note,
        "details": e.details,
        "step_outcome": e.step_outcome,
    }


def _iso(moment: Any) -> str | None:
    return moment.isoformat() if moment is not None else None


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise UserError(
            T("Thân yêu cầu phải là một đối tượng JSON", "The request body must be a JSON object"),
            status=422,
        )
    return body


@bp.get("/procedures")
@api_requires("records.view")
@operation(
    "List the ward's published procedures, most received first",
    permission="records.view",
    responses={
        200: {
            "type": "object",
            "description": "Procedures",
            "properties": {"procedures": {"type": "array", "items": {"type": "object"}}},
        }
    },
)
def list_procedures() -> ResponseReturnValue:
    """Return the procedures the ward receives."""
    return jsonify(
        procedures=[
            {
                "key": p.key,
                "name": p.name,
                "national_code": p.national_code,
                "field_area": p.field_area,
                "limit": p.limit.spec if p.limit else None,
                "version": p.version_number,
            }
            for p in procedures(g.tenant)
        ]
    )


@bp.post("/records")
@api_requires("records.receive")
@operation(
    "Create (receive) a record; an Idempotency-Key header makes retries safe",
    permission="records.receive",
    request=CREATE,
    parameters=[{"name": "Idempotency-Key", "in": "header", "required": False, "schema": _STR}],
    responses={
        201: RECORD,
        200: {**RECORD, "description": "A retry: the record the key created first"},
        404: {**ERROR, "description": "Unknown procedure"},
        422: {**ERROR, "description": "Per-field errors"},
    },
)
def create_record() -> ResponseReturnValue:
    """Receive a dossier from a machine (connector, kiosk)."""
    body = _body()
    raw_applicant = body.get("applicant") if isinstance(body.get("applicant"), dict) else {}
    applicant = Applicant(
        **{
            k: str(raw_applicant.get(k) or "")
            for k in (
                "name",
                "id_number",
                "phone",
                "address",
                "residence_ward_code",
                "old_address",
                "email",
            )
        }
    )
    documents = body.get("documents") if isinstance(body.get("documents"), list) else []
    key = (request.headers.get("Idempotency-Key") or "").strip()[:200] or None
    got = receive(
        current_ward(),
        str(body.get("procedure") or ""),
        body.get("values") if isinstance(body.get("values"), dict) else {},
        applicant=applicant,
        documents=documents,
        channel=str(body.get("channel") or "online"),
        counter=body.get("counter"),
        actor=g.user.login,
        user=g.user,
        idempotency_key=key,
    )
    if got.event is None:
        return jsonify(record_json(got.record, events=True)), 200
    # A new record has exactly the one event receive() just wrote: no need to read it back.
    return jsonify({**record_json(got.record), "events": [_event_json(got.event)]}), 201


@bp.get("/records")
@api_requires("records.view")
@operation(
    "List and search records, newest first (keyset pages: pass `after` = next_cursor)",
    permission="records.view",
    parameters=FILTERS,
    responses={
        200: {
            "type": "object",
            "description": "A page",
            "properties": {
                "records": {"type": "array", "items": RECORD},
                "next_cursor": {"type": "string", "nullable": True},
            },
        }
    },
)
def list_records() -> ResponseReturnValue:
    """Return one page of the ward's work list."""
    limit = request.args.get("limit", "50")
    page = work_list(
        g.tenant,
        WorkFilters.from_args(request.args),
        after=request.args.get("after") or None,
        limit=int(limit) if limit.isascii() and limit.isdigit() and len(limit) <= 6 else 50,
    )
    return jsonify(records=[record_json(r) for r in page.records], next_cursor=page.next_cursor)


@bp.get("/records/<code>")
@api_requires("records.view")
@operation(
    "Get a record with its events (the process control sheet)",
    permission="records.view",
    responses={200: RECORD, 404: {**ERROR, "description": "No such record in this ward"}},
)
def get(code: str) -> ResponseReturnValue:
    """Return one record of the token's ward."""
    return jsonify(record_json(get_record(g.tenant, code), events=True))


@bp.post("/records/<code>/transitions")
@api_requires("records.process")
@operation(
    "Apply a lifecycle action to a record (optimistic locking on lock_version); "
    "approve and reject also need the `records.decide` scope",
    permission="records.process",
    request=TRANSITION,
    responses={
        200: RECORD,
        403: {**ERROR, "description": "The role may not take this action"},
        404: {**ERROR, "description": "No such record in this ward"},
        409: {**ERROR, "description": "Stale lock_version, or the action does not apply"},
        422: {**ERROR, "description": "Per-field errors in inputs"},
    },
)
def apply_transition(code: str) -> ResponseReturnValue:
    """Move a record to its next status."""
    record = get_record(g.tenant, code)  # another ward's code is a 404 before anything else
    body = _body()
    lock_version = body.get("lock_version")
    if type(lock_version) is not int:
        raise UserError(
            T("Thiếu `lock_version` (số nguyên)", "`lock_version` (an integer) is missing"),
            status=422,
            field="lock_version",
        )
    saved = transition(
        current_ward(),
        record.code,
        str(body.get("action") or ""),
        actor=g.user.login,
        role=role_in(g.user, g.tenant) or "",
        expected_lock_version=lock_version,
        inputs=body.get("inputs") if isinstance(body.get("inputs"), dict) else {},
        user=g.user,
        permissions=g.permissions,
    )
    return jsonify(record_json(saved, events=True))
