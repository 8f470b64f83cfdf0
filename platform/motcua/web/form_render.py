"""A notebook's form as staff see it: views for the ``_form_fields.html`` macros, the JSON
of a live evaluation, and reading submitted HTML form data back into raw values.

Shared by the notebook editor (field outputs), the procedure catalogue and reception.
Everything shown is computed by the server's evaluator; the browser only sends values.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from motcua.errors import UserError
from motcua.i18n import T, Text
from motcua.notebooks import (
    CheckOutput,
    DocumentsOutput,
    Evaluation,
    FieldDef,
    FieldOutput,
    FieldTypeRegistry,
    FormulaOutput,
    Notebook,
    StepsOutput,
)
from motcua.notebooks.field_parsers import parse_address
from motcua.text_input import check_tree
from motcua.units import full_address, province, ward

FORM_NAMES = {
    "original": T("Bản chính", "Original"),
    "certified_copy": T("Bản sao chứng thực", "Certified copy"),
    "copy": T("Bản sao", "Copy"),
    "original_or_certified_copy": T(
        "Bản chính hoặc bản sao chứng thực", "Original or certified copy"
    ),
    "shown": T("Xuất trình", "Shown only"),
}
ROLE_NAMES = {
    "staff": T("Cán bộ một cửa", "Counter staff"),
    "ward_admin": T("Quản trị", "Ward admin"),
    "leader": T("Lãnh đạo ký", "Leader signs"),
    "specialist": T("Chuyên viên", "Specialist"),
}
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False})


def render_markdown(source: str) -> Markup:
    """Return guidance Markdown as sanitized HTML (no raw HTML, scripts or event handlers)."""
    return Markup(nh3.clean(_markdown.render(source or "")))  # noqa: S704 - sanitized by nh3


def display_value(value: Any, lang: str = "vi") -> str:
    """Return ``value`` as people read it: 12.000, 1,5, 02/03/2026, Có/Không, —."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return T("Có", "Yes").render(lang) if value else T("Không", "No").render(lang)
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    if isinstance(value, Decimal | float):
        text = f"{Decimal(str(value)).normalize():f}"
        whole, _, frac = text.partition(".")
        whole = f"{int(whole):,}".replace(",", ".") if whole.lstrip("-").isdigit() else whole
        return f"{whole},{frac}" if frac else whole
    if isinstance(value, datetime):
        return value.strftime("%H:%M %d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, list):
        return ", ".join(display_value(item, lang) for item in value)
    if isinstance(value, dict) and "ward_code" in value:
        return full_address(str(value.get("text") or ""), value.get("ward_code")) or "—"
    if isinstance(value, dict):
        return str(value.get("text") or value.get("name") or "")
    return str(value)


def json_value(value: Any) -> Any:
    """Return ``value`` as JSON data (dates as ISO text, Decimal as text)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list):
        return [json_value(item) for item in value]
    if isinstance(value, dict):
        return {key: json_value(item) for key, item in value.items()}
    return value


def _text(text: Text | None, lang: str) -> str | None:
    return text.render(lang) if text is not None else None


def _input_text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, dict):
        return str(raw.get("text", ""))
    return str(raw)


@dataclass(frozen=True)
class FieldView:
    """One input as the macro draws it."""

    name: str
    label: str
    help: str | None
    widget: str
    type: str
    required: bool
    visible: bool
    value: str
    values: tuple[str, ...] = ()
    error: str | None = None
    choices: tuple[tuple[str, str], ...] = ()
    columns: tuple[FieldView, ...] = ()
    rows: tuple[dict[str, str], ...] = ()
    choices_source: str | None = None
    ward_code: str = ""
    ward_label: str = ""

    @property
    def address_json(self) -> str:
        """Return the address picker's hidden value: ``{"text", "ward_code"}`` JSON, or ""
        when neither is filled (an untouched optional address sends no answer)."""
        if not self.value and not self.ward_code:
            return ""
        return json.dumps({"text": self.value, "ward_code": self.ward_code or None}, ensure_ascii=False)


@dataclass(frozen=True)
class Item:
    """One cell of the form in notebook order: its kind and what to draw."""

    kind: str
    cell_id: str
    field: FieldView | None = None
    label: str = ""
    display: str = ""
    error: str | None = None
    passed: bool | None = None
    html: Markup | None = None
    entries: tuple[dict[str, Any], ...] = ()
    total: str = ""
    visible: bool = True


@dataclass(frozen=True)
class FormView:
    """A notebook's form on some values: items in order, the errors, validity."""

    items: tuple[Item, ...]
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        """Return True when nothing needs fixing."""
        return not self.errors


def field_view(
    field: FieldDef,
    field_types: FieldTypeRegistry,
    raw: Any,
    lang: str,
    output: FieldOutput | None = None,
) -> FieldView:
    """Return the view of ``field`` with the raw input ``raw`` and its evaluated output."""
    widget = field_types.get(field.type).widget if field.type in field_types else "text"
    choices = tuple((c.code, c.label.get(lang) or c.label["vi"]) for c in field.choices)
    columns = tuple(field_view(column, field_types, None, lang) for column in field.columns)
    rows: tuple[dict[str, str], ...] = ()
    if field.type == "repeat":
        raw_rows = raw if isinstance(raw, list) else []
        rows = tuple(
            {column.name: _input_text(row.get(column.name)) for column in field.columns}
            for row in raw_rows
            if isinstance(row, dict)
        )
    values = tuple(str(v) for v in raw) if isinstance(raw, list) and field.type != "repeat" else ()
    address_text, ward_code = _picked_ward(field, raw)
    return FieldView(
        name=field.name,
        label=field.label.get(lang) or field.label["vi"],
        help=(field.help.get(lang) or field.help["vi"]) if field.help else None,
        widget=widget,
        type=field.type,
        required=output.required if output is not None else field.required is True,
        visible=output.visible if output is not None else True,
        value="" if values or rows else (_input_text(raw) if address_text is None else address_text),
        values=values,
        error=_text(output.error, lang) if output is not None else None,
        choices=choices,
        columns=columns,
        rows=rows,
        choices_source=field.choices_source,
        ward_code=ward_code,
        ward_label=_ward_label(ward_code),
    )


def _picked_ward(field: FieldDef, raw: Any) -> tuple[str | None, str]:
    # The ward picker's state: an address's (street text, ward code), or a ward choice's
    # code. The text is None when ``raw`` is no address: the box then shows what was sent.
    if field.type == "address" and isinstance(raw, dict | str):
        try:
            address = parse_address(raw, field)
        except UserError:
            return None, ""
        if address is None:
            return "", ""
        return address["text"], address.get("ward_code") or ""
    if field.choices_source == "wards" and isinstance(raw, str):
        return None, raw.strip()
    return None, ""


def _ward_label(code: str) -> str:
    if not code:
        return ""
    try:
        unit = ward(code)
    except UserError:
        return code
    return f"{unit.name}, {province(unit.province_code).name}"


def form_view(
    nb: Notebook,
    evaluation: Evaluation,
    field_types: FieldTypeRegistry,
    lang: str = "vi",
    *,
    audiences: tuple[str, ...] = ("staff", "citizen"),
) -> FormView:
    """Return the form of ``nb`` on ``evaluation.raw_values``, cells in notebook order.

    Markdown cells are kept when their audience is in ``audiences``; template cells are
    left out (they are printed, not filled in).
    """
    items: list[Item] = []
    for cell in nb.cells:
        output = evaluation.outputs.get(cell.id)
        if cell.kind == "markdown":
            if cell.meta.get("audience", "staff") in audiences:
                items.append(Item("markdown", cell.id, html=render_markdown(cell.source)))
        elif cell.kind == "field":
            fdef = cell.field_def()
            raw = evaluation.raw_values.get(fdef.name)
            if fdef.name not in evaluation.raw_values and isinstance(output, FieldOutput):
                raw = json_value(output.value)  # nothing typed yet: show the default
            view = field_view(
                fdef,
                field_types,
                raw,
                lang,
                output if isinstance(output, FieldOutput) else None,
            )
            items.append(Item("field", cell.id, field=view, visible=view.visible))
        elif cell.kind == "formula" and isinstance(output, FormulaOutput):
            label = cell.meta.get("label") or {"vi": output.name}
            items.append(
                Item(
                    "formula",
                    cell.id,
                    label=label.get(lang) or label["vi"],
                    display=display_value(output.value, lang)
                    + (
                        " đ"
                        if cell.meta.get("type") == "money" and output.value is not None
                        else ""
                    ),
                    error=_text(output.error, lang),
                )
            )
        elif cell.kind == "check" and isinstance(output, CheckOutput):
            items.append(
                Item(
                    "check",
                    cell.id,
                    label=output.message.render(lang),
                    passed=output.passed,
                    error=_text(output.error, lang),
                )
            )
        elif cell.kind == "documents" and isinstance(output, DocumentsOutput):
            items.append(
                Item("documents", cell.id, entries=tuple(_document(i, lang) for i in output.items))
            )
        elif cell.kind == "steps" and isinstance(output, StepsOutput):
            items.append(
                Item(
                    "steps",
                    cell.id,
                    entries=tuple(_step(s, lang) for s in output.timeline),
                    total=output.total_text().render(lang),
                )
            )
    errors = {name: text.render(lang) for name, text in evaluation.errors().items()}
    return FormView(tuple(items), errors)


def _document(item: Any, lang: str) -> dict[str, Any]:
    return {
        "key": item.key,
        "name": item.name.get(lang) or item.name["vi"],
        "form": FORM_NAMES[item.form].render(lang),
        "count": item.count,
    }


def _step(entry: Any, lang: str) -> dict[str, Any]:
    step = entry.step
    return {
        "key": step.key,
        "name": step.name.get(lang) or step.name["vi"],
        "role": ROLE_NAMES.get(step.role, T(step.role, step.role)).render(lang),
        "budget": step.budget,
        "start_hours": str(entry.start_hours),
        "end_hours": str(entry.end_hours),
    }


def evaluation_json(
    nb: Notebook, evaluation: Evaluation, field_types: FieldTypeRegistry, lang: str = "vi"
) -> dict[str, Any]:
    """Return the live-evaluation JSON: each cell's output by cell id, errors, validity."""
    view = form_view(nb, evaluation, field_types, lang, audiences=("staff", "citizen", "author"))
    cells: dict[str, Any] = {}
    for item in view.items:
        entry: dict[str, Any] = {"kind": item.kind}
        if item.field is not None:
            output = evaluation.outputs.get(item.cell_id)
            entry.update(
                name=item.field.name,
                visible=item.field.visible,
                required=item.field.required,
                error=item.field.error,
                value=json_value(output.value) if isinstance(output, FieldOutput) else None,
                display=display_value(output.value, lang)
                if isinstance(output, FieldOutput)
                else "",
            )
        elif item.kind == "formula":
            output = evaluation.outputs[item.cell_id]
            entry.update(
                name=output.name,
                value=json_value(output.value),
                display=item.display,
                error=item.error,
            )
        elif item.kind == "check":
            entry.update(passed=item.passed, message=item.label, error=item.error)
        elif item.kind in ("documents", "steps"):
            entry.update(entries=list(item.entries), total=item.total)
        else:
            continue
        cells[item.cell_id] = entry
    return {
        "valid": view.valid and not evaluation.issues,
        "cells": cells,
        "values": {name: json_value(value) for name, value in evaluation.values.items()},
        "errors": view.errors,
        "issues": [
            {"cell_id": i.cell_id, "part": i.field, "message": i.text.render(lang)}
            for i in evaluation.issues
        ],
    }


def values_from_form(nb: Notebook, form: MultiDict) -> dict[str, Any]:
    """Return the raw values of ``nb``'s fields from HTML form data (``v.<name>`` inputs).

    Multi-choice fields give a list of codes; repeat rows come from
    ``v.<name>.<row>.<column>`` inputs, in row order, blank rows dropped.
    """
    values: dict[str, Any] = {}
    for fdef in nb.fields():
        key = f"v.{fdef.name}"
        if fdef.type == "repeat":
            rows: dict[int, dict[str, str]] = {}
            prefix = key + "."
            for name, value in form.items(multi=True):
                if name.startswith(prefix):
                    row, _, column = name[len(prefix) :].partition(".")
                    if row.isdigit():
                        rows.setdefault(int(row), {})[column] = value
            values[fdef.name] = [
                rows[i] for i in sorted(rows) if any(v.strip() for v in rows[i].values())
            ]
        elif fdef.type == "multi_choice":
            values[fdef.name] = form.getlist(key)
        elif key in form:
            values[fdef.name] = form.get(key)
    return values


def values_from_json(text: str | None) -> dict[str, Any]:
    """Return a JSON object of raw values, or an empty dict for blank or bad input.

    :raises UserError: a value holds invalid text (motcua.text_input).
    """
    try:
        data = json.loads(text or "{}")
    except (ValueError, RecursionError):
        return {}
    if not isinstance(data, dict):
        return {}
    check_tree(data, "values")  # JSON escapes can carry what the form's own text cannot
    return data
