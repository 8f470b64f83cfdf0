"""The notebook editor's HTML form, both ways: a notebook's cells as form fields (lists as
one line per item, ``a | b | c``) and the submitted form back into a notebook.

Keys of a cell's metadata the form does not show (``default``, ``choices_source``…) are
kept from the stored cell, so editing in the browser never loses what a file carried.
"""

from __future__ import annotations

import json
from typing import Any

from werkzeug.datastructures import MultiDict

from motcua.i18n import T, Text
from motcua.notebooks import Notebook, NotebookFormatError, notebook_from_dict, notebook_to_dict
from motcua.notebooks.model import CELL_KINDS

SEPARATOR = "|"
_YES = {"true", "có", "co", "x", "yes", "1", "*", "bắt buộc"}

# What a new cell of each kind starts as (valid, so the notebook stays valid).
NEW_CELL: dict[str, tuple[str, dict[str, Any]]] = {
    "markdown": ("Hướng dẫn cho cán bộ…", {"audience": "staff"}),
    "field": (
        "",
        {"name": "truong", "type": "text", "label": {"vi": "Trường mới", "en": "New field"}},
    ),
    "documents": (
        "",
        {
            "items": [
                {
                    "key": "giay_to",
                    "name": {"vi": "Giấy tờ", "en": "Document"},
                    "form": "original",
                    "count": 1,
                }
            ]
        },
    ),
    "formula": ("0", {"name": "cong_thuc", "label": {"vi": "Công thức", "en": "Formula"}}),
    "check": ("true", {"message": {"vi": "Điều kiện chưa đạt", "en": "Condition not met"}}),
    "template": (
        "<h1>{{ ten_thu_tuc }}</h1>",
        {"name": "mau_in", "title": {"vi": "Mẫu in", "en": "Print"}, "paper": "A4"},
    ),
    "steps": (
        "",
        {
            "steps": [
                {
                    "key": "tiep_nhan",
                    "name": {"vi": "Tiếp nhận", "en": "Reception"},
                    "role": "staff",
                    "budget": "0.5d",
                }
            ]
        },
    ),
}


def new_cell_meta(nb: Notebook, kind: str) -> tuple[str, dict[str, Any]]:
    """Return ``(source, meta)`` for a new cell of ``kind`` with a name not yet used."""
    source, meta = NEW_CELL[kind]
    meta = json.loads(json.dumps(meta))
    if "name" in meta:
        taken = set(nb.defined_names()) | {c.meta.get("name") for c in nb.cells}
        base, number = meta["name"], 1
        while f"{base}_{number}" in taken:
            number += 1
        meta["name"] = f"{base}_{number}"
    return source, meta


# ---------------------------------------------------------------- lines shown in textareas


def _join(*parts: Any) -> str:
    return f" {SEPARATOR} ".join("" if p is None else str(p) for p in parts).rstrip(" |")


def choices_lines(meta: dict[str, Any]) -> str:
    """Return a field's choices as ``code | nhãn | label`` lines."""
    return "\n".join(
        _join(c["code"], c["label"]["vi"], c["label"].get("en", ""))
        for c in meta.get("choices") or []
    )


def columns_lines(meta: dict[str, Any]) -> str:
    """Return a repeat's columns as ``name | type | nhãn | label | *`` lines (* = required)."""
    return "\n".join(
        _join(
            c["name"],
            c["type"],
            c["label"]["vi"],
            c["label"].get("en", ""),
            "*" if c.get("required") is True else "",
        )
        for c in meta.get("columns") or []
    )


def documents_lines(meta: dict[str, Any]) -> str:
    """Return documents as ``key | form | count | tên | name | condition`` lines."""
    return "\n".join(
        _join(
            i["key"],
            i["form"],
            i.get("count", 1),
            i["name"]["vi"],
            i["name"].get("en", ""),
            i.get("condition") or "",
        )
        for i in meta.get("items") or []
    )


def steps_lines(meta: dict[str, Any]) -> str:
    """Return steps as ``key | role | budget | tên | name`` lines."""
    return "\n".join(
        _join(s["key"], s["role"], s["budget"], s["name"]["vi"], s["name"].get("en", ""))
        for s in meta.get("steps") or []
    )


def expect_values_lines(values: dict[str, Any]) -> str:
    """Return a sample's expected values as ``name = value`` lines (values as JSON)."""
    return "\n".join(
        f"{name} = {json.dumps(value, ensure_ascii=False)}" for name, value in values.items()
    )


# The roles a field may play for the person filing (notebooks.model.APPLICANT_ROLES), as the
# editor names them: reception then asks for that fact once, in this field.
APPLICANT_ROLE_NAMES: dict[str, Text] = {
    "name": T("Họ tên người nộp", "The applicant's name"),
    "id_number": T("Số CCCD/CMND người nộp", "The applicant's ID number"),
    "phone": T("Số điện thoại người nộp", "The applicant's phone"),
    "address": T("Địa chỉ người nộp", "The applicant's address"),
    "email": T("Thư điện tử người nộp", "The applicant's email"),
    "birth_date": T("Ngày sinh người nộp", "The applicant's birth date"),
}


def readable_json(value: Any, indent: int | None = None) -> str:
    """Return ``value`` as JSON with Vietnamese letters as they are ("Họ tên", not
    "H\\u1ecd t\\u00ean"); the template escapes it for HTML."""
    return json.dumps(value, ensure_ascii=False, indent=indent, default=str)


def required_mode(meta: dict[str, Any]) -> str:
    """Return ``yes``, ``no`` or ``when`` (an expression) for the editor's required toggle."""
    required = meta.get("required", False)
    if required is True:
        return "yes"
    return "no" if required in (False, None, "") else "when"


def required_text(meta: dict[str, Any]) -> str:
    """Return ``required`` as the editor shows it: ``có``, blank, or the expression."""
    required = meta.get("required", False)
    if required is True:
        return "có"
    return "" if required is False else str(required)


# ---------------------------------------------------------------- form → notebook


def _lines(text: str, cell_id: str, what: str, width: int) -> list[list[str]]:
    rows = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split(SEPARATOR)]
        if len(parts) > width:
            raise NotebookFormatError(
                T(
                    "Ô `{cell}`, {what} dòng {n}: tối đa {width} phần ngăn bằng `|`",
                    "Cell `{cell}`, {what} line {n}: at most {width} parts separated by `|`",
                    cell=cell_id,
                    what=what,
                    n=number,
                    width=width,
                ),
                cell_id=cell_id,
            )
        rows.append(parts + [""] * (width - len(parts)))
    return rows


def _bilingual(vi: str, en: str) -> dict[str, str]:
    return {"vi": vi.strip(), "en": en.strip()}


def _optional_bilingual(vi: str, en: str) -> dict[str, str] | None:
    return _bilingual(vi, en) if vi.strip() or en.strip() else None


def _set(meta: dict[str, Any], key: str, value: Any) -> None:
    if value in (None, "", [], {}):
        meta.pop(key, None)
    else:
        meta[key] = value


def _int(text: str, cell_id: str, what: str) -> int | None:
    text = (text or "").strip()
    if not text:
        return None
    if not text.isdigit():
        raise NotebookFormatError(
            T(
                "Ô `{cell}`: `{what}` phải là số nguyên",
                "Cell `{cell}`: `{what}` must be a whole number",
                cell=cell_id,
                what=what,
            ),
            cell_id=cell_id,
        )
    return int(text)


def _cell_meta(
    kind: str, get: Any, base: dict[str, Any], cell_id: str
) -> tuple[str, dict[str, Any]]:
    meta = dict(base)
    source = get("source")
    if kind == "markdown":
        _set(meta, "audience", get("audience") or "staff")
    elif kind == "field":
        meta["name"] = get("name").strip()
        meta["type"] = get("type").strip()
        meta["label"] = _bilingual(get("label_vi"), get("label_en"))
        _set(meta, "help", _optional_bilingual(get("help_vi"), get("help_en")))
        required, mode = get("required").strip(), get("required_mode").strip()
        # The toggle says yes or no; an expression typed in the box ("có" too) is honoured
        # whatever the toggle, so nothing typed is silently dropped.
        if mode == "yes":
            meta["required"] = True
        elif required:
            meta["required"] = True if required.lower() in _YES else required
        else:
            meta["required"] = False
        _set(meta, "applicant", get("applicant").strip())
        _set(meta, "relevant", get("relevant").strip())
        _set(meta, "constraint", get("constraint").strip())
        _set(meta, "constraint_message", _optional_bilingual(get("cmsg_vi"), get("cmsg_en")))
        choices = [
            {"code": code, "label": _bilingual(vi or code, en)}
            for code, vi, en in _lines(get("choices"), cell_id, "choices", 3)
            if code
        ]
        _set(meta, "choices", choices)
        if meta["type"] == "repeat":
            old = {c.get("name"): c for c in base.get("columns") or []}
            columns = []
            for name, type_, vi, en, required in _lines(get("columns"), cell_id, "columns", 5):
                column = dict(old.get(name, {}))
                column.update(name=name, type=type_ or "text", label=_bilingual(vi or name, en))
                column["required"] = required.lower() in _YES
                columns.append(column)
            meta["columns"] = columns
            _set(meta, "min_rows", _int(get("min_rows"), cell_id, "min_rows"))
            _set(meta, "max_rows", _int(get("max_rows"), cell_id, "max_rows"))
        else:
            for key in ("columns", "min_rows", "max_rows"):
                meta.pop(key, None)
        source = ""
    elif kind == "documents":
        items = []
        for key, form, count, vi, en, condition in _lines(get("items"), cell_id, "items", 6):
            item: dict[str, Any] = {
                "key": key,
                "form": form or "original",
                "count": _int(count, cell_id, "count") or 1,
                "name": _bilingual(vi or key, en),
            }
            if condition:
                item["condition"] = condition
            items.append(item)
        meta["items"] = items
        source = ""
    elif kind == "formula":
        meta["name"] = get("name").strip()
        meta["label"] = _bilingual(get("label_vi") or meta["name"], get("label_en"))
        _set(meta, "type", get("type").strip())
    elif kind == "check":
        meta["message"] = _bilingual(get("msg_vi"), get("msg_en"))
        _set(meta, "field", get("field").strip())
    elif kind == "template":
        meta["name"] = get("name").strip()
        meta["title"] = _bilingual(get("title_vi") or meta["name"], get("title_en"))
        meta["paper"] = get("paper") or "A4"
    elif kind == "steps":
        meta["steps"] = [
            {
                "key": key,
                "role": role or "staff",
                "budget": budget or "1d",
                "name": _bilingual(vi or key, en),
            }
            for key, role, budget, vi, en in _lines(get("steps"), cell_id, "steps", 5)
        ]
        source = ""
    if get("overridable_shown"):
        _set(meta, "overridable", True if get("overridable") else None)
    return source, meta


def notebook_from_form(form: MultiDict, stored: Notebook) -> Notebook:
    """Return the notebook the editor form describes (cells in the order of ``cell`` inputs).

    ``stored`` is the saved draft: its key is kept, and metadata the form does not show is
    carried over. Raises NotebookFormatError naming the cell, line or sample at fault.
    """
    data = notebook_to_dict(stored)
    motcua = data["metadata"]["motcua"]
    motcua["name"] = _bilingual(form.get("nb.name_vi", ""), form.get("nb.name_en", ""))
    for key in ("national_code", "field_area", "limit"):
        _set(motcua, key, form.get(f"nb.{key}", "").strip())
    stored_cells = {cell.id: cell for cell in stored.cells}
    cells = []
    for cell_id in form.getlist("cell"):
        prefix = f"c.{cell_id}."

        def get(prop: str, _prefix: str = prefix) -> str:
            return form.get(_prefix + prop, "")

        kind = get("kind")
        if kind not in CELL_KINDS:
            raise NotebookFormatError(
                T("Ô `{cell}`: loại ô không hợp lệ", "Cell `{cell}`: invalid kind", cell=cell_id),
                cell_id=cell_id,
            )
        base = dict(stored_cells[cell_id].meta) if cell_id in stored_cells else {}
        source, meta = _cell_meta(kind, get, base, cell_id)
        cells.append(
            {
                "id": cell_id,
                "cell_type": "markdown" if kind == "markdown" else "raw",
                "metadata": {"motcua": {"kind": kind, **meta}},
                "source": source,
            }
        )
    data["cells"] = cells
    samples = []
    for index in form.getlist("sample"):
        prefix = f"s.{index}."
        name = form.get(prefix + "name", "").strip() or f"Mẫu {index}"
        try:
            values = json.loads(form.get(prefix + "values", "") or "{}")
        except ValueError:
            raise NotebookFormatError(
                T(
                    "Mẫu “{name}”: giá trị không phải JSON hợp lệ",
                    "Sample “{name}”: the values are not valid JSON",
                    name=name,
                ),
                sample=name,
            ) from None
        expect: dict[str, Any] = {"valid": form.get(prefix + "valid", "true") == "true"}
        expected = _expected_values(form.get(prefix + "expect_values", ""), name)
        if expected:
            expect["values"] = expected
        errors = [
            e.strip()
            for e in form.get(prefix + "expect_errors", "").replace(";", ",").split(",")
            if e.strip()
        ]
        if errors:
            expect["errors"] = errors
        samples.append(
            {"name": name, "values": values if isinstance(values, dict) else {}, "expect": expect}
        )
    _set(motcua, "samples", samples)
    return notebook_from_dict(data)


def _expected_values(text: str, sample: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        name, sep, raw = line.partition("=")
        if not sep or not name.strip():
            raise NotebookFormatError(
                T(
                    "Mẫu “{name}”: mỗi dòng kết quả mong đợi có dạng `tên = giá trị`",
                    "Sample “{name}”: each expected value line reads `name = value`",
                    name=sample,
                ),
                sample=sample,
            )
        raw = raw.strip()
        try:
            values[name.strip()] = json.loads(raw)
        except ValueError:
            values[name.strip()] = raw
    return values
