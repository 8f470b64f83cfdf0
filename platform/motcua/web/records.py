"""Ward pages for records: reception, the work list, a record's page, and the public lookup."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, current_app, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from motcua.citizen_id import parse_chip_qr
from motcua.clock import now
from motcua.errors import UserError, ValidationFailed
from motcua.expressions.context import EvalContext
from motcua.i18n import T, Text
from motcua.notebooks import evaluate
from motcua.records import lifecycle
from motcua.records.procedures import procedure, procedures, ward_calendar
from motcua.records.queries import WorkFilters, lookup_public, work_list
from motcua.records.service import Applicant, events_of, get_record, receive, transition
from motcua.tenancy.models import Counter
from motcua.web.context import current_language
from motcua.web.form_render import form_view, values_from_form
from motcua.web.records_glue import notifier, plugin_field_types
from motcua.web.shell import WardArea
from motcua.web.tenancy import requires, tenant_blueprint

log = logging.getLogger(__name__)

bp = tenant_blueprint("records", __name__, "/ho-so")
lookup_bp = tenant_blueprint("records_lookup", __name__, public=True)

AREA = WardArea(
    "records.work_list",
    T("Hồ sơ", "Records"),
    T("Tiếp nhận, xử lý, trả kết quả", "Receive, process and return dossiers"),
    "records.view",
    order=10,
)
APPLICANT_FIELDS = ("name", "id_number", "phone", "address", "residence_ward_code", "old_address")


def public(view: Any) -> Any:
    """Mark a view as open to citizens (no sign-in; tests check it shows nothing personal)."""
    view.public = True
    return view


def queue_slip_after_reception(tenant: Any, record: Any, user: Any) -> None:
    """Queue the receipt and appointment slip (01) of a record just saved.

    The record is already committed: a failure here is logged and never undoes the
    reception; the slip stays printable from the record page.
    """
    from motcua.printing.jobs import queue_reception_slip

    try:
        queue_reception_slip(tenant, record, user.login, user=user, app=current_app)
    except Exception:  # noqa: BLE001 - the citizen's dossier matters more than the slip job
        log.exception("could not queue the slip of %s", record.code)


@bp.get("/tiep-nhan/")
@requires("records.receive")
def choose_procedure() -> ResponseReturnValue:
    """Pick the procedure to receive, the most received first."""
    return render_template("records/choose.html", procedures=procedures(g.tenant))


@bp.route("/tiep-nhan/<key>", methods=["GET", "POST"])
@requires("records.receive")
def reception(key: str) -> ResponseReturnValue:
    """The reception form: the live form of the procedure, applicant, documents, channel."""
    proc = procedure(g.tenant, key)
    field_types = plugin_field_types(current_app, g.tenant)
    form = request.form
    raw = values_from_form(proc.notebook, form) if request.method == "POST" else {}
    applicant = {name: (form.get(f"a.{name}") or "").strip() for name in APPLICANT_FIELDS}
    errors: dict[str, Text] = {}
    notice: Text | None = None
    if request.method == "POST" and form.get("qr_prefill") is not None:
        try:
            chip = parse_chip_qr(form.get("qr") or "")
            applicant.update(
                name=chip.full_name,
                id_number=chip.id_number,
                address=chip.address,
                old_address=applicant["old_address"] or chip.address,
            )
            notice = T(
                "Đã điền thông tin người nộp từ mã QR căn cước",
                "Applicant filled in from the ID card QR",
            )
        except UserError as problem:
            errors["qr"] = problem.text
    elif request.method == "POST":
        documents = [
            {
                "key": doc_key,
                "form": form.get(f"doc.{doc_key}.form") or None,
                "count": form.get(f"doc.{doc_key}.count") or 1,
            }
            for doc_key in form.getlist("doc")
        ]
        try:
            got = receive(
                g.tenant,
                key,
                raw,
                applicant=Applicant(**applicant),
                documents=documents,
                channel=form.get("channel") or "direct",
                counter=form.get("counter") or None,
                actor=g.user.login,
                user=g.user,
                field_types=field_types,
                notify=notifier(current_app),
            )
            queue_slip_after_reception(g.tenant, got.record, g.user)
            return redirect(url_for("records.record_page", code=got.record.code, received=1))
        except ValidationFailed as failed:
            errors = dict(failed.errors)
    moment = now()
    evaluation = evaluate(
        proc.notebook,
        raw,
        EvalContext(moment.date(), moment, ward_calendar(g.tenant)),
        field_types=field_types,
    )
    view = form_view(proc.notebook, evaluation, field_types, current_language())
    documents = [
        item
        for cell in proc.notebook.cells
        if cell.kind == "documents"
        for item in cell.document_items()
    ]
    counters = list(Counter.select().where(Counter.tenant == g.tenant, Counter.active == True))  # noqa: E712
    status = 422 if errors else 200
    return render_template(
        "records/reception.html",
        proc=proc,
        view=view,
        applicant=applicant,
        errors=errors,
        documents=documents,
        counters=counters,
        form=form,
        notice=notice,
        channels=lifecycle.CHANNELS,
        submitted=request.method == "POST",
    ), status


@bp.get("/", endpoint="work_list")
@requires("records.view")
def work_list_page() -> ResponseReturnValue:
    """The work list: filters, search and keyset pages."""
    filters = WorkFilters.from_args(request.args)
    page = work_list(g.tenant, filters, after=request.args.get("after") or None)
    counters = list(Counter.select().where(Counter.tenant == g.tenant))
    args = {k: v for k, v in request.args.items() if k != "after" and v}
    return render_template(
        "records/list.html",
        page=page,
        filters=filters,
        counters=counters,
        args=args,
        statuses=lifecycle.STATUSES,
        channels=lifecycle.CHANNELS,
        moment=now(),
        procedures=procedures(g.tenant),
    )


@bp.route("/<code>", methods=["GET", "POST"])
@requires("records.view")
def record_page(code: str) -> ResponseReturnValue:
    """A record: data, documents, the control sheet and the actions the user's role may take."""
    record = get_record(g.tenant, code)
    errors: dict[str, Text] = {}
    problem: Text | None = None
    status = 200
    if request.method == "POST":
        action = request.form.get("action") or ""
        inputs = {k[3:]: v for k, v in request.form.items() if k.startswith("in.")}
        lock = request.form.get("lock_version") or ""
        try:
            record = transition(
                g.tenant,
                record.code,
                action,
                actor=g.user.login,
                role=g.role,
                expected_lock_version=int(lock) if lock.isdigit() else -1,
                inputs=inputs,
                user=g.user,
                notify=notifier(current_app),
            )
            return redirect(url_for("records.record_page", code=record.code))
        except ValidationFailed as failed:
            errors, problem, status = dict(failed.errors), failed.text, 422
        except UserError as failed:
            if failed.status == 404:
                raise
            problem, status = failed.text, failed.status
            record = get_record(g.tenant, code)
    labels: dict[str, str] = {}
    if record.notebook_version_id:
        nb = record.notebook_version.notebook()
        labels = {f.name: f.label.get(current_language()) or f.label["vi"] for f in nb.fields()}
    return render_template(
        "records/record.html",
        record=record,
        events=events_of(g.tenant, record),
        actions=lifecycle.allowed_actions(record.status, g.role),
        errors=errors,
        problem=problem,
        labels=labels,
        statuses=lifecycle.STATUSES,
        action_labels=lifecycle.ACTION_LABELS,
        outcomes=lifecycle.OUTCOMES,
        methods=lifecycle.RETURN_METHODS,
        channels=lifecycle.CHANNELS,
        received=request.args.get("received"),
    ), status


@lookup_bp.get("/tra-cuu")
@public
def lookup() -> ResponseReturnValue:
    """The citizen's lookup by record code (or the QR on the slip): status, due date, what
    is asked of them, and only the masked name."""
    code = (request.args.get("ma") or "").strip()
    found, problem = None, None
    if code:
        try:
            found = lookup_public(g.tenant, code)
        except UserError as failed:
            problem = failed.text
    return render_template(
        "records/lookup.html", code=code, found=found, problem=problem, statuses=lifecycle.STATUSES
    ), (404 if problem else 200)


def init_records(app: Flask) -> None:
    """Register the records pages, the records API and its OpenAPI document on ``app``."""
    from motcua.records.demo import seed_records
    from motcua.web import openapi, records_api
    from motcua.web.shell import add_ward_area

    app.register_blueprint(bp)
    app.register_blueprint(lookup_bp)
    app.register_blueprint(records_api.bp)
    app.register_blueprint(openapi.bp)
    csrf = app.extensions["csrf"]
    csrf.exempt(records_api.bp)
    csrf.exempt(openapi.bp)
    limiter = app.extensions["motcua.limiter"]
    app.view_functions["records_lookup.lookup"] = limiter.limit(
        lambda: app.extensions["motcua.settings"].lookup_rate_limit
    )(app.view_functions["records_lookup.lookup"])
    add_ward_area(app, AREA)
    # After the notebooks seeder: it publishes the procedures these records are received under.
    app.extensions.setdefault("motcua.demo_seeders", []).append(seed_records)
