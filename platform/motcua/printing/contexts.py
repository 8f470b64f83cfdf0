"""The plain-data context of each form, built from a record, its events and its ward.

docs/printing.md defines the shape; :func:`motcua.printing.sample_context` is the
reference. Only dicts, lists, strings, numbers, dates and datetimes leave this module:
templates never see model objects. The functions read rows they are given and look up
nothing but the names that belong to them (the receiver's full name, the reception
point), so the caller decides which events a print may show.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from motcua import units
from motcua.clock import today
from motcua.errors import NotFound, UserError
from motcua.i18n import T
from motcua.records.lifecycle import ACTION_LABELS, CHANNELS, STATUSES

FORM_NAMES: dict[str, tuple[str, str]] = {
    "01": ("Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "Receipt and appointment slip"),
    "02": ("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", "Request to supplement"),
    "03": ("Phiếu từ chối tiếp nhận giải quyết hồ sơ", "Refusal"),
    "04": ("Phiếu xin lỗi và hẹn lại ngày trả kết quả", "Apology and new appointment"),
    "05": ("Phiếu dừng giải quyết hồ sơ", "Stop-processing notice"),
    "06": ("Phiếu kiểm soát quá trình giải quyết hồ sơ", "Process control sheet"),
    "07": ("Sổ theo dõi hồ sơ", "Record tracking book"),
    "ticket": ("Phiếu số thứ tự", "Queue ticket"),
    "receipt80": ("Phiếu hẹn khổ 80 mm", "80 mm receipt"),
}
# Number suffix of each official form (Decree 30/2020 abbreviations of the document kind).
_NUMBER_SUFFIX = {
    "01": "PTN",
    "02": "PBS",
    "03": "PTC",
    "04": "PXL",
    "05": "PDX",
    "06": "PKS",
    "07": "STD",
}
DOCUMENT_FORM_LABELS = {
    "original": "Bản chính",
    "certified_copy": "Bản sao chứng thực",
    "copy": "Bản sao",
    "original_or_certified_copy": "Bản chính hoặc bản sao chứng thực",
    "shown": "Xuất trình",
}
# The event each legal form reports on (the latest one of these actions).
FORM_EVENTS: dict[str, tuple[str, ...]] = {
    "02": ("request_supplement",),
    "03": ("refuse", "reject"),
    "04": ("apologize",),
    "05": ("withdraw",),
}
_WARD_PREFIXES = ("Phường ", "Xã ", "Đặc khu ", "Thị trấn ")


def agency(tenant: Any, on: date | None = None) -> dict[str, str]:
    """Return the issuing body of the ward's documents: {name, parent_name, place, code}.

    The ward's People's Committee under its province by default, named as they were on
    ``on`` (the document's date; default today): a unit change set effective later does
    not rename an earlier slip (:func:`motcua.tenancy.unit_changes.names_on`). The tenant
    setting ``printing`` ({"agency_name", "parent_name", "place"}) changes any of them.
    """
    from motcua.tenancy.unit_changes import names_on

    own = (tenant.settings or {}).get("printing") or {}
    day = on.date() if isinstance(on, datetime) else on
    ward_name, province_name = names_on(tenant, day or today())
    place = ward_name
    for prefix in _WARD_PREFIXES:
        if place.startswith(prefix):
            place = place.removeprefix(prefix)
    lowered = ward_name[:1].lower() + ward_name[1:]
    return {
        "name": own.get("agency_name") or f"Ủy ban nhân dân {lowered}",
        "parent_name": own.get("parent_name") or province_name,
        "place": own.get("place") or place,
        "code": tenant.agency_code or tenant.code,
    }


def lookup_url(public_url: str, tenant: Any, code: str) -> str:
    """Return the public lookup page of record ``code``: what the slip's QR opens."""
    return f"{public_url.rstrip('/')}/{tenant.slug}/tra-cuu?ma={quote(code, safe='.-')}"


def limit_text(spec: str) -> str:
    """Return the legal time limit in words: "3d" -> "03 ngày làm việc"."""
    if not spec:
        return ""
    if spec in ("same_day", "same-day"):
        return "Trong ngày"
    amount, unit = spec[:-1], spec[-1:]
    if not amount.isdigit():
        return spec
    return f"{int(amount):02d} ngày làm việc" if unit == "d" else f"{int(amount)} giờ làm việc"


def document_number(form: str, serial: int) -> str:
    """Return the number printed under the agency name, e.g. ``"42/PTN"``."""
    suffix = _NUMBER_SUFFIX.get(form)
    return f"{serial}/{suffix}" if suffix else str(serial)


def now_in(address: str, ward_code: str) -> str:
    """Return "Phường X, Tỉnh Y" when ``address`` (often an old, pre-merger address) does not
    already name its new ward ``ward_code``, so a slip shows the new name beside the old."""
    if not ward_code or not address:
        return ""
    try:
        new = units.ward(ward_code)
    except NotFound:
        return ""
    if units.fold(new.short_name) in units.fold(address):
        return ""
    return f"{new.name}, {units.province(new.province_code).name}"


def record_data(
    record: Any,
    *,
    received_by_name: str = "",
    collect_at: str = "",
    tracking_entry: str = "",
    applicant_email: str = "",
) -> dict[str, Any]:
    """Return the ``record`` block of the context from a record row."""
    return {
        "code": record.code,
        "legacy_code": getattr(record, "legacy_code", None) or "",
        "procedure_name": record.procedure_name,
        "procedure_code": record.procedure_key,
        "applicant": {
            "name": record.applicant_name,
            "address": record.applicant_address,
            "now_in": now_in(record.applicant_address, record.residence_ward_code),
            "phone": record.applicant_phone,
            "email": applicant_email,
            "id_number": record.applicant_id_number,
        },
        "documents": [_document(paper) for paper in record.documents or []],
        "sets": int((record.data or {}).get("so_bo_ho_so") or 1),
        "limit_text": limit_text(record.limit_spec),
        "received_at": record.received_at,
        "due_at": record.due_at,
        "collect_at": collect_at,
        "channel_label": CHANNELS[record.channel].vi
        if record.channel in CHANNELS
        else record.channel,
        "tracking_entry": tracking_entry,
        "status_label": STATUSES[record.status].vi if record.status in STATUSES else record.status,
        "values": _plain(record.data or {}),
        "received_by": received_by_name,
    }


def _document(paper: dict[str, Any]) -> dict[str, Any]:
    name = paper.get("name")
    if isinstance(name, dict):
        name = name.get("vi") or name.get("en") or paper.get("key", "")
    return {
        "name": str(name or paper.get("key", "")),
        "form_label": DOCUMENT_FORM_LABELS.get(paper.get("form"), ""),
        "count": int(paper.get("count") or 1),
    }


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool | date):
        return value
    return str(value)


def latest_event(events: list[Any], actions: tuple[str, ...]) -> Any | None:
    """Return the last event among ``events`` whose action is one of ``actions``."""
    found = [e for e in events if e.action in actions]
    return found[-1] if found else None


def available_forms(events: list[Any]) -> list[str]:
    """Return the forms that make sense for a record with ``events`` (in form order).

    01, 06 and receipt80 always; 02-05 only once their event happened (a supplement
    request, a refusal, an apology, a stop at the applicant's request).
    """
    actions = {e.action for e in events}
    refused = "refuse" in actions
    forms = [] if refused else ["01"]
    forms += [form for form, wanted in FORM_EVENTS.items() if actions & set(wanted)]
    forms += ["06"] + ([] if refused else ["receipt80"])
    return forms


def _parse_dt(text: Any) -> datetime | None:
    if isinstance(text, datetime):
        return text
    try:
        return datetime.fromisoformat(str(text)) if text else None
    except ValueError:
        return None


def form_context(
    form: str,
    *,
    tenant: Any,
    record: Any,
    events: list[Any],
    public_url: str,
    issued_at: date,
    serial: int,
    receiver: dict[str, str],
    record_block: dict[str, Any],
    names: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Return the context of ``form`` (01-06, ticket, receipt80 or a procedure's own form).

    ``events`` are the record's events the print may show (those before the print);
    ``record_block`` is :func:`record_data` of the record; ``names`` maps actors'
    logins to full names for the control sheet and signatures.

    :raises UserError: form 02-05 without its event (e.g. a refusal slip for a record
        that was never refused).
    """
    names = names or {}
    context: dict[str, Any] = {
        "agency": agency(tenant, issued_at),
        "number": document_number(form, serial),
        "issued_at": issued_at,
        "record": record_block,
        "lookup_url": lookup_url(public_url, tenant, record.code),
        "receiver": receiver,
    }
    wanted = FORM_EVENTS.get(form)
    event = latest_event(events, wanted) if wanted else None
    if wanted and event is None:
        vi, en = FORM_NAMES[form]
        raise UserError(
            T(
                "Hồ sơ {code} chưa có thao tác để in “{name}”.",
                "Record {code} has no event to print the {en} for.",
                code=record.code,
                name=vi,
                en=en.lower(),
            ),
            status=409,
            form=form,
        )
    details = (event.details or {}) if event is not None else {}
    signer = {
        "title": "Thủ trưởng cơ quan, đơn vị giải quyết",
        "name": names.get(event.actor, event.actor) if event is not None else "",
    }
    if form == "02":
        context["supplement"] = {
            "requests": [
                {"name": item.get("item", ""), "reason": item.get("reason", "")}
                for item in details.get("items", [])
            ]
        }
    elif form == "03":
        context["refusal"] = {
            "legal_ground": details.get("legal_ground") or details.get("reason", ""),
            "reason": event.note or details.get("reason", ""),
        }
        context["issued_at"] = event.at.date()
    elif form == "04":
        old_due = _parse_dt(details.get("old_due"))
        context["record"] = {**record_block, "due_at": old_due or record_block["due_at"]}
        context["extension"] = {
            "unit_name": agency(tenant, event.at.date())["name"],
            "reason": details.get("reason", ""),
            "new_due_at": _parse_dt(details.get("new_due")),
        }
        context["signer"] = signer
        context["issued_at"] = event.at.date()
    elif form == "05":
        context["stop"] = {
            "requested_at": event.at,
            "stopped_at": event.at,
            "reason": details.get("reason", ""),
            "return_note": event.note,
        }
        context["signer"] = signer
        context["issued_at"] = event.at.date()
    elif form == "06":
        context["events"] = control_sheet(events, names)
    elif form == "ticket":
        counter = record.counter.name if record.counter_id else ""
        context["ticket"] = {
            "number": record.code.rsplit("-", 1)[-1],
            "counter": counter,
            "service": record.procedure_name,
            "issued_at": record.received_at,
            "waiting": 0,
        }
    # The names valid on the document's own date (a refusal is dated by its event).
    context["agency"] = agency(tenant, context["issued_at"])
    return context


def control_sheet(events: list[Any], names: dict[str, str]) -> list[dict[str, Any]]:
    """Return the rows of the process control sheet (06): who handed the record to whom,
    when, and whether the step was early, on time or late."""
    rows = []
    previous = "Bộ phận Một cửa"
    for event in events:
        if event.action == "printed":
            continue
        actor = names.get(event.actor, event.actor)
        details = event.details or {}
        receiver = (
            details.get("assignee")
            or details.get("step")
            or (STATUSES[event.to_status].vi if event.to_status in STATUSES else event.to_status)
        )
        label = ACTION_LABELS[event.action].vi if event.action in ACTION_LABELS else event.action
        rows.append(
            {
                "from_name": f"{previous} ({actor})"
                if actor and actor not in previous
                else previous,
                "to_name": str(receiver),
                "at": event.at,
                "outcome": event.step_outcome or None,
                "note": " · ".join(part for part in (label, event.note) if part),
            }
        )
        previous = str(details.get("assignee") or details.get("step") or previous)
    return rows


def register_context(
    tenant: Any, rows: list[dict[str, Any]], *, start: date, end: date, issued_at: date, serial: int
) -> dict[str, Any]:
    """Return the context of the record tracking book (07) for the period [start, end).

    ``rows`` come from :func:`register_row`; the printed period ends the day before ``end``.
    """
    last_day = date.fromordinal(end.toordinal() - 1) if end > start else start
    return {
        "agency": agency(tenant, issued_at),
        "number": document_number("07", serial),
        "issued_at": issued_at,
        "period": {"start": start, "end": last_day},
        "rows": rows,
    }


def register_row(record: Any) -> dict[str, Any]:
    """Return one line of the record tracking book for ``record``."""
    contact = "; ".join(part for part in (record.applicant_address, record.applicant_phone) if part)
    return {
        "code": record.code,
        "procedure_name": record.procedure_name,
        "sets": int((record.data or {}).get("so_bo_ho_so") or 1),
        "applicant_name": record.applicant_name,
        "applicant_contact": contact,
        "received_at": record.received_at,
        "due_at": record.due_at,
        "returned_at": record.returned_at,
        "outcome": record.outcome or None,
        "note": "Phi địa giới"
        if record.non_territorial
        else (STATUSES[record.status].vi if record.status in STATUSES else ""),
    }
