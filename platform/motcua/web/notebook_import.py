"""Upload a notebook file into the ward: ``.ipynb`` (nbformat v4) or an XLSForm ``.xlsx``.

The file becomes the ward's draft of its procedure (publishing stays a separate, checked
step). A bad file is refused with the engine's message naming the cell or the sheet and
row, and nothing is written.
"""

from __future__ import annotations

import io
import zipfile

from flask import g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from motcua.errors import UserError
from motcua.i18n import T
from motcua.notebooks import Notebook, read_ipynb, read_xlsform
from motcua.notebooks.service import import_notebook
from motcua.web.notebooks import bp
from motcua.web.tenancy import requires

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def read_upload(filename: str, data: bytes) -> Notebook:
    """Return the notebook in an uploaded file, chosen by its content, not only its name.

    :raises UserError: the file is empty, too large, of another kind, or not a valid
        notebook (the message names the cell, or the sheet and row).
    """
    if not data:
        raise UserError(
            T("Chưa chọn tệp hoặc tệp rỗng", "No file chosen, or the file is empty"), field="file"
        )
    if len(data) > MAX_UPLOAD_BYTES:
        raise UserError(
            T("Tệp quá lớn (tối đa 5 MB)", "The file is too large (5 MB at most)"), field="file"
        )
    name = filename.lower()
    if name.endswith((".xlsx", ".xlsm")) and zipfile.is_zipfile(io.BytesIO(data)):
        return read_xlsform(io.BytesIO(data))
    if name.endswith(".ipynb") and data.lstrip()[:1] == b"{":
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise UserError(
                T("Tệp .ipynb phải mã hoá UTF-8", "An .ipynb file must be UTF-8"), field="file"
            ) from exc
        return read_ipynb(text)
    raise UserError(
        T(
            "Chỉ nhận tệp notebook .ipynb hoặc bảng XLSForm .xlsx",
            "Only .ipynb notebooks or XLSForm .xlsx workbooks are accepted",
        ),
        field="file",
    )


@bp.post("/nhap-tep")
@requires("notebooks.edit")
def upload() -> ResponseReturnValue:
    """Import an uploaded ``.ipynb`` or ``.xlsx`` as the ward's draft and open the editor."""
    upload_file = request.files.get("file")
    try:
        nb = read_upload(
            upload_file.filename or "" if upload_file else "",
            upload_file.read() if upload_file else b"",
        )
        import_notebook(g.tenant, nb, user=g.user, actor=g.user.login)
    except UserError as problem:
        return render_template(
            "error.html", message=problem.text, status=422, details=problem.details
        ), 422
    return redirect(url_for("notebooks.editor", key=nb.key))
