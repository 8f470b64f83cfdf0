"""Which template prints a form: the layers, from the built-in default up.

A form resolves, lowest first: the ``builtin`` template shipped with motcua, a
``plugin``'s template (of the plugins enabled in the ward), the ``province`` override, the
``ward`` override, and the ``procedure``'s template cell of the record's pinned notebook
version. The highest layer present prints. Every layer but the built-in one is an
untrusted template: it is checked in the sandbox on sample data before it is saved, and
renders in the sandbox. Overrides are versioned rows; the content hash a print job keeps
finds the exact source again.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from peewee import fn

from motcua.audit import audit
from motcua.db import write_transaction
from motcua.errors import NotFound, UserError
from motcua.i18n import T
from motcua.printing.contexts import FORM_NAMES
from motcua.printing.models import ProvinceTemplate, WardTemplate
from motcua.printing.render import FORMS, PAPERS, TEMPLATES_DIR
from motcua.printing.runtime import Renderers
from motcua.printing.samples import sample_context

if TYPE_CHECKING:
    from motcua.ward import WardContext

LAYERS = ("builtin", "plugin", "province", "ward", "procedure")
LAYER_NAMES = {
    "builtin": ("Mẫu chuẩn", "Built-in"),
    "plugin": ("Tiện ích mở rộng", "Plugin"),
    "province": ("Mẫu của tỉnh", "Province"),
    "ward": ("Mẫu của phường/xã", "Ward"),
    "procedure": ("Mẫu của thủ tục", "Procedure"),
}
MAX_SOURCE_CHARS = 200_000
_CELL_PAPERS = {"80mm": "thermal"}
_MACRO_CALL = re.compile(r"\bm\.(\w+)\(")
_BLOCK = re.compile(r"{%\s*block\s+(\w+)\s*%}(.*?){%\s*endblock\s*%}", re.S)


@dataclass(frozen=True)
class Layer:
    """One layer's template of a form. ``source`` is None for the built-in template
    (rendered by the trusted renderer); ``number`` is the override's version."""

    layer: str
    form: str
    source: str | None
    paper: str
    content_hash: str
    title: str = ""
    number: int | None = None

    @property
    def editable_source(self) -> str:
        """Return the source an editor starts from (a self-contained built-in for ``builtin``)."""
        return self.source if self.source is not None else standalone_source(self.form)


def content_hash(source: str, paper: str) -> str:
    """Return the sha256 of a template and its paper."""
    return hashlib.sha256(f"{paper}\n{source}".encode()).hexdigest()


def standalone_source(form: str) -> str:
    """Return the built-in template of ``form`` as one self-contained sandbox template.

    Built-in templates extend ``base.html`` and import ``_macros.html``; user templates
    may do neither, so the macros are written in and the blocks filled into the base.
    This is the starting point of the template editor.
    """
    own = (TEMPLATES_DIR / f"{form}.html").read_text(encoding="utf-8")
    macros = (TEMPLATES_DIR / "_macros.html").read_text(encoding="utf-8")
    page = (TEMPLATES_DIR / "base.html").read_text(encoding="utf-8")
    blocks = dict(_BLOCK.findall(own))
    page = _BLOCK.sub(lambda match: _MACRO_CALL.sub(r"\1(", blocks.get(match.group(1), "")), page)
    uses_macros = "import" in own.split("{% block", 1)[0]
    return (macros.rstrip() + "\n" + page) if uses_macros else page


def builtin_layer(form: str) -> Layer:
    """Return the built-in layer of ``form``.

    :raises NotFound: ``form`` is not a built-in form.
    """
    if form not in FORMS:
        raise NotFound(
            T("Không có mẫu in {form}.", "There is no print form {form}.", form=form), form=form
        )
    files = (
        TEMPLATES_DIR / f"{form}.html",
        TEMPLATES_DIR / "_macros.html",
        TEMPLATES_DIR / "base.html",
    )
    text = "\n".join(path.read_text(encoding="utf-8") for path in files)
    return Layer(
        "builtin", form, None, FORMS[form], content_hash(text, FORMS[form]), FORM_NAMES[form][0]
    )


def plugin_layers(ward: WardContext) -> dict[str, Layer]:
    """Return ``{form: layer}`` of the plugin templates enabled in the ward (the last
    registered wins)."""
    found = {}
    for template in ward.print_templates():
        paper = template.paper if template.paper in PAPERS else "A4"
        found[template.form] = Layer(
            "plugin",
            template.form,
            template.source,
            paper,
            content_hash(template.source, paper),
            template.name.vi,
        )
    return found


def _override_layer(layer: str, row: Any) -> Layer | None:
    if row is None or row.retired:
        return None
    return Layer(
        layer,
        row.form,
        row.source,
        row.paper,
        row.content_hash,
        FORM_NAMES.get(row.form, ("",))[0],
        row.number,
    )


def province_row(province_code: str, form: str) -> ProvinceTemplate | None:
    """Return the latest province override row of ``form`` (retired or not), or None."""
    return (
        ProvinceTemplate.select()
        .where(ProvinceTemplate.province == province_code, ProvinceTemplate.form == form)
        .order_by(ProvinceTemplate.number.desc())
        .first()
    )


def ward_row(tenant: Any, form: str) -> WardTemplate | None:
    """Return the latest ward override row of ``form`` (retired or not), or None."""
    return (
        WardTemplate.select()
        .where(WardTemplate.tenant == tenant, WardTemplate.form == form)
        .order_by(WardTemplate.number.desc())
        .first()
    )


def procedure_layers(tenant: Any, notebook_version_id: int | None) -> dict[str, Layer]:
    """Return ``{form: layer}`` of the template cells of a pinned notebook version."""
    from motcua.notebooks.store import NotebookVersion

    if not notebook_version_id:
        return {}
    version = NotebookVersion.get_or_none(
        NotebookVersion.tenant == tenant, NotebookVersion.id == notebook_version_id
    )
    if version is None:
        return {}
    found = {}
    for cell in version.notebook().cells:
        if cell.kind != "template" or not cell.name:
            continue
        paper = _CELL_PAPERS.get(cell.meta.get("paper"), cell.meta.get("paper") or "A4")
        paper = paper if paper in PAPERS else "A4"
        title = (cell.meta.get("title") or {}).get("vi", cell.name)
        found[cell.name] = Layer(
            "procedure", cell.name, cell.source, paper, content_hash(cell.source, paper), title
        )
    return found


def layer_stack(
    ward: WardContext, form: str, *, notebook_version_id: int | None = None
) -> list[Layer]:
    """Return every layer ``form`` has in the ward, lowest first; the last one prints.

    :raises NotFound: no layer knows ``form``.
    """
    tenant = ward.tenant
    stack = [builtin_layer(form)] if form in FORMS else []
    plugin = plugin_layers(ward).get(form)
    province = _override_layer("province", province_row(tenant.province_code, form))
    own = _override_layer("ward", ward_row(tenant, form))
    procedure = procedure_layers(tenant, notebook_version_id).get(form)
    stack += [layer for layer in (plugin, province, own, procedure) if layer is not None]
    if not stack:
        raise NotFound(
            T("Không có mẫu in {form}.", "There is no print form {form}.", form=form), form=form
        )
    return stack


def resolve(ward: WardContext, form: str, *, notebook_version_id: int | None = None) -> Layer:
    """Return the layer that prints ``form`` in the ward (see :func:`layer_stack`)."""
    return layer_stack(ward, form, notebook_version_id=notebook_version_id)[-1]


def find_layer(
    ward: WardContext,
    form: str,
    layer: str,
    wanted_hash: str,
    *,
    notebook_version_id: int | None = None,
) -> Layer:
    """Return the template a print job recorded: ``layer`` of ``form`` with ``wanted_hash``.

    Override rows are found by hash even after a newer version was saved. The built-in,
    plugin and procedure layers are looked up as they are now (a pinned notebook version
    does not change; the built-in one changes only with an upgrade).

    :raises NotFound: the layer no longer has a template for ``form``.
    """
    tenant = ward.tenant
    if layer == "ward":
        row = WardTemplate.get_or_none(
            WardTemplate.tenant == tenant,
            WardTemplate.form == form,
            WardTemplate.content_hash == wanted_hash,
        )
        if row is not None:
            return Layer("ward", form, row.source, row.paper, row.content_hash, number=row.number)
    elif layer == "province":
        row = ProvinceTemplate.get_or_none(
            ProvinceTemplate.province == tenant.province_code,
            ProvinceTemplate.form == form,
            ProvinceTemplate.content_hash == wanted_hash,
        )
        if row is not None:
            return Layer(
                "province", form, row.source, row.paper, row.content_hash, number=row.number
            )
    for candidate in layer_stack(ward, form, notebook_version_id=notebook_version_id):
        if candidate.layer == layer:
            return candidate
    raise NotFound(
        T(
            "Mẫu in {form} ({layer}) không còn.",
            "Print template {form} ({layer}) no longer exists.",
            form=form,
            layer=layer,
        ),
        form=form,
    )


def check_template(renderers: Renderers, form: str, source: str, paper: str) -> bytes:
    """Render ``source`` on the sample data of ``form`` in the sandbox; return the PDF.

    :raises TemplateFailed: the template fails (the message names the line) or runs too long.
    :raises UserError: unknown paper, or the template is empty or too long.
    """
    if paper not in PAPERS:
        raise UserError(
            T(
                "Khổ giấy {paper} không được hỗ trợ; chọn một trong: {known}.",
                "Paper {paper} is not supported; choose one of: {known}.",
                paper=paper,
                known=", ".join(PAPERS),
            ),
            field="paper",
        )
    if not source.strip():
        raise UserError(T("Mẫu in đang trống.", "The template is empty."), field="source")
    if len(source) > MAX_SOURCE_CHARS:
        raise UserError(
            T(
                "Mẫu in quá dài (tối đa {n} ký tự).",
                "The template is too long (at most {n} characters).",
                n=f"{MAX_SOURCE_CHARS:,}",
            ),
            field="source",
        )
    return renderers.render(
        form, sample_context(form if form in FORMS else "01"), source=source, paper=paper
    )


def save_override(
    renderers: Renderers,
    *,
    form: str,
    source: str,
    paper: str,
    actor: str,
    tenant: Any = None,
    province_code: str | None = None,
    user: Any = None,
) -> Layer:
    """Check ``source`` in the sandbox, then save it as the ward's (``tenant``) or the
    province's (``province_code``) new version of ``form``; return the new layer.

    :raises TemplateFailed: the template fails on sample data: nothing is saved.
    :raises UserError: unknown form or paper.
    """
    _known_form(form)
    source = source.replace("\r\n", "\n")
    check_template(renderers, form, source, paper)
    return _write(
        form=form,
        source=source,
        paper=paper,
        retired=False,
        actor=actor,
        tenant=tenant,
        province_code=province_code,
        user=user,
    )


def reset_override(
    *, form: str, actor: str, tenant: Any = None, province_code: str | None = None, user: Any = None
) -> None:
    """Hand ``form`` back to the layer below (a retired version is written, history kept)."""
    _known_form(form)
    _write(
        form=form,
        source="",
        paper=FORMS[form],
        retired=True,
        actor=actor,
        tenant=tenant,
        province_code=province_code,
        user=user,
    )


def _known_form(form: str) -> None:
    if form not in FORMS:
        raise NotFound(
            T("Không có mẫu in {form}.", "There is no print form {form}.", form=form), form=form
        )


def _write(
    *,
    form: str,
    source: str,
    paper: str,
    retired: bool,
    actor: str,
    tenant: Any,
    province_code: str | None,
    user: Any,
) -> Layer:
    digest = content_hash(source, paper)
    if tenant is not None:
        model, owner = WardTemplate, {"tenant": tenant}
        layer, audit_tenant, target = "ward", tenant, f"{tenant.code}:{form}"
    else:
        model, owner = ProvinceTemplate, {"province": province_code}
        layer, audit_tenant, target = "province", None, f"{province_code}:{form}"
    scope = [getattr(model, key) == value for key, value in owner.items()]
    with write_transaction():
        # Versions are numbered per owner and form; rows are never updated.
        latest = model.select(fn.MAX(model.number)).where(*scope, model.form == form).scalar()
        number = (latest or 0) + 1
        model.create(
            **owner,
            form=form,
            number=number,
            source=source,
            paper=paper,
            content_hash=digest,
            retired=retired,
            created_by=actor,
        )
        audit(
            "print.template_reset" if retired else "print.template_saved",
            tenant=audit_tenant,
            user=user,
            actor=actor,
            target=target,
            layer=layer,
            form=form,
            number=number,
            content_hash=digest,
        )
    return Layer(layer, form, source, paper, digest, FORM_NAMES[form][0], number)
