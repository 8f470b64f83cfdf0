"""The notebook editor: a ward's procedures under ``/<slug>/quy-trinh/``.

The page is one server-rendered form (works without JavaScript: every button saves the
whole notebook, then adds, moves or deletes a cell, or publishes);
``static/notebook-editor.js`` adds the live outputs through the JSON endpoint ``chay``,
which evaluates the unsaved form with the engine. Business rules live in
:mod:`motcua.notebooks.service`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import (
    Flask,
    Response,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue

from motcua.audit import audit
from motcua.db import write_transaction
from motcua.errors import Forbidden, NotFound, UserError
from motcua.i18n import T, Text
from motcua.notebooks import (
    Notebook,
    Sample,
    add_cell,
    delete_cell,
    evaluate,
    make_cell,
    move_cell,
    service,
    unconfirmed,
    write_ipynb,
)
from motcua.notebooks.diff import diff_notebooks
from motcua.notebooks.model import CELL_KINDS, KEY_RE, PAPER_SIZES, STEP_ROLES, Cell
from motcua.notebooks.overrides import overridable_cells, override_problems
from motcua.web import notebook_form
from motcua.web.context import current_language
from motcua.web.form_render import (
    evaluation_json,
    field_view,
    render_markdown,
    values_from_json,
)
from motcua.web.heavy import heavy_slot
from motcua.web.shell import WardArea, add_ward_area
from motcua.web.tenancy import requires, tenant_blueprint
from motcua.web.ward import current_ward, ward_for

bp = tenant_blueprint("notebooks", __name__, "/quy-trinh")

KIND_NAMES = {
    "markdown": T("Hướng dẫn", "Guidance"),
    "field": T("Trường nhập", "Field"),
    "documents": T("Giấy tờ", "Documents"),
    "formula": T("Công thức", "Formula"),
    "check": T("Kiểm tra", "Check"),
    "template": T("Mẫu in", "Print template"),
    "steps": T("Các bước", "Steps"),
}
STATE_NAMES = {
    "draft": T("Bản nháp", "Draft"),
    "published": T("Đã ban hành", "Published"),
    "changed": T("Có thay đổi chưa ban hành", "Unpublished changes"),
    "inherited": T("Theo tỉnh", "From the province"),
}


def _toolkit() -> service.Toolkit:
    return current_ward().toolkit


def _is_province_admin() -> bool:
    return g.role in ("province_admin", "platform_admin")


@bp.get("/")
@requires("notebooks.view")
def index() -> ResponseReturnValue:
    """The ward's procedures: own drafts and versions, and the province's notebooks."""
    rows = service.procedures(g.tenant)
    taken = {row.key for row in rows}
    library = [nb for nb in current_ward().library_notebooks() if nb.key not in taken]
    return render_template("notebooks/index.html", rows=rows, library=library, states=STATE_NAMES)


@bp.post("/tao")
@requires("notebooks.edit")
def create() -> ResponseReturnValue:
    """Create a draft: empty, copied from the library, or editing the province's notebook."""
    source = request.form.get("source", "empty")
    key = request.form.get("key", "").strip()
    if source == "library":
        found = [nb for nb in current_ward().library_notebooks() if nb.key == key]
        if not found:
            raise NotFound(T("Thư viện không có `{key}`", "The library has no `{key}`", key=key))
        service.create_draft(g.tenant, found[0], user=g.user)
    elif source == "province":
        service.start_from_province(g.tenant, key, user=g.user)
    else:
        if not KEY_RE.fullmatch(key):
            raise UserError(
                T(
                    "Mã quy trình chỉ gồm chữ thường a–z, số và dấu `-`",
                    "The procedure key may only hold lowercase a–z, digits and `-`",
                ),
                field="key",
            )
        name = {
            "vi": request.form.get("name_vi", "").strip() or key,
            "en": request.form.get("name_en", "").strip(),
        }
        service.create_draft(g.tenant, Notebook(key=key, name=name), user=g.user)
    return redirect(url_for("notebooks.editor", key=key))


def _editor_page(
    draft: Any,
    nb: Notebook,
    *,
    status: int = 200,
    message: Text | None = None,
    problem: UserError | None = None,
    saved: bool = False,
) -> ResponseReturnValue:
    toolkit = _toolkit()
    sample_index = 0
    values = dict(nb.samples[0].values) if nb.samples else {}
    evaluation = evaluate(nb, values, toolkit.context(), field_types=toolkit.field_types)
    lang = current_language()
    widgets = {
        cell.id: field_view(
            cell.field_def(),
            toolkit.field_types,
            values.get(cell.meta["name"]),
            lang,
            evaluation.outputs.get(cell.id),
        )
        for cell in nb.cells
        if cell.kind == "field"
    }
    outputs = evaluation_json(nb, evaluation, toolkit.field_types, lang)["cells"]
    changes = service.province_changes(g.tenant, nb.key) if draft.province_based else []
    province_version = (
        service.latest_province_version(g.tenant.province_code, nb.key)
        if draft.province_based
        else None
    )
    cell_problems = _cell_problems(problem, lang)
    return render_template(
        "notebooks/editor.html",
        draft=draft,
        nb=nb,
        kinds=CELL_KINDS,
        kind_names=KIND_NAMES,
        field_types=list(toolkit.field_types),
        papers=PAPER_SIZES,
        roles=STEP_ROLES,
        widgets=widgets,
        outputs=outputs,
        sample_index=sample_index,
        forms=notebook_form,
        unconfirmed_badges=unconfirmed.badges(nb),
        message=message,
        problem=problem,
        can_edit="notebooks.edit" in g.permissions,
        can_publish="notebooks.publish" in g.permissions,
        latest=service.latest_version(g.tenant, nb.key),
        province_changes=changes,
        province_version=province_version,
        overridable=overridable_cells(province_version.notebook()) if province_version else None,
        is_province_admin=_is_province_admin(),
        markdown={c.id: render_markdown(c.source) for c in nb.cells if c.kind == "markdown"},
        cell_problems=cell_problems,
        problem_cell=next(iter(cell_problems), ""),
        just_saved=saved or message is not None,
    ), status


def _cell_problems(problem: UserError | None, lang: str) -> dict[str, str]:
    """Return a refused save's or publish's messages by cell id, the first failing cell first."""
    if problem is None:
        return {}
    found: dict[str, str] = {}
    if problem.details.get("cell_id"):
        found[problem.details["cell_id"]] = problem.text.render(lang)
    for issue in problem.details.get("issues") or []:
        message = issue["message"].get(lang) or issue["message"]["vi"]
        cell_id = issue["cell_id"]
        found[cell_id] = f"{found[cell_id]} · {message}" if cell_id in found else message
    return found


@bp.get("/<key>/")
@requires("notebooks.view")
def editor(key: str) -> ResponseReturnValue:
    """The editor page (read-only for roles that may not edit)."""
    draft = service.get_draft(g.tenant, key)
    message = T("Đã lưu", "Saved") if request.args.get("saved") else None
    if request.args.get("published"):
        message = T(
            "Đã ban hành phiên bản {n}", "Published version {n}", n=request.args["published"]
        )
    return _editor_page(draft, draft.notebook(), message=message)


def _apply_action(nb: Notebook, action: str, at: str = "") -> Notebook:
    # ``at``: where an added cell goes (0-based; the a/b keys of the editor), else the end.
    verb, _, arg = action.partition(":")
    if verb == "add" and arg in CELL_KINDS:
        source, meta = notebook_form.new_cell_meta(nb, arg)
        cell = make_cell(nb, arg, meta, source)
        added = add_cell(nb, cell)
        return move_cell(added, cell.id, int(at)) if at.isdigit() else added
    if verb in ("up", "down"):
        index = (
            [cell.id for cell in nb.cells].index(arg) if arg in {c.id for c in nb.cells} else None
        )
        if index is None:
            raise NotFound(T("Không có ô `{id}`", "There is no cell `{id}`", id=arg))
        return move_cell(nb, arg, index - 1 if verb == "up" else index + 1)
    if verb == "delete":
        return delete_cell(nb, arg)
    if verb == "add_sample":
        values = dict(nb.samples[-1].values) if nb.samples else {}
        sample = Sample(f"Mẫu {len(nb.samples) + 1}", values, True)
        return replace(nb, samples=(*nb.samples, sample))
    if verb == "delete_sample" and arg.isdigit() and int(arg) < len(nb.samples):
        index = int(arg)
        return replace(nb, samples=nb.samples[:index] + nb.samples[index + 1 :])
    return nb


@bp.post("/<key>/")
@requires("notebooks.edit")
def save(key: str) -> ResponseReturnValue:
    """Save the whole form, then do the button's action (add/move/delete a cell, publish)."""
    draft = service.get_draft(g.tenant, key)
    action = request.form.get("action", "save")
    try:
        lock_version = int(request.form.get("lock_version", ""))
    except ValueError:
        raise UserError(
            T("Thiếu số phiên bản bản nháp", "The draft's lock version is missing")
        ) from None
    try:
        nb = notebook_form.notebook_from_form(request.form, draft.notebook())
        verb, _, arg = action.partition(":")
        confirmed = None
        if verb == "confirm":
            nb, confirmed = unconfirmed.confirm(nb, int(arg) if arg.isdigit() else -1)
        else:
            nb = _apply_action(nb, action, request.form.get("at", ""))
        with write_transaction():
            draft = service.save_draft(g.tenant, key, nb, lock_version=lock_version, user=g.user)
            if confirmed is not None:  # who confirmed which legal value, with the save
                audit("notebooks.confirm", tenant=g.tenant, user=g.user, target=key, note=confirmed)
    except UserError as error:
        current = service.get_draft(g.tenant, key)
        return _editor_page(current, current.notebook(), status=error.status, problem=error)
    if action != "publish":
        anchor = action.partition(":")[2]
        return redirect(
            url_for("notebooks.editor", key=key, saved=1) + (f"#cell-{anchor}" if anchor else "")
        )
    if "notebooks.publish" not in g.permissions:
        raise Forbidden(T("Vai trò của bạn không được ban hành", "Your role may not publish"))
    try:
        if request.form.get("scope") == "province" and _is_province_admin():
            version = service.publish_province(
                g.tenant.province_code,
                nb,
                toolkit=_toolkit(),
                user=g.user,
                confirm_orphans=bool(request.form.get("confirm_orphans")),
            )
        else:
            version = service.publish(
                g.tenant,
                key,
                toolkit=_toolkit(),
                user=g.user,
                confirm_orphans=bool(request.form.get("confirm_orphans")),
            )
    except UserError as error:
        # The form was saved before publishing was refused: the page shows the saved draft.
        return _editor_page(draft, draft.notebook(), status=error.status, problem=error, saved=True)
    return redirect(url_for("notebooks.editor", key=key, published=version.number))


@bp.post("/<key>/khac-biet")
@requires("notebooks.publish")
def publish_preview(key: str) -> ResponseReturnValue:
    """What publishing the editor's form would change from the version in use: the
    cell-by-cell changes as an HTML fragment, for the publish confirmation."""
    draft = service.get_draft(g.tenant, key)
    nb = notebook_form.notebook_from_form(request.form, draft.notebook())
    latest = service.latest_version(g.tenant, key)
    before = latest.notebook() if latest is not None else replace(nb, cells=())
    changes = diff_notebooks(before, nb)
    return render_template(
        "notebooks/_publish_preview.html", changes=changes, latest=latest, nb=nb, forms=notebook_form
    )


@bp.post("/<key>/chay")
@requires("notebooks.edit")
def run(key: str) -> ResponseReturnValue:
    """Evaluate the editor's unsaved form on a sample's values; return every cell's output.

    ``values`` (JSON) overrides the sample's values; ``widgets=1`` adds each field's input
    HTML; ``all=1`` adds the static checks and every sample's result (and, for a ward's
    override of a province notebook, the changes the province does not allow);
    ``only=<cell id>`` answers with that cell's output alone ("run cell").
    """
    draft = service.get_draft(g.tenant, key)
    toolkit = _toolkit()
    lang = current_language()
    try:
        nb = notebook_form.notebook_from_form(request.form, draft.notebook())
    except UserError as error:
        body = error.as_dict()
        body["error"]["text"] = error.text.render(lang)
        return jsonify(body), 422
    index = request.form.get("run_sample", "0")
    sample = nb.samples[int(index)] if index.isdigit() and int(index) < len(nb.samples) else None
    values = (
        values_from_json(request.form.get("values"))
        if request.form.get("values")
        else (dict(sample.values) if sample else {})
    )
    with heavy_slot():
        return _run_answer(draft, nb, values, toolkit, lang)


def _run_answer(draft: Any, nb: Notebook, values: dict[str, Any], toolkit: service.Toolkit,
                lang: str) -> ResponseReturnValue:
    evaluation = evaluate(nb, values, toolkit.context(), field_types=toolkit.field_types)
    body = evaluation_json(nb, evaluation, toolkit.field_types, lang)
    if request.form.get("widgets") == "1":
        body["widgets"] = {
            cell.id: render_template(
                "notebooks/_widget.html",
                f=field_view(
                    cell.field_def(),
                    toolkit.field_types,
                    values.get(cell.meta["name"]),
                    lang,
                    evaluation.outputs.get(cell.id),
                ),
            )
            for cell in nb.cells
            if cell.kind == "field"
        }
    body["markdown"] = {
        cell.id: str(render_markdown(cell.source)) for cell in nb.cells if cell.kind == "markdown"
    }
    if request.form.get("all") == "1":
        ready = service.readiness(nb, toolkit)
        refused = _refused_overrides(draft, nb)
        body["readiness"] = {
            "ok": ready.ok and not refused,
            "issues": [
                {"cell_id": i.cell_id, "message": i.text.render(lang)} for i in ready.issues
            ]
            + [{"cell_id": r.cell_id, "message": r.text.render(lang)} for r in refused],
            "samples": [
                {
                    "name": r.name,
                    "passed": r.passed,
                    "failures": [f.render(lang) for f in r.failures],
                }
                for r in ready.samples
            ],
        }
    only = request.form.get("only", "")
    if only:
        for part in ("cells", "widgets", "markdown"):
            if part in body:
                body[part] = {k: v for k, v in body[part].items() if k == only}
        body["issues"] = [i for i in body["issues"] if i["cell_id"] == only]
        body["only"] = only
    return jsonify(body)


def _refused_overrides(draft: Any, nb: Notebook) -> list[Any]:
    if not draft.province_based:
        return []
    province_version = service.latest_province_version(g.tenant.province_code, nb.key)
    return override_problems(province_version.notebook(), nb) if province_version else []


@bp.post("/<key>/danh-gia")
@requires("notebooks.view")
def live_evaluate(key: str) -> ResponseReturnValue:
    """Evaluate the procedure's published form (``?draft=1``: the saved draft) on JSON
    ``{"values": {...}}``; return each cell's output, the errors and validity."""
    toolkit = _toolkit()
    if request.args.get("draft") == "1":
        nb = service.get_draft(g.tenant, key).notebook()
    else:
        nb = service.effective_version(g.tenant, key).notebook()
    payload = request.get_json(silent=True) or {}
    values = payload.get("values") if isinstance(payload.get("values"), dict) else {}
    evaluation = evaluate(nb, values, toolkit.context(), field_types=toolkit.field_types)
    return jsonify(evaluation_json(nb, evaluation, toolkit.field_types, current_language()))


def _template_cell(nb: Notebook, cell_id: str) -> Cell:
    found = [cell for cell in nb.cells if cell.id == cell_id]
    if not found or found[0].kind != "template":
        raise NotFound(
            T("Ô `{id}` không phải mẫu in", "Cell `{id}` is not a print template", id=cell_id),
            cell_id=cell_id,
        )
    return found[0]


def _sample_values(nb: Notebook, index: str) -> dict[str, Any]:
    sample = nb.samples[int(index)] if index.isdigit() and int(index) < len(nb.samples) else None
    return dict(sample.values) if sample else {}


def _preview_pdf(key: str, nb: Notebook, cell: Cell, values: dict[str, Any]) -> Response:
    """Return the PDF of ``cell`` filled with ``nb`` evaluated on ``values``, rendered in the
    process's sandbox; raises TemplateFailed (line and reason) or UserError."""
    from motcua.printing.runtime import process_renderers

    toolkit = _toolkit()
    with heavy_slot():
        evaluation = evaluate(nb, values, toolkit.context(), field_types=toolkit.field_types)
        context = _preview_context(nb, evaluation)
        pdf = process_renderers().sandbox.render_user_template(
            cell.source, context, cell.meta.get("paper", "A4")
        )
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{key}-{cell.id}.pdf"'},
    )


def _preview_context(nb: Notebook, evaluation: Any) -> dict[str, Any]:
    return {
        **evaluation.values,
        "ten_thu_tuc": nb.name["vi"],
        "record": {
            "code": "XEM-THU",
            "procedure_name": nb.name["vi"],
            "procedure_code": nb.national_code,
        },
        "agency": {"name": g.tenant.name, "place": g.tenant.name, "code": g.tenant.agency_code},
    }


@bp.get("/<key>/mau-in/<cell_id>")
@requires("notebooks.edit")
def template_preview(key: str, cell_id: str) -> ResponseReturnValue:
    """The PDF preview of a template cell of the saved draft, filled with a sample's values."""
    nb = service.get_draft(g.tenant, key).notebook()
    cell = _template_cell(nb, cell_id)
    return _preview_pdf(key, nb, cell, _sample_values(nb, request.args.get("sample", "0")))


@bp.post("/<key>/mau-in/<cell_id>")
@requires("notebooks.edit")
def template_preview_unsaved(key: str, cell_id: str) -> ResponseReturnValue:
    """The PDF preview of the editor's UNSAVED template cell on the chosen sample's values.

    Takes the editor form (like ``chay``: ``run_sample``, optional ``values`` JSON).
    Answers the PDF, or JSON 422 ``{"error": {"text", "line", "cell_id"}}`` when the
    form or the template fails (the line and reason of the template error).
    """
    draft = service.get_draft(g.tenant, key)
    lang = current_language()
    try:
        nb = notebook_form.notebook_from_form(request.form, draft.notebook())
        cell = _template_cell(nb, cell_id)
        values = (
            values_from_json(request.form.get("values"))
            if request.form.get("values")
            else _sample_values(nb, request.form.get("run_sample", "0"))
        )
        return _preview_pdf(key, nb, cell, values)
    except UserError as error:
        body = error.as_dict()
        body["error"].setdefault("cell_id", cell_id)
        body["error"]["text"] = error.text.render(lang)
        return jsonify(body), error.status if error.status >= 400 else 422


@bp.get("/<key>/tai-ve")
@requires("notebooks.view")
def download(key: str) -> ResponseReturnValue:
    """The saved draft as an ``.ipynb`` file."""
    nb = service.get_draft(g.tenant, key).notebook()
    return Response(
        write_ipynb(nb),
        mimetype="application/x-ipynb+json",
        headers={"Content-Disposition": f'attachment; filename="{key}.ipynb"'},
    )


@bp.get("/<key>/phien-ban")
@requires("notebooks.view")
def version_list(key: str) -> ResponseReturnValue:
    """Every published version, newest first, with links to diffs and rollback."""
    rows = service.versions(g.tenant, key)
    if not rows:
        service.get_draft(g.tenant, key)
    return render_template(
        "notebooks/versions.html",
        key=key,
        versions=rows,
        can_publish="notebooks.publish" in g.permissions,
    )


@bp.get("/<key>/phien-ban/<int:old>/<int:new>")
@requires("notebooks.view")
def version_diff(key: str, old: int, new: int) -> ResponseReturnValue:
    """The cell-by-cell changes from version ``old`` to ``new``."""
    changes = service.version_diff(g.tenant, key, old, new)
    return render_template(
        "notebooks/diff.html", key=key, old=old, new=new, changes=changes, kind_names=KIND_NAMES
    )


@bp.post("/<key>/phien-ban/<int:number>/khoi-phuc")
@requires("notebooks.publish")
def rollback(key: str, number: int) -> ResponseReturnValue:
    """Republish version ``number`` as a new version."""
    version = service.rollback(
        g.tenant,
        key,
        number,
        toolkit=_toolkit(),
        user=g.user,
        confirm_orphans=bool(request.form.get("confirm_orphans")),
    )
    return redirect(url_for("notebooks.editor", key=key, published=version.number))


def _seed_library(app: Flask) -> None:
    """``motcua demo``: import and publish the plugins' library notebooks for every ward."""
    from motcua.tenancy.models import Tenant

    for tenant in Tenant.select().where(Tenant.active == True):  # noqa: E712
        ward = ward_for(app, tenant)
        for nb in ward.library_notebooks():
            if service.find_draft(tenant, nb.key) is None:
                service.create_draft(tenant, nb, actor="demo")
                service.publish(tenant, nb.key, toolkit=ward.toolkit, actor="demo")


def init_notebooks(app: Flask) -> None:
    """Register the editor, the ward-home tile and the demo seeder on ``app``."""
    from motcua.web import notebook_import  # noqa: F401 - adds the file upload route to bp

    app.register_blueprint(bp)
    add_ward_area(
        app,
        WardArea(
            "notebooks.index",
            T("Quy trình thủ tục", "Procedure notebooks"),
            T("Soạn, thử và ban hành biểu mẫu", "Build, test and publish forms"),
            "notebooks.edit",
            order=60,
        ),
    )
    app.extensions.setdefault("motcua.demo_seeders", []).append(_seed_library)
