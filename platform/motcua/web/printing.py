"""Printing pages: print a record's forms, download jobs' PDFs and thermal images, the
record tracking book, and the template editor with a preview of every layer."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import (
    Flask,
    Response,
    abort,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue

from motcua.clock import today
from motcua.errors import UserError
from motcua.i18n import T
from motcua.printing import FORMS, PAPERS, pdf_to_thermal, png_bytes, sample_context
from motcua.printing.contexts import FORM_NAMES, available_forms
from motcua.printing.jobs import (
    get_job,
    jobs_of,
    pdf_for,
    print_record,
    print_register,
    register_jobs,
)
from motcua.printing.layers import (
    LAYER_NAMES,
    LAYERS,
    check_template,
    layer_stack,
    procedure_layers,
    reset_override,
    save_override,
)
from motcua.printing.runtime import process_renderers
from motcua.records.models import Record, RecordEvent
from motcua.web.context import current_language
from motcua.web.shell import WardArea, add_ward_area
from motcua.web.tenancy import requires, tenant_blueprint
from motcua.web.ward import current_ward

bp = tenant_blueprint("printing", __name__)


def init_printing(app: Flask) -> None:
    """Register the printing pages, the ``print_panel`` template helper and the ward areas."""
    app.register_blueprint(bp)
    app.add_template_global(print_panel)
    add_ward_area(
        app,
        WardArea(
            "printing.templates",
            T("Mẫu in", "Print templates"),
            T(
                "Sửa mẫu phiếu của phường/xã, xem trước từng lớp",
                "Edit the ward's forms, preview every layer",
            ),
            "ward.configure",
            order=70,
        ),
    )
    add_ward_area(
        app,
        WardArea(
            "printing.register",
            T("Sổ theo dõi hồ sơ", "Record tracking book"),
            T("In sổ theo dõi hồ sơ theo khoảng ngày", "Print the tracking book for a period"),
            "print",
            order=30,
        ),
    )


def print_panel(record: Any) -> dict[str, Any]:
    """Return what the record page's print panel shows: forms to print and the jobs so far.

    Plain data only; ``record`` is the record row (or anything with its ``code``).
    """
    tenant = g.tenant
    found = Record.get_or_none(
        Record.tenant == tenant, Record.code == getattr(record, "code", record)
    )
    if found is None:
        return {"forms": [], "jobs": [], "code": ""}
    events = list(
        RecordEvent.select()
        .where(RecordEvent.tenant == tenant, RecordEvent.record == found.id)
        .order_by(RecordEvent.seq)
    )
    forms = available_forms(events) + sorted(procedure_layers(tenant, found.notebook_version_id))
    from motcua.devices.service import deliveries_of

    rows = jobs_of(tenant, found)
    deliveries = deliveries_of(tenant, [job.id for job in rows])
    jobs = [{**_job_row(job), "delivery": deliveries.get(job.id)} for job in rows]
    return {
        "code": found.code,
        "forms": [{"form": f, "name": _form_name(f, found)} for f in forms],
        "jobs": jobs,
    }


def _standard_name(form: str) -> str:
    """The name of a standard form in the page's language (the form key for others)."""
    names = FORM_NAMES.get(form)
    if names is None:
        return form
    return names[1] if current_language() == "en" else names[0]


def _form_name(form: str, record: Record) -> str:
    if form in FORM_NAMES:
        return _standard_name(form)
    layer = procedure_layers(g.tenant, record.notebook_version_id).get(form)
    return layer.title if layer else form


def _job_row(job: Any) -> dict[str, Any]:
    return {
        "id": job.id,
        "form": job.form,
        "name": _standard_name(job.form),
        "copies": job.copies,
        "status": job.status,
        "reprint": job.reprint,
        "created_at": job.created_at,
        "created_by": job.created_by,
        "error": job.error,
        "thermal": job.paper == "thermal",
        "pdf": url_for("printing.job_pdf", job_id=job.id),
        "png": url_for("printing.job_png", job_id=job.id),
    }


def _actor() -> str:
    return g.user.login if getattr(g, "user", None) is not None else ""


@bp.post("/in/")
@requires("print")
def print_form() -> ResponseReturnValue:
    """Queue a form of a record (fields ``record``, ``form``, ``copies``), back to the record page."""
    code = request.form.get("record", "")
    print_record(
        current_ward(),
        code,
        request.form.get("form", ""),
        copies=request.form.get("copies", 1),
        actor=_actor(),
        user=g.user,
        role=g.role or "",
    )
    back = request.form.get("next", "")
    return redirect(back if back.startswith(f"/{g.tenant.slug}/") else url_for("printing.register"))


@bp.get("/in/<int:job_id>.pdf")
@requires("print")
def job_pdf(job_id: int) -> ResponseReturnValue:
    """The job's PDF (rendered now if no worker has yet)."""
    job = get_job(g.tenant, job_id)
    pdf = pdf_for(current_ward(), job)
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="in-{job.id}-{job.form}.pdf"'},
    )


@bp.get("/in/<int:job_id>.png")
@requires("print")
def job_png(job_id: int) -> ResponseReturnValue:
    """The job as the 203 dpi 1-bit image a thermal printer takes."""
    job = get_job(g.tenant, job_id)
    pdf = pdf_for(current_ward(), job)
    return Response(
        png_bytes(pdf_to_thermal(pdf)),
        mimetype="image/png",
        headers={"Content-Disposition": f'inline; filename="in-{job.id}-{job.form}.png"'},
    )


@bp.route("/in/so-theo-doi", methods=["GET", "POST"])
@requires("print")
def register() -> ResponseReturnValue:
    """The record tracking book (07): choose a period, print, download."""
    error = None
    start = _date(request.values.get("from")) or today().replace(day=1)
    end = _date(request.values.get("to")) or today()
    status = 200
    if request.method == "POST":
        try:
            job = print_register(
                current_ward(), start, end + timedelta(days=1), actor=_actor(), user=g.user
            )
            return redirect(url_for("printing.register", job=job.id))
        except UserError as exc:
            error, status = exc.text, exc.status
    jobs = [
        _job_row(job) | {"period": (job.period_start, job.period_end - timedelta(days=1))}
        for job in register_jobs(g.tenant)
    ]
    return render_template(
        "printing/register.html",
        start=start,
        end=end,
        jobs=jobs,
        error=error,
        new_job=request.args.get("job", type=int),
    ), status


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@bp.get("/mau-in/")
@requires("ward.configure")
def templates() -> ResponseReturnValue:
    """Every form with the layer in force in this ward."""
    ward = current_ward()
    rows = []
    for form in FORMS:
        stack = layer_stack(ward, form)
        rows.append(
            {
                "form": form,
                "name": _standard_name(form),
                "layer": stack[-1].layer,
                "layers": [layer.layer for layer in stack],
            }
        )
    return render_template("printing/templates.html", rows=rows, layer_names=LAYER_NAMES)


def _editable_layers() -> list[str]:
    province = g.role in ("province_admin", "platform_admin")
    return ["ward", "province"] if province else ["ward"]


def _form_or_404(form: str) -> str:
    if form not in FORMS:
        abort(404)
    return form


@bp.route("/mau-in/<form>", methods=["GET", "POST"])
@requires("ward.configure")
def edit_template(form: str) -> ResponseReturnValue:
    """Edit the ward's (or, for province admins, the province's) template of ``form``."""
    form = _form_or_404(form)
    editable = _editable_layers()
    target = request.values.get("layer", "ward")
    if target not in editable:
        target = "ward"
    stack = layer_stack(current_ward(), form)
    current = next((layer for layer in reversed(stack) if layer.layer == target), None)
    below = [layer for layer in stack if LAYERS.index(layer.layer) < LAYERS.index(target)]
    source = current.source if current is not None else below[-1].editable_source
    paper = current.paper if current is not None else FORMS[form]
    error, saved, status = None, None, 200
    if request.method == "POST":
        source = request.form.get("source", "")
        paper = request.form.get("paper", paper)
        scope = (
            {"tenant": g.tenant} if target == "ward" else {"province_code": g.tenant.province_code}
        )
        try:
            if request.form.get("action") == "reset":
                reset_override(form=form, actor=_actor(), user=g.user, **scope)
                return redirect(
                    url_for("printing.edit_template", form=form, layer=target, done="reset")
                )
            saved_layer = save_override(
                process_renderers(),
                form=form,
                source=source,
                paper=paper,
                actor=_actor(),
                user=g.user,
                **scope,
            )
            return redirect(
                url_for("printing.edit_template", form=form, layer=target, done=saved_layer.number)
            )
        except UserError as exc:
            error, status = exc, exc.status
    saved = request.args.get("done")
    return render_template(
        "printing/edit.html",
        form=form,
        name=_standard_name(form),
        stack=stack,
        target=target,
        editable=editable,
        source=source,
        paper=paper,
        papers=list(PAPERS),
        error=error,
        saved=saved,
        layer_names=LAYER_NAMES,
        has_override=current is not None,
    ), status


@bp.get("/mau-in/<form>/xem-truoc/<layer>.pdf")
@requires("ward.configure")
def preview_layer(form: str, layer: str) -> ResponseReturnValue:
    """A layer's template of ``form`` on sample data, as PDF."""
    form = _form_or_404(form)
    stack = {
        item.layer: item for item in layer_stack(current_ward(), form)
    }
    if layer not in stack:
        abort(404)
    chosen = stack[layer]
    try:
        pdf = process_renderers().render(
            form, sample_context(form), source=chosen.source, paper=chosen.paper
        )
    except UserError as exc:
        return render_template("printing/preview_failed.html", error=exc), exc.status
    return Response(pdf, mimetype="application/pdf")


@bp.post("/mau-in/<form>/xem-truoc")
@requires("ward.configure")
def preview_draft(form: str) -> ResponseReturnValue:
    """The template being edited on sample data, as PDF (the editor posts into its preview frame)."""
    form = _form_or_404(form)
    try:
        pdf = check_template(
            process_renderers(),
            form,
            request.form.get("source", ""),
            request.form.get("paper", FORMS[form]),
        )
    except UserError as exc:  # TemplateFailed included: the frame shows the line and reason
        return render_template("printing/preview_failed.html", error=exc), exc.status
    return Response(pdf, mimetype="application/pdf")
