"""Print jobs: durable requests to print a form, rendered by a worker, PDFs kept on disk.

Printing a record's form writes, in one transaction, the job (with the exact template
layer and hash), a ``printed`` event on the record's timeline (a reprint says so) and an
audit entry; the ward's plugins hear ``record_printed`` after the commit. A worker
(``motcua worker``) claims queued jobs with a lease (``FOR UPDATE SKIP LOCKED`` on
PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite), renders them with its long-lived renderers and
stores the PDF under ``<data_dir>/prints/<tenant code>/``. A job whose worker died keeps
its ``queued`` status and is claimed again once the lease expires; :func:`pdf_for`
renders on demand, so a job's PDF can always be downloaded.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from peewee import fn

from motcua.accounts.models import User
from motcua.audit import audit
from motcua.clock import now as clock_now
from motcua.db import database, write_transaction
from motcua.db.connection import is_sqlite
from motcua.errors import NotFound, UserError
from motcua.i18n import T
from motcua.plugin_api import PrintInfo
from motcua.printing import contexts
from motcua.printing.layers import find_layer, procedure_layers, resolve
from motcua.printing.models import PrintJob
from motcua.printing.render import FORMS
from motcua.printing.runtime import Renderers, process_renderers
from motcua.records.info import record_info
from motcua.records.models import Record, RecordEvent
from motcua.records.service import get_record

if TYPE_CHECKING:
    from motcua.tenancy.models import Tenant
    from motcua.ward import WardContext

Wards = Callable[["Tenant"], "WardContext"]
"""Builds the context of any ward: what a worker serving every ward needs."""

log = logging.getLogger(__name__)

LEASE_SECONDS = 120
MAX_ATTEMPTS = 3
MAX_COPIES = 20
REGISTER_FORM = "07"
PRINTED = "printed"


def print_record(
    ward: WardContext,
    record_code: str,
    form: str,
    *,
    copies: int = 1,
    actor: str,
    user: Any = None,
    role: str = "",
    reprint: bool | None = None,
    reception_point: Any = None,
    now: datetime | None = None,
) -> PrintJob:
    """Queue ``form`` of the ward's record ``record_code`` and return the job.

    ``reprint`` None means: a reprint when the form was printed for the record before.
    The template is the ward's (its plugins' and overrides'). The job, the record's
    ``printed`` event and the audit entry are one transaction; the ward's plugins hear
    ``record_printed`` after it commits.

    :raises NotFound: no such record in this ward, or no template for ``form``.
    :raises UserError: bad copies, the register form (use :func:`print_register`), or a
        form whose event has not happened (e.g. a refusal slip of a record never refused).
    """
    if form == REGISTER_FORM:
        raise UserError(
            T(
                "Sổ theo dõi hồ sơ (07) in theo khoảng ngày, không theo hồ sơ.",
                "The record tracking book (07) prints for a date range, not for one record.",
            ),
            field="form",
        )
    tenant = ward.tenant
    copies = _copies(copies)
    record = get_record(tenant, record_code)
    if form not in FORMS and form not in procedure_layers(tenant, record.notebook_version_id):
        raise NotFound(
            T(
                "Không có mẫu in {form} cho hồ sơ này.",
                "There is no print form {form} for this record.",
                form=form,
            ),
            form=form,
        )
    layer = resolve(ward, form, notebook_version_id=record.notebook_version_id)
    now = now or ward.now()
    with ward.events.change():
        if not is_sqlite():
            Record.select(Record.id).where(Record.id == record.id).for_update().execute()
        events = _events(tenant, record)
        wanted = contexts.FORM_EVENTS.get(form)
        if wanted and contexts.latest_event(events, wanted) is None:
            raise UserError(
                T(
                    "Hồ sơ {code} chưa có thao tác để in mẫu {form}.",
                    "Record {code} has no event to print form {form} for.",
                    code=record.code,
                    form=form,
                ),
                status=409,
                form=form,
            )
        if reprint is None:
            reprint = (
                PrintJob.select()
                .where(
                    PrintJob.tenant == tenant, PrintJob.record == record.id, PrintJob.form == form
                )
                .exists()
            )
        seq = (events[-1].seq if events else 0) + 1
        job = PrintJob.create(
            tenant=tenant,
            record=record.id,
            form=form,
            template_layer=layer.layer,
            template_hash=layer.content_hash,
            paper=layer.paper,
            copies=copies,
            reception_point=reception_point or record.reception_point_id,
            counter=record.counter_id,
            reprint=reprint,
            event_seq=seq,
            created_by=actor,
            created_at=now,
        )
        RecordEvent.create(
            tenant=tenant,
            record=record.id,
            seq=seq,
            action=PRINTED,
            from_status=record.status,
            to_status=record.status,
            actor=actor,
            role=role,
            at=now,
            note=("In lại " if reprint else "In ") + contexts.FORM_NAMES.get(form, (form,))[0],
            details={
                "form": form,
                "job": job.id,
                "copies": copies,
                "reprint": reprint,
                "template_layer": layer.layer,
                "template_hash": layer.content_hash,
            },
        )
        audit(
            "print.job",
            tenant=tenant,
            user=user,
            actor=actor,
            target=record.code,
            job=job.id,
            form=form,
            copies=copies,
            reprint=reprint,
            layer=layer.layer,
            template_hash=layer.content_hash,
        )
        ward.events.record(
            "record_printed",
            record=lambda: record_info(get_record(tenant, record.code)),
            job=PrintInfo(form=job.form, copies=job.copies, reprint=job.reprint),
        )
    return job


def queue_reception_slip(
    ward: WardContext, record: Record, actor: str, *, user: Any = None
) -> PrintJob:
    """Queue the receipt and appointment slip (01) of a record just received; return the job.

    Call it after the reception committed (the slip is its own transaction).
    """
    return print_record(ward, record.code, "01", copies=1, actor=actor, user=user, reprint=False)


def print_register(
    ward: WardContext,
    start: date,
    end: date,
    *,
    actor: str,
    user: Any = None,
    now: datetime | None = None,
) -> PrintJob:
    """Queue the record tracking book (07) of the records received in [``start``, ``end``).

    :raises UserError: ``end`` is not after ``start``, or the period is longer than a year.
    """
    if end <= start:
        raise UserError(
            T("Ngày kết thúc phải sau ngày bắt đầu.", "The end date must be after the start date."),
            field="end",
        )
    if (end - start).days > 366:
        raise UserError(
            T("Mỗi lần in sổ tối đa một năm.", "Print the book for at most one year at a time."),
            field="end",
        )
    tenant = ward.tenant
    layer = resolve(ward, REGISTER_FORM)
    with write_transaction():
        job = PrintJob.create(
            tenant=tenant,
            form=REGISTER_FORM,
            template_layer=layer.layer,
            template_hash=layer.content_hash,
            paper=layer.paper,
            copies=1,
            period_start=start,
            period_end=end,
            created_by=actor,
            created_at=now or ward.now(),
        )
        audit(
            "print.job",
            tenant=tenant,
            user=user,
            actor=actor,
            target=f"{start.isoformat()}..{end.isoformat()}",
            job=job.id,
            form=REGISTER_FORM,
            layer=layer.layer,
            template_hash=layer.content_hash,
        )
    return job


def get_job(tenant: Tenant, job_id: int) -> PrintJob:
    """Return the ward's print job ``job_id``.

    :raises NotFound: no such job in this ward (another ward's job is not found either).
    """
    job = PrintJob.get_or_none(PrintJob.tenant == tenant, PrintJob.id == job_id)
    if job is None:
        raise NotFound(T("Không có lệnh in số {id}", "There is no print job {id}", id=job_id))
    return job


def jobs_of(tenant: Tenant, record: Record) -> list[PrintJob]:
    """Return the record's print jobs, newest first."""
    return list(
        PrintJob.select()
        .where(PrintJob.tenant == tenant, PrintJob.record == record.id)
        .order_by(PrintJob.id.desc())
    )


def register_jobs(tenant: Tenant, limit: int = 20) -> list[PrintJob]:
    """Return the ward's latest tracking-book jobs, newest first."""
    return list(
        PrintJob.select()
        .where(PrintJob.tenant == tenant, PrintJob.form == REGISTER_FORM)
        .order_by(PrintJob.id.desc())
        .limit(limit)
    )


def _copies(copies: Any) -> int:
    try:
        value = int(copies)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= MAX_COPIES:
        raise UserError(
            T("Số bản in từ 1 đến {n}.", "Copies must be between 1 and {n}.", n=MAX_COPIES),
            field="copies",
        )
    return value


def _events(tenant: Tenant, record: Record) -> list[RecordEvent]:
    return list(
        RecordEvent.select()
        .where(RecordEvent.tenant == tenant, RecordEvent.record == record.id)
        .order_by(RecordEvent.seq)
    )


# --- rendering ------------------------------------------------------------------------------


def job_context(ward: WardContext, job: PrintJob) -> dict[str, Any]:
    """Return the plain-data context of ``job``'s form, as things stood when it was asked for."""
    tenant = job.tenant
    issued_at = job.created_at.date()
    if job.record_id is None:
        rows = (
            Record.select()
            .where(
                Record.tenant == tenant,
                Record.received_at >= _midnight(job.period_start),
                Record.received_at < _midnight(job.period_end),
            )
            .order_by(Record.received_at, Record.id)
        )
        return contexts.register_context(
            tenant,
            [contexts.register_row(r) for r in rows],
            start=job.period_start,
            end=job.period_end,
            issued_at=issued_at,
            serial=job.period_start.year,
        )
    record = Record.get(Record.tenant == tenant, Record.id == job.record_id)
    events = [e for e in _events(tenant, record) if job.event_seq is None or e.seq < job.event_seq]
    logins = {e.actor for e in events} | {record.received_by}
    names = {
        u.login: u.full_name or u.login for u in User.select().where(User.login.in_(list(logins)))
    }
    wanted = contexts.FORM_EVENTS.get(job.form)
    form_event = contexts.latest_event(events, wanted) if wanted else None
    receiver_login = form_event.actor if form_event is not None else record.received_by
    receiver = {
        "name": names.get(receiver_login, receiver_login),
        "title": "Công chức tiếp nhận",
        "phone": tenant.phone,
    }
    serial = tracking_number(tenant, record)
    block = contexts.record_data(
        record,
        received_by_name=names.get(record.received_by, record.received_by),
        collect_at=_collect_at(record),
        tracking_entry=f"Sổ theo dõi hồ sơ năm {record.received_at.year}, số thứ tự {serial}",
    )
    form = job.form if job.form in FORMS else "01"
    context = contexts.form_context(
        form,
        tenant=tenant,
        record=record,
        events=events,
        public_url=ward.settings.public_url,
        issued_at=issued_at,
        serial=serial,
        receiver=receiver,
        record_block=block,
        names=names,
    )
    if job.reprint:
        context["reprint"] = True
    if job.form not in FORMS:
        # A procedure's own form (a template cell) reads the record's values by name.
        context = {**block["values"], **context}
    return context


def tracking_number(tenant: Tenant, record: Record) -> int:
    """Return the record's entry number in the ward's tracking book of its year."""
    start = datetime(record.received_at.year, 1, 1)
    return (
        Record.select(fn.COUNT(Record.id))
        .where(
            Record.tenant == tenant,
            Record.received_at >= start,
            (Record.received_at < record.received_at)
            | ((Record.received_at == record.received_at) & (Record.id <= record.id)),
        )
        .scalar()
    )


def _collect_at(record: Record) -> str:
    parts = []
    if record.counter_id:
        parts.append(record.counter.name)
    if record.reception_point_id:
        point = record.reception_point
        parts.append(point.name + (f" ({point.address})" if point.address else ""))
    return ", ".join(parts)


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)


def render_job(ward: WardContext, job: PrintJob, renderers: Renderers) -> bytes:
    """Render ``job`` with the template it recorded, store the PDF, mark it rendered; return the PDF.

    :raises TemplateFailed, UserError: the template or the data could not be printed.
    """
    tenant = job.tenant
    version = job.record.notebook_version_id if job.record_id else None
    layer = find_layer(
        ward, job.form, job.template_layer, job.template_hash, notebook_version_id=version
    )
    pdf = renderers.render(job.form, job_context(ward, job), source=layer.source, paper=layer.paper)
    relative = Path("prints") / tenant.code / f"{job.id}.pdf"
    target = ward.data_dir / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".{os.getpid()}.part")
    partial.write_bytes(pdf)
    os.replace(partial, target)
    digest = hashlib.sha256(pdf).hexdigest()
    with write_transaction():
        PrintJob.update(
            status="rendered",
            pdf_path=relative.as_posix(),
            pdf_sha256=digest,
            error="",
            lease_until=None,
            rendered_at=clock_now(),
            template_hash=layer.content_hash,
        ).where(PrintJob.id == job.id).execute()
    job.status, job.pdf_path, job.pdf_sha256 = "rendered", relative.as_posix(), digest
    return pdf


def stored_pdf(ward: WardContext, job: PrintJob) -> bytes | None:
    """Return the stored PDF of a rendered job, or None if it is missing or damaged."""
    if job.status != "rendered" or not job.pdf_path:
        return None
    path = ward.data_dir / job.pdf_path
    try:
        pdf = path.read_bytes()
    except OSError:
        return None
    return pdf if hashlib.sha256(pdf).hexdigest() == job.pdf_sha256 else None


def pdf_for(ward: WardContext, job: PrintJob, *, renderers: Renderers | None = None) -> bytes:
    """Return the job's PDF, rendering and storing it now if no worker has yet.

    :raises TemplateFailed, UserError: the job cannot be printed (the reason is kept on it).
    """
    pdf = stored_pdf(ward, job)
    if pdf is not None:
        return pdf
    try:
        return render_job(ward, job, renderers or process_renderers())
    except UserError as exc:
        _fail(job, exc.text.render("vi"))
        raise


def _fail(job: PrintJob, error: str) -> None:
    with write_transaction():
        PrintJob.update(status="failed", error=error[:2000], lease_until=None).where(
            PrintJob.id == job.id, PrintJob.status != "rendered"
        ).execute()


# --- the worker -----------------------------------------------------------------------------


def claim_next(
    *, lease_seconds: int = LEASE_SECONDS, now: datetime | None = None
) -> PrintJob | None:
    """Claim the oldest queued job that no live worker holds; return it, or None.

    The claim sets a lease; a worker that dies leaves the job queued, and it is claimed
    again when the lease has expired.
    """
    now = now or clock_now()
    with write_transaction():
        query = (
            PrintJob.select()
            .where(
                PrintJob.status == "queued",
                PrintJob.lease_until.is_null() | (PrintJob.lease_until < now),
            )
            .order_by(PrintJob.id)
            .limit(1)
        )
        if not is_sqlite():
            query = query.for_update("FOR UPDATE SKIP LOCKED")
        job = query.first()
        if job is None:
            return None
        lease = now + timedelta(seconds=lease_seconds)
        PrintJob.update(lease_until=lease, attempts=PrintJob.attempts + 1).where(
            PrintJob.id == job.id
        ).execute()
    job.lease_until, job.attempts = lease, job.attempts + 1
    return job


def process_next(
    wards: Wards, renderers: Renderers, *, lease_seconds: int = LEASE_SECONDS
) -> PrintJob | None:
    """Claim and render one job of any ward; return it (rendered, failed or queued for a
    retry), or None. ``wards`` builds the context of the job's ward."""
    job = claim_next(lease_seconds=lease_seconds)
    if job is None:
        return None
    try:
        render_job(wards(job.tenant), job, renderers)
    except UserError as exc:
        log.warning("print job %s failed: %s", job.id, exc.text.render("en"))
        _fail(job, exc.text.render("vi"))
        job.status = "failed"
    except Exception as exc:  # noqa: BLE001 - one bad job must not stop the worker
        log.exception("print job %s crashed (attempt %s)", job.id, job.attempts)
        if job.attempts >= MAX_ATTEMPTS:
            _fail(job, f"{type(exc).__name__}: {exc}")
            job.status = "failed"
        else:
            retry_at = clock_now() + timedelta(seconds=30 * job.attempts)
            with write_transaction():
                PrintJob.update(
                    lease_until=retry_at, error=f"{type(exc).__name__}: {exc}"[:2000]
                ).where(PrintJob.id == job.id).execute()
    return job


def run_worker(
    wards: Wards,
    *,
    once: bool = False,
    poll_seconds: float = 1.0,
    lease_seconds: int = LEASE_SECONDS,
    renderers: Renderers | None = None,
) -> int:
    """Render queued jobs until stopped (or, with ``once``, until none is left); return the count.

    Uses one long-lived set of renderers for every job.
    """
    renderers = renderers or process_renderers()
    done = 0
    while True:
        database.connect(reuse_if_open=True)
        job = process_next(wards, renderers, lease_seconds=lease_seconds)
        if job is not None:
            done += 1
            continue
        if once:
            return done
        if not is_sqlite() and not database.is_closed():
            database.close()
        time.sleep(poll_seconds)
