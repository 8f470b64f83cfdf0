"""Ward pages for records: reception, the work list, a record's page, and the public lookup."""

from __future__ import annotations

import logging
from dataclasses import replace
from functools import partial
from typing import Any

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
from werkzeug.datastructures import FileStorage

from motcua.citizen_id import parse_chip_qr
from motcua.clock import now
from motcua.errors import UserError, ValidationFailed
from motcua.i18n import T, Text
from motcua.notebooks import evaluate
from motcua.printing.contexts import now_in
from motcua.records import lifecycle
from motcua.records.applicant import COLUMN_ROLES, chip_values, missing_roles
from motcua.records.attachments import (
    CheckedFile,
    attach,
    attachments_of,
    check_file,
    get_attachment,
    read_attachment,
)
from motcua.records.procedures import procedure, procedures
from motcua.records.queries import WorkFilters, lookup_public, work_list
from motcua.records.reception_checks import outside_office_hours
from motcua.records.service import Applicant, events_of, get_record, receive, transition
from motcua.tenancy.models import Counter, Tenant
from motcua.ward import WardContext
from motcua.web.context import current_language
from motcua.web.form_render import (
    FORM_NAMES,
    FormView,
    evaluation_json,
    form_view,
    values_from_form,
)
from motcua.web.record_data import APPLICANT_LABELS, data_rows, documents_view, event_details
from motcua.web.shell import WardArea
from motcua.web.tenancy import requires, tenant_blueprint
from motcua.web.ward import current_ward, ward_for

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
APPLICANT_FIELDS = (*COLUMN_ROLES, "residence_ward_code", "old_address")


def public(view: Any) -> Any:
    """Mark a view as open to citizens (no sign-in; tests check it shows nothing personal)."""
    view.public = True
    return view


def queue_slip_after_reception(ward: WardContext, record: Any, user: Any) -> None:
    """Queue the receipt and appointment slip (01) of a record just saved.

    The record is already committed: a failure here is logged and never undoes the
    reception; the slip stays printable from the record page.
    """
    from motcua.printing.jobs import queue_reception_slip

    try:
        queue_reception_slip(ward, record, user.login, user=user)
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
    """The reception form: the live form of the procedure, the applicant roles the
    notebook lacks, documents, scanned files, channel and counter."""
    proc = procedure(g.tenant, key)
    ward = current_ward()
    toolkit = ward.toolkit
    form = request.form
    posted = request.method == "POST"
    saving = posted and form.get("qr_prefill") is None
    raw = values_from_form(proc.notebook, form) if posted else {}
    asked = missing_roles(proc.notebook)
    applicant = {name: (form.get(f"a.{name}") or "").strip() for name in APPLICANT_FIELDS}
    errors: dict[str, Text] = {}
    notice: Text | None = None
    warnings: list[Text] = []
    if posted and not saving:
        try:
            chip = parse_chip_qr(form.get("qr") or "")
            values, generic = chip_values(proc.notebook, chip)
            raw.update(values)
            applicant.update(generic)
            if "address" in generic:
                applicant["old_address"] = applicant["old_address"] or chip.address
            notice = T(
                "Đã điền thông tin người nộp từ mã QR căn cước",
                "Applicant filled in from the ID card QR",
            )
            warnings = list(chip.warnings)  # the card contradicts its number: check it
        except UserError as problem:
            errors["qr"] = problem.text
    elif saving:
        files = checked_uploads(request.files.getlist("files"), errors)
        if not errors:
            try:
                got = receive(
                    ward,
                    key,
                    raw,
                    applicant=Applicant(
                        **{
                            name: applicant[name]
                            if name in asked or name not in COLUMN_ROLES
                            else ""
                            for name in APPLICANT_FIELDS
                        }
                    ),
                    documents=_documents_posted(form),
                    channel=form.get("channel") or "direct",
                    counter=form.get("counter") or None,
                    actor=g.user.login,
                    user=g.user,
                    attachments=files,
                    at_counter=True,
                )
                queue_slip_after_reception(ward, got.record, g.user)
                return redirect(url_for("records.record_page", code=got.record.code, received=1))
            except ValidationFailed as failed:
                errors = dict(failed.errors)
    evaluation = evaluate(proc.notebook, raw, toolkit.context(), field_types=toolkit.field_types)
    view = form_view(proc.notebook, evaluation, toolkit.field_types, current_language())
    if not saving:
        # Nothing was attempted yet: required-field messages wait for a save or a touch.
        view = quiet(view)
    counters = list(Counter.select().where(Counter.tenant == g.tenant, Counter.active == True))  # noqa: E712
    return render_template(
        "records/reception.html",
        proc=proc,
        view=view,
        applicant=applicant,
        asked=asked,
        applicant_labels=APPLICANT_LABELS,
        errors=errors,
        error_labels=_error_labels(proc.notebook, current_language()),
        documents=[
            item
            for cell in proc.notebook.cells
            if cell.kind == "documents"
            for item in cell.document_items()
        ],
        form_names=FORM_NAMES,
        counters=counters,
        form=form,
        notice=notice,
        warnings=warnings,
        channels=lifecycle.CHANNELS,
        saving=saving,
        max_mb=_settings().attachment_max_bytes // (1024 * 1024),
        late=outside_office_hours(ward.calendar, ward.now()),
        my_counter=_my_counter(),
    ), (422 if errors else 200)


def _my_counter() -> int | None:
    # The first counter the ward admin assigned to the signed-in user (web/ward_users.py).
    from motcua.accounts.models import Membership

    membership = Membership.get_or_none(Membership.tenant == g.tenant, Membership.user == g.user.id)
    return membership.counters[0] if membership is not None and membership.counters else None


@bp.post("/tiep-nhan/<key>/danh-gia")
@requires("records.receive")
def reception_evaluate(key: str) -> ResponseReturnValue:
    """Evaluate the reception form on JSON ``{"values": {...}}`` (for ``form-live.js``)."""
    proc = procedure(g.tenant, key)
    toolkit = current_ward().toolkit
    payload = request.get_json(silent=True) or {}
    values = payload.get("values") if isinstance(payload.get("values"), dict) else {}
    evaluation = evaluate(proc.notebook, values, toolkit.context(), field_types=toolkit.field_types)
    return jsonify(
        evaluation_json(proc.notebook, evaluation, toolkit.field_types, current_language())
    )


def quiet(view: FormView) -> FormView:
    """Return ``view`` without the fields' error messages (a form nobody submitted yet)."""
    items = tuple(
        replace(item, field=replace(item.field, error=None)) if item.field is not None else item
        for item in view.items
    )
    return replace(view, items=items)


def checked_uploads(uploads: list[FileStorage], errors: dict[str, Text]) -> list[CheckedFile]:
    """Return the uploaded files checked by content and size; problems go to ``errors``
    under ``attachments`` (one message per refused file, joined)."""
    limit = _settings().attachment_max_bytes
    files, problems = [], []
    for upload in uploads:
        if not upload or not upload.filename:
            continue
        data = upload.stream.read(limit + 1)
        try:
            files.append(check_file(upload.filename, data, limit))
        except UserError as problem:
            problems.append(problem.text)
    if problems:
        errors["attachments"] = T(
            " ".join(text.render("vi") for text in problems),
            " ".join(text.render("en") for text in problems),
        )
    return files


def _documents_posted(form: Any) -> list[dict[str, Any]]:
    return [
        {
            "key": doc_key,
            "form": form.get(f"doc.{doc_key}.form") or None,
            "count": form.get(f"doc.{doc_key}.count") or 1,
        }
        for doc_key in form.getlist("doc")
    ]


def _error_labels(nb: Any, lang: str) -> dict[str, str]:
    labels = {f.name: f.label.get(lang) or f.label["vi"] for f in nb.fields()}
    labels.update(
        {f"applicant_{role}": text.render(lang) for role, text in APPLICANT_LABELS.items()}
    )
    labels.update(
        residence_ward_code=APPLICANT_LABELS["residence_ward_code"].render(lang),
        documents=T("Giấy tờ đã nhận", "Documents received").render(lang),
        attachments=T("Tệp quét", "Scanned files").render(lang),
        channel=T("Kênh tiếp nhận", "Channel").render(lang),
        counter=T("Quầy", "Counter").render(lang),
        qr=T("Mã QR căn cước", "ID card QR").render(lang),
    )
    return labels


def _settings() -> Any:
    return current_app.extensions["motcua.settings"]


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
def record_page(code: str, upload_problem: Text | None = None) -> ResponseReturnValue:
    """A record: data, documents, attachments, the control sheet and the actions the
    user's role may take."""
    record = get_record(g.tenant, code)
    errors: dict[str, Text] = {}
    problem: Text | None = None
    status = 422 if upload_problem else 200
    if request.method == "POST" and upload_problem is None:
        action = request.form.get("action") or ""
        inputs = {k[3:]: v for k, v in request.form.items() if k.startswith("in.")}
        lock = request.form.get("lock_version") or ""
        try:
            record = transition(
                current_ward(),
                record.code,
                action,
                actor=g.user.login,
                role=g.role,
                expected_lock_version=int(lock) if lock.isdigit() else -1,
                inputs=inputs,
                user=g.user,
            )
            return redirect(url_for("records.record_page", code=record.code))
        except ValidationFailed as failed:
            errors, problem, status = dict(failed.errors), failed.text, 422
        except UserError as failed:
            if failed.status == 404:
                raise
            problem, status = failed.text, failed.status
            record = get_record(g.tenant, code)
    lang = current_language()
    nb = record.notebook_version.notebook() if record.notebook_version_id else None
    return render_template(
        "records/record.html",
        record=record,
        events=events_of(g.tenant, record),
        actions=lifecycle.allowed_actions(record.status, g.role),
        errors=errors,
        problem=problem,
        rows=data_rows(nb, record.data or {}, lang),
        now_in=now_in(record.applicant_address, record.residence_ward_code),
        late=outside_office_hours(current_ward().calendar, record.received_at),
        documents=documents_view(record.documents, lang),
        attachments=attachments_of(g.tenant, record),
        upload_problem=upload_problem,
        max_mb=_settings().attachment_max_bytes // (1024 * 1024),
        statuses=lifecycle.STATUSES,
        action_labels=lifecycle.ACTION_LABELS,
        outcomes=lifecycle.OUTCOMES,
        methods=lifecycle.RETURN_METHODS,
        channels=lifecycle.CHANNELS,
        received=request.args.get("received"),
        attached=request.args.get("attached"),
        moment=now(),
    ), status


@bp.post("/<code>/tep")
@requires("records.process")
def upload(code: str) -> ResponseReturnValue:
    """Attach scanned files to a record (PDF, JPEG, PNG, checked by content)."""
    record = get_record(g.tenant, code)
    errors: dict[str, Text] = {}
    files = checked_uploads(request.files.getlist("files"), errors)
    if not files and not errors:
        errors["attachments"] = T("Chọn ít nhất một tệp", "Choose at least one file")
    if errors:
        return record_page(code, upload_problem=errors["attachments"])
    attach(g.tenant, record, files, data_dir=_settings().data_dir, actor=g.user.login, user=g.user)
    return redirect(url_for("records.record_page", code=record.code, attached=len(files)))


@bp.get("/<code>/tep/<int:attachment_id>")
@requires("records.view")
def download(code: str, attachment_id: int) -> ResponseReturnValue:
    """Serve an attachment of the ward's record, always as a download, never sniffed."""
    record = get_record(g.tenant, code)
    found = get_attachment(g.tenant, record, attachment_id)
    data = read_attachment(g.tenant, found, _settings().data_dir)
    response = Response(data, mimetype=found.content_type)
    response.headers["Content-Disposition"] = _disposition(found.name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _disposition(name: str) -> str:
    from urllib.parse import quote

    fallback = name.encode("ascii", "ignore").decode() or "tep"
    fallback = fallback.replace('"', "").replace("\\", "")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"


@lookup_bp.get("/tra-cuu")
@public
def lookup() -> ResponseReturnValue:
    """The citizen's lookup by record code (or the QR on the slip): only what the slip
    says (code, procedure, received and due dates, the masked name) and the status; never
    what staff wrote."""
    from motcua.plugins.web import lookup_links

    code = (request.args.get("ma") or "").strip()
    found, problem, links = None, None, []
    if code:
        try:
            found = lookup_public(g.tenant, code)
            links = lookup_links(g.tenant, found.code)
        except UserError as failed:
            problem = failed.text
    moved_from = Tenant.get_or_none(
        Tenant.slug == (request.args.get("tu") or ""), Tenant.merged_into.is_null(False)
    )
    return render_template(
        "records/lookup.html",
        code=code,
        found=found,
        problem=problem,
        statuses=lifecycle.STATUSES,
        moved_from=moved_from,
        links=links,
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
    # Only misses count: a citizen checking their own code again and again is never slowed,
    # guessing codes is (429 once the misses pass the limit, 404 before).
    app.view_functions["records_lookup.lookup"] = limiter.limit(
        lambda: app.extensions["motcua.settings"].lookup_rate_limit,
        deduct_when=lambda response: response.status_code == 404,
    )(app.view_functions["records_lookup.lookup"])
    add_ward_area(app, AREA)
    app.add_template_global(event_details)
    # After the notebooks seeder: it publishes the procedures these records are received under.
    app.extensions.setdefault("motcua.demo_seeders", []).append(
        lambda app: seed_records(partial(ward_for, app))
    )
