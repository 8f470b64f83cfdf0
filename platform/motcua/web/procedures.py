"""The staff catalogue of published procedures: ``/<slug>/thu-tuc/`` and the live form.

The form is drawn by ``_form_fields.html`` from the effective published version; as staff
type, ``static/form-live.js`` posts the values to ``notebooks.live_evaluate`` and shows
what the server's evaluator says (visibility, computed values, errors).
"""

from __future__ import annotations

from flask import Flask, g, render_template, request
from flask.typing import ResponseReturnValue

from motcua.i18n import T
from motcua.notebooks import evaluate, service
from motcua.units.text import fold
from motcua.web.context import current_language
from motcua.web.form_render import form_view
from motcua.web.shell import WardArea, add_ward_area
from motcua.web.tenancy import requires, tenant_blueprint
from motcua.web.ward import current_ward

bp = tenant_blueprint("procedures", __name__, "/thu-tuc")


@bp.get("/")
@requires("notebooks.view")
def index() -> ResponseReturnValue:
    """Published procedures, searchable by name (with or without tones) or national code."""
    query = request.args.get("q", "").strip()
    rows = [row for row in service.procedures(g.tenant) if row.published]
    if query:
        wanted = fold(query)
        rows = [
            row
            for row in rows
            if wanted in fold(row.name["vi"])
            or wanted in fold(row.name.get("en", ""))
            or query in (row.national_code or "")
            or wanted in row.key
        ]
    return render_template("procedures/index.html", rows=rows, query=query)


@bp.get("/<key>")
@requires("notebooks.view")
def form(key: str) -> ResponseReturnValue:
    """The procedure's live form, as the counter fills it in."""
    version = service.effective_version(g.tenant, key)
    nb = version.notebook()
    toolkit = current_ward().toolkit
    evaluation = evaluate(nb, {}, toolkit.context(), field_types=toolkit.field_types)
    view = form_view(nb, evaluation, toolkit.field_types, current_language())
    return render_template("procedures/form.html", nb=nb, version=version, view=view)


def init_procedures(app: Flask) -> None:
    """Register the catalogue and its ward-home tile on ``app``."""
    app.register_blueprint(bp)
    add_ward_area(
        app,
        WardArea(
            "procedures.index",
            T("Thủ tục", "Procedures"),
            T("Tra cứu thủ tục và điền biểu mẫu", "Find a procedure and fill in its form"),
            "notebooks.view",
            order=20,
        ),
    )
