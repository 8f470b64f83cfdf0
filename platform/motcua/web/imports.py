"""The ward admin's import page: an old system's records, checked first, then imported.

``GET /<ward>/nhap-ho-so/`` shows the upload form; ``POST`` keeps the file under the
ward's data folder (named by its SHA-256) and shows what a dry run found: how many
records would come in, which are already there, every refused row with its line, column
and reason. ``POST /<ward>/nhap-ho-so/<digest>`` imports that same file for real, as
``motcua records import`` does (docs/import.md), and removes it.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from flask import Flask, current_app, g, render_template, request
from flask.typing import ResponseReturnValue

from motcua.errors import NotFound, UserError
from motcua.i18n import T, Text
from motcua.records.importing import ImportReport, import_records
from motcua.web.shell import WardArea, add_ward_area
from motcua.web.tenancy import requires, tenant_blueprint
from motcua.web.ward import current_ward

bp = tenant_blueprint("imports", __name__, "/nhap-ho-so")
AREA = WardArea(
    "imports.form",
    T("Nhập hồ sơ từ hệ thống cũ", "Import records from an old system"),
    T(
        "Đưa hồ sơ đang xử lý của đơn vị cũ vào phường, xã mới",
        "Bring the old units' open dossiers into the new ward",
    ),
    "ward.configure",
    order=85,
)
_SUFFIXES = (".csv", ".xlsx")
_STORED = re.compile(r"^[0-9a-f]{64}\.(csv|xlsx)$")
PREVIEW_ROWS = 20


def _folder() -> Path:
    return current_app.extensions["motcua.settings"].data_dir / "imports" / g.tenant.code


@bp.get("/")
@requires("ward.configure")
def form() -> ResponseReturnValue:
    """The upload form."""
    return render_template("imports/form.html", problem=None)


@bp.post("/")
@requires("ward.configure")
def preview() -> ResponseReturnValue:
    """Keep the uploaded file and show what importing it would do (nothing is written)."""
    upload = request.files.get("file")
    name = Path(upload.filename or "").name if upload else ""
    if not upload or not name:
        return _problem(T("Chọn tệp CSV hoặc XLSX", "Choose a CSV or XLSX file"))
    suffix = Path(name).suffix.lower()
    if suffix not in _SUFFIXES:
        return _problem(T("Chỉ nhận tệp .csv hoặc .xlsx", "Only .csv or .xlsx files are accepted"))
    data = upload.read()
    stored = f"{hashlib.sha256(data).hexdigest()}{suffix}"
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / stored
    if not path.exists():
        partial = path.with_suffix(".part")
        partial.write_bytes(data)
        partial.replace(path)
    strict = request.form.get("strict") == "1"
    try:
        report = import_records(
            current_ward(), path, actor=g.user.login, dry_run=True, strict=strict
        )
    except UserError as failed:
        path.unlink(missing_ok=True)
        return _problem(failed.text)
    report.file = name
    return render_template(
        "imports/preview.html",
        report=report,
        stored=stored,
        strict=strict,
        preview_rows=PREVIEW_ROWS,
    )


@bp.post("/<stored>")
@requires("ward.configure")
def run(stored: str) -> ResponseReturnValue:
    """Import the file the preview checked; show the result."""
    path = _folder() / stored
    if not _STORED.match(stored) or not path.is_file():
        raise NotFound(
            T(
                "Không còn tệp đã kiểm tra: hãy tải tệp lên lại",
                "The checked file is gone: upload it again",
            )
        )
    strict = request.form.get("strict") == "1"
    report: ImportReport = import_records(current_ward(), path, actor=g.user.login, strict=strict)
    report.file = request.form.get("name", "")[:200] or stored
    path.unlink(missing_ok=True)
    return render_template("imports/done.html", report=report, strict=strict)


def _problem(text: Text) -> ResponseReturnValue:
    return render_template("imports/form.html", problem=text), 400


def init_imports(app: Flask) -> None:
    """Register the import pages on ``app``."""
    app.register_blueprint(bp)
    add_ward_area(app, AREA)
