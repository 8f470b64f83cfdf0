"""Receiving records and moving them through their lifecycle (no Flask here).

Every change is one write transaction with its event row and audit entry; plugins hear
about it only after the commit, and a failing plugin never undoes a change.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from peewee import IntegrityError, fn

from motcua.audit import audit
from motcua.calendar import compute_due, extend_due, outcome, parse_limit
from motcua.citizen_id import parse_citizen_id
from motcua.db.connection import insert_row
from motcua.errors import Conflict, NotFound, UserError, ValidationFailed
from motcua.expressions.context import EvalContext
from motcua.i18n import T, Text
from motcua.notebooks import validate_submission
from motcua.notebooks.model import DOCUMENT_FORMS
from motcua.records import lifecycle
from motcua.records.applicant import Applicant as Applicant
from motcua.records.applicant import from_values
from motcua.records.attachments import CheckedFile, remove_files, save_files
from motcua.records.codes import DEFAULT_FORMAT, format_code, next_sequence
from motcua.records.info import event_info, record_info
from motcua.records.models import IdempotencyKey, Record, RecordEvent
from motcua.records.procedures import (
    Procedure,
    procedure,
    supplement_rule,
    ward_cutoff,
)
from motcua.records.reception_checks import (
    asked_documents,
    filing_day_problems,
    missing_documents,
    outside_office_hours,
)
from motcua.tenancy.models import Counter, ReceptionPoint, Tenant
from motcua.units import convert_old_address, fold
from motcua.units import ward as catalogue_ward

if TYPE_CHECKING:
    from motcua.ward import WardContext

log = logging.getLogger(__name__)

_PHONE = re.compile(r"^\+?[0-9]{8,15}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Received:
    """The outcome of :func:`receive`: the record, whether an idempotent retry found it,
    and the hint about the applicant's residence ward (None when nothing to say).

    ``event`` is the record's first event (its reception) when this call created the
    record, None on a retry (read the events with :func:`events_of` then).
    """

    record: Record
    replayed: bool = False
    residence_hint: Text | None = None
    warnings: list[Text] = field(default_factory=list)
    event: RecordEvent | None = None


def receive(
    ward: WardContext,
    procedure_key: str,
    raw_values: dict[str, Any],
    *,
    applicant: Applicant,
    documents: list[dict[str, Any]] | None = None,
    channel: str = "direct",
    reception_point: ReceptionPoint | int | None = None,
    counter: Counter | int | None = None,
    actor: str,
    user: Any = None,
    now: datetime | None = None,
    idempotency_key: str | None = None,
    attachments: Sequence[CheckedFile] = (),
    at_counter: bool = False,
) -> Received:
    """Receive a dossier for ``procedure_key`` and return the new record.

    Validates the values against the ward's effective published notebook version (and
    pins it), the applicant, the documents, channel, reception point and counter; computes
    the due moment on the ward's calendar; gives the next code of the day. The applicant
    is read from the notebook's ``applicant`` fields, ``applicant`` giving the roles the
    notebook lacks. ``attachments`` (already checked by content) are stored under the
    ward's data folder in the same transaction. With an ``idempotency_key`` already used,
    returns the first record (``replayed=True``). Values are checked with the field types
    and functions of the ward's enabled plugins; its plugins hear ``record_received``
    after the commit. ``now`` defaults to the ward's clock. With ``at_counter`` (the
    counter's form: staff hold the papers, the citizen files today), every document the
    procedure asks for with these values must be among ``documents``, and the date fields
    defaulting to ``today()`` must be within the last 30 days. A moment outside office
    hours is a warning (``Received.warnings``).

    :raises NotFound: the procedure is not published by the ward.
    :raises ValidationFailed: per-field errors (notebook fields, ``applicant_*``,
        ``documents``, ``channel``, ``counter``); nothing is written.
    """
    tenant = ward.tenant
    if idempotency_key:
        earlier = _replay(tenant, idempotency_key)
        if earlier is not None:
            return Received(earlier, replayed=True)
    now = now or ward.now()
    proc = procedure(tenant, procedure_key)
    calendar = ward.calendar
    errors: dict[str, Text] = {}
    values: dict[str, Any] = {}
    context = EvalContext(now.date(), now, calendar, ward.functions)
    try:
        values = validate_submission(proc.notebook, raw_values or {}, context, ward.field_types)
    except ValidationFailed as failed:
        errors.update(failed.errors)
    given, sources = from_values(proc.notebook, values, applicant)
    # When the notebook's values failed, its own errors already cover its applicant fields.
    person, residence, hint = _check_applicant(given, errors, sources, skip=bool(errors))
    papers = _check_documents(proc, documents or [], errors)
    if at_counter:
        for name, problem in filing_day_problems(proc.notebook, values, now.date()).items():
            errors.setdefault(name, problem)
        asked = asked_documents(proc.notebook, raw_values or {}, context, ward.field_types)
        missing = missing_documents(asked, (paper["key"] for paper in papers))
        if missing is not None:
            errors.setdefault("documents", missing)
    if channel not in lifecycle.CHANNELS:
        errors["channel"] = T(
            "Kênh tiếp nhận phải là direct, online hoặc postal",
            "The channel must be direct, online or postal",
        )
    point, desk = _check_place(tenant, reception_point, counter, errors)
    if errors:
        raise ValidationFailed(
            T("Có {n} chỗ cần sửa", "{n} entries need fixing", n=len(errors)), errors
        )
    due_at = (
        compute_due(now, proc.limit, calendar, cutoff=ward_cutoff(tenant)) if proc.limit else None
    )
    template = (tenant.settings or {}).get("record_code_format") or DEFAULT_FORMAT
    written: list[Path] = []
    try:
        with ward.events.change():
            seq = next_sequence(tenant.id, now.date())
            code = format_code(
                template,
                agency=tenant.agency_code or tenant.code,
                ward=tenant.code,
                day=now.date(),
                seq=seq,
            )
            record = insert_row(
                Record,
                tenant=tenant,
                code=code,
                procedure_key=proc.key,
                procedure_name=proc.name.get("vi", proc.key),
                field_area=proc.field_area or "",
                notebook_version=proc.version_id,
                status="received",
                channel=channel,
                applicant_name=person.name,
                applicant_search=fold(person.name),
                applicant_id_number=person.id_number,
                applicant_phone=person.phone,
                applicant_address=person.address,
                applicant_email=person.email,
                residence_ward_code=residence,
                non_territorial=bool(residence) and residence != tenant.code,
                data=values,
                documents=papers,
                reception_point=point,
                counter=desk,
                received_by=actor,
                received_at=now,
                due_at=due_at,
                limit_spec=proc.limit.spec if proc.limit else "",
                updated_at=now,
            )
            event = insert_row(
                RecordEvent,
                tenant=tenant,
                record=record,
                seq=1,
                action=lifecycle.RECEIVE,
                from_status="",
                to_status="received",
                actor=actor,
                role="",
                at=now,
                details={
                    "notebook_version": proc.version_number,
                    "channel": channel,
                    **({"residence_hint": hint.as_dict()} if hint else {}),
                },
            )
            if idempotency_key:
                insert_row(
                    IdempotencyKey, tenant=tenant, key=idempotency_key, record=record, created_at=now
                )
            stored = save_files(
                tenant,
                record,
                attachments,
                data_dir=ward.data_dir,
                actor=actor,
                at=now,
                written=written,
            )
            audit(
                "records.receive",
                tenant=tenant,
                user=user,
                actor=actor,
                target=code,
                procedure=proc.key,
                **({"files": [a.sha256 for a in stored]} if stored else {}),
            )
            ward.events.record("record_received", record=_info_of(record))
    except IntegrityError:
        remove_files(written)
        # Another request with the same idempotency key committed first: answer with its record.
        earlier = _replay(tenant, idempotency_key) if idempotency_key else None
        if earlier is None:
            raise
        return Received(earlier, replayed=True)
    except BaseException:
        remove_files(written)
        raise
    late = outside_office_hours(calendar, now)
    return Received(record, residence_hint=hint, event=event, warnings=[late] if late else [])


def transition(
    ward: WardContext,
    record_code: str,
    action: str,
    *,
    actor: str,
    role: str,
    expected_lock_version: int,
    inputs: dict[str, Any] | None = None,
    now: datetime | None = None,
    user: Any = None,
    permissions: frozenset[str] | None = None,
) -> Record:
    """Apply ``action`` to the ward's record ``record_code`` and return it as saved.

    ``permissions``: the caller's API token scopes (None for a signed-in user, whose
    role decides); an action whose permission is not among them is refused.

    The ward's plugins hear ``record_status_changed`` after the commit.

    :raises NotFound: no such record in this ward.
    :raises Conflict: ``expected_lock_version`` is stale (someone acted first).
    :raises Forbidden, UserError, ValidationFailed: as :func:`lifecycle.plan`.
    """
    tenant = ward.tenant
    now = now or ward.now()
    record = get_record(tenant, record_code)
    if record.lock_version != expected_lock_version:
        raise _stale(record)
    calendar = ward.calendar
    step = lifecycle.plan(
        record.status, action, role, inputs or {}, due_at=record.due_at, now=now, calendar=calendar,
        permissions=permissions,
    )
    changes: dict[Any, Any] = {
        Record.status: step.to_status,
        Record.lock_version: record.lock_version + 1,
        Record.updated_at: now,
    }
    details: dict[str, Any] = {k: v for k, v in step.inputs.items() if k != "note"}
    due_at = record.due_at
    if action == "request_supplement":
        changes[Record.paused_at] = now
    elif action == "supplement_received" and record.paused_at is not None:
        waited = calendar.working_time_between(record.paused_at, now)
        if due_at is not None:
            rule = supplement_rule(tenant)
            due_at = extend_due(
                due_at,
                record.paused_at,
                now,
                calendar,
                rule=rule,
                limit=parse_limit(record.limit_spec),
                cutoff=ward_cutoff(tenant),
            )
            details.update(rule=rule, old_due=record.due_at.isoformat(), new_due=due_at.isoformat())
        changes.update(
            {
                Record.paused_at: None,
                Record.due_at: due_at,
                Record.paused_working_time: record.paused_working_time
                + int(waited.total_seconds()),
            }
        )
    elif action == "apologize":
        details.update(
            old_due=record.due_at.isoformat() if record.due_at else None,
            new_due=step.inputs["new_due"].isoformat(),
        )
        due_at = step.inputs["new_due"]
        changes[Record.due_at] = due_at
    elif action in ("approve", "reject"):
        changes[Record.resolved_at] = now
        changes[Record.closed_at] = now
        changes[Record.outcome] = outcome(due_at, now) if due_at else ""
    elif action == "return":
        changes[Record.returned_at] = now
    elif step.to_status in ("withdrawn", "refused_at_reception"):
        changes[Record.closed_at] = now
    step_outcome = (
        outcome(due_at, now) if due_at and action != "apologize" else ("late" if due_at else "")
    )
    with ward.events.change():
        updated = (
            Record.update(changes)
            .where(
                Record.tenant == tenant,
                Record.id == record.id,
                Record.lock_version == expected_lock_version,
            )
            .execute()
        )
        if updated == 0:
            raise _stale(record)
        seq = (
            RecordEvent.select(fn.MAX(RecordEvent.seq))
            .where(RecordEvent.tenant == tenant, RecordEvent.record == record.id)
            .scalar()
            or 0
        ) + 1
        event = RecordEvent.create(
            tenant=tenant,
            record=record.id,
            seq=seq,
            action=action,
            from_status=step.from_status,
            to_status=step.to_status,
            actor=actor,
            role=role,
            at=now,
            note=step.inputs.get("note", ""),
            details=details,
            step_outcome=step_outcome,
        )
        audit(
            f"records.{action}",
            tenant=tenant,
            user=user,
            actor=actor,
            target=record.code,
            from_status=step.from_status,
            to_status=step.to_status,
        )
        ward.events.record(
            "record_status_changed",
            record=lambda: record_info(get_record(tenant, record.code)),
            event=event_info(event),
        )
    return get_record(tenant, record_code)


def get_record(tenant: Tenant, code: str) -> Record:
    """Return the ward's record with ``code``.

    :raises NotFound: no such record in this ward (another ward's code is not found either).
    """
    record = Record.get_or_none(
        Record.tenant == tenant, Record.code == (code or "").strip().upper()
    )
    if record is None:
        raise NotFound(T("Không có hồ sơ mã “{code}”", "There is no record “{code}”", code=code))
    return record


def events_of(tenant: Tenant, record: Record) -> list[RecordEvent]:
    """Return the record's events in order: its process control sheet."""
    return list(
        RecordEvent.select()
        .where(RecordEvent.tenant == tenant, RecordEvent.record == record.id)
        .order_by(RecordEvent.seq)
    )


def _stale(record: Record) -> Conflict:
    return Conflict(
        T(
            "Hồ sơ {code} vừa được người khác cập nhật; tải lại trang rồi thao tác lại",
            "Record {code} was just changed by someone else; reload and try again",
            code=record.code,
        ),
        code=record.code,
    )


def _replay(tenant: Tenant, key: str) -> Record | None:
    found = IdempotencyKey.get_or_none(IdempotencyKey.tenant == tenant, IdempotencyKey.key == key)
    return (
        Record.get_or_none(Record.tenant == tenant, Record.id == found.record_id) if found else None
    )


def _check_applicant(
    applicant: Applicant, errors: dict[str, Text], sources: dict[str, str], *, skip: bool
) -> tuple[Applicant, str, Text | None]:
    """Check the applicant; an error goes under the notebook field the role came from
    (``sources``), else under ``applicant_<role>``. With ``skip``, roles taken from the
    notebook are not judged (its failed validation already reported them)."""

    def problem(role: str, text: Text) -> None:
        if role in sources and skip:
            return
        errors.setdefault(sources.get(role, f"applicant_{role}"), text)

    name = " ".join((applicant.name or "").split())
    if not name:
        problem("name", T("Nhập họ tên người nộp hồ sơ", "Enter the applicant's full name"))
    elif len(name) > 200:
        problem("name", T("Họ tên quá dài", "The name is too long"))
    id_number = "".join((applicant.id_number or "").split())
    if id_number:
        try:
            id_number = parse_citizen_id(id_number, allow_unlisted_place=True).number
        except UserError as failed:
            problem("id_number", failed.text)
    phone = re.sub(r"[\s.()-]", "", applicant.phone or "")
    if phone and not _PHONE.match(phone):
        problem(
            "phone",
            T(
                "Số điện thoại chỉ gồm chữ số, ví dụ 0912345678",
                "A phone number has digits only, e.g. 0912345678",
            ),
        )
    email = (applicant.email or "").strip()
    if email and not _EMAIL.match(email):
        problem(
            "email", T("Thư điện tử phải có dạng ten@mien.vn", "An email looks like name@domain.vn")
        )
    residence, hint = (applicant.residence_ward_code or "").strip(), None
    if residence:
        try:
            catalogue_ward(residence)
        except NotFound as problem:
            errors["residence_ward_code"] = problem.text
    elif (applicant.old_address or "").strip():
        conversion = convert_old_address(applicant.old_address)
        hint = conversion.hint
        if len(conversion.candidates) == 1:
            residence = conversion.candidates[0].code
    person = Applicant(
        name,
        id_number,
        phone,
        " ".join((applicant.address or applicant.old_address or "").split()),
        email=email,
    )
    return person, residence, hint


def _check_documents(
    proc: Procedure, documents: list[dict[str, Any]], errors: dict[str, Text]
) -> list[dict]:
    known = {
        item.key: item
        for cell in proc.notebook.cells
        if cell.kind == "documents"
        for item in cell.document_items()
    }
    papers = []
    for entry in documents:
        key = str((entry or {}).get("key") or "")
        form = (entry or {}).get("form") or (known[key].form if key in known else "")
        count = (entry or {}).get("count", 1)
        if key not in known:
            errors["documents"] = T(
                "Thủ tục không có giấy tờ “{key}”", "The procedure has no document “{key}”", key=key
            )
        elif form not in DOCUMENT_FORMS:
            errors["documents"] = T(
                "Hình thức giấy tờ “{form}” không hợp lệ",
                "Invalid document form “{form}”",
                form=form,
            )
        elif isinstance(count, bool) or not str(count).isdigit() or not 1 <= int(count) <= 100:
            errors["documents"] = T(
                "Số lượng giấy tờ “{key}” phải từ 1 đến 100",
                "The count of “{key}” must be between 1 and 100",
                key=key,
            )
        else:
            papers.append({"key": key, "name": known[key].name, "form": form, "count": int(count)})
    return papers


def _check_place(tenant: Tenant, point: Any, desk: Any, errors: dict[str, Text]) -> tuple[Any, Any]:
    found_point = found_desk = None
    if desk not in (None, ""):
        # The counter with its reception point, in one statement.
        found_desk = (
            Counter.select(Counter, ReceptionPoint)
            .join(ReceptionPoint)
            .where(Counter.tenant == tenant, Counter.id == _int(desk))
            .first()
        )
        if found_desk is None:
            errors["counter"] = T(
                "Quầy không thuộc phường/xã này", "The counter is not one of this ward's"
            )
        else:
            found_point = found_desk.reception_point
    if point not in (None, "") and found_point is None:
        found_point = ReceptionPoint.get_or_none(
            ReceptionPoint.tenant == tenant, ReceptionPoint.id == _int(point)
        )
        if found_point is None:
            errors["reception_point"] = T(
                "Điểm tiếp nhận không thuộc phường/xã này",
                "The reception point is not one of this ward's",
            )
    return found_point, found_desk


def _int(value: Any) -> int:
    if hasattr(value, "id"):
        return int(value.id)
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _info_of(record: Record) -> Any:
    # Built only if a plugin listens; the row as inserted is the record after reception.
    return lambda: record_info(record)
