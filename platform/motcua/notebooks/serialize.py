"""The notebook's JSON shape (an nbformat v4.5 notebook) to and from :class:`Notebook`.

Validation happens here, once, on the way in; every error names the cell (index and id)
or the metadata key at fault so an author can find it in JupyterLab or the editor.
"""

from __future__ import annotations

import json
from typing import Any

from motcua.i18n import T
from motcua.notebooks.model import (
    AUDIENCES,
    CELL_ID_RE,
    CELL_KINDS,
    KEY_RE,
    LIMIT_RE,
    NAME_RE,
    PAPER_SIZES,
    SUMMARY_KINDS,
    Cell,
    Notebook,
    NotebookFormatError,
    Sample,
    bilingual,
    fail,
)

SCHEMA_VERSION = 1
NBFORMAT_MINOR = 5
_NOTEBOOK_KEYS = ("key", "national_code", "name", "field_area", "limit", "samples", "unconfirmed")


def notebook_from_dict(data: Any) -> Notebook:
    """Return the notebook described by an nbformat-shaped dict.

    Cell ``source`` may be a string or a list of strings (nbformat allows both); the
    generated summaries of field, documents and steps cells are rebuilt.
    Raises NotebookFormatError naming the cell (index and id) or the key at fault.
    """
    if not isinstance(data, dict):
        raise fail("notebook", "phải là một đối tượng JSON", "must be a JSON object")
    if data.get("nbformat") != 4:
        raise fail("notebook", "`nbformat` phải là 4", "`nbformat` must be 4", key="nbformat")
    meta = (data.get("metadata") or {}).get("motcua")
    if not isinstance(meta, dict):
        raise fail(
            "notebook",
            "thiếu `metadata.motcua`",
            "`metadata.motcua` is missing",
            key="metadata.motcua",
        )
    if meta.get("schema", SCHEMA_VERSION) != SCHEMA_VERSION:
        raise fail(
            "notebook",
            "`schema` {schema} không được hỗ trợ",
            "`schema` {schema} is not supported",
            key="schema",
            schema=meta.get("schema"),
        )
    key = meta.get("key")
    if not isinstance(key, str) or not KEY_RE.fullmatch(key):
        raise fail(
            "notebook",
            "`key` phải là chuỗi a–z, 0–9, `-`",
            "`key` must be a slug of a–z, 0–9, `-`",
            key="key",
        )
    limit = meta.get("limit")
    if limit is not None and (not isinstance(limit, str) or not LIMIT_RE.fullmatch(limit)):
        raise fail(
            "notebook",
            "`limit` phải là `Nd`, `Nh` hoặc `same-day`",
            "`limit` must be `Nd`, `Nh` or `same-day`",
            key="limit",
        )
    for optional in ("national_code", "field_area"):
        if meta.get(optional) is not None and not isinstance(meta[optional], str):
            raise fail(
                "notebook", "`{key}` phải là chuỗi", "`{key}` must be a string", key=optional
            )
    unconfirmed = meta.get("unconfirmed") or []
    if not isinstance(unconfirmed, list) or not all(isinstance(u, str) for u in unconfirmed):
        raise fail(
            "notebook",
            "`unconfirmed` phải là danh sách chuỗi",
            "`unconfirmed` must be a list of strings",
            key="unconfirmed",
        )
    raw_cells = data.get("cells")
    if not isinstance(raw_cells, list):
        raise fail(
            "notebook", "`cells` phải là một danh sách", "`cells` must be a list", key="cells"
        )
    cells = tuple(_cell_from_dict(raw, index) for index, raw in enumerate(raw_cells))
    _check_unique(cells)
    return Notebook(
        key=key,
        name=bilingual(meta.get("name"), "notebook", "name"),
        cells=cells,
        national_code=meta.get("national_code"),
        field_area=meta.get("field_area"),
        limit=limit,
        samples=tuple(_sample(raw, i) for i, raw in enumerate(meta.get("samples") or [])),
        unconfirmed=tuple(unconfirmed),
    )


def _cell_from_dict(raw: Any, index: int) -> Cell:
    cell_id = raw.get("id") if isinstance(raw, dict) else None
    where = f"cell #{index + 1} `{cell_id}`"
    if not isinstance(raw, dict):
        raise fail(where, "phải là một đối tượng", "must be an object", index=index)
    if not isinstance(cell_id, str) or not CELL_ID_RE.fullmatch(cell_id):
        raise fail(
            where,
            "`id` phải gồm 1–64 ký tự A–Z, a–z, 0–9, `-`, `_`",
            "`id` must be 1–64 characters A–Z, a–z, 0–9, `-`, `_`",
            index=index,
            cell_id=cell_id,
        )
    cell_type = raw.get("cell_type")
    if cell_type not in ("markdown", "raw"):
        raise fail(
            where,
            "loại ô `{cell_type}` không được hỗ trợ (chỉ markdown hoặc raw)",
            "cell type `{cell_type}` is not supported (markdown or raw only)",
            index=index,
            cell_id=cell_id,
            cell_type=cell_type,
        )
    meta = dict((raw.get("metadata") or {}).get("motcua") or {})
    kind = meta.pop("kind", "markdown" if cell_type == "markdown" else None)
    if kind not in CELL_KINDS:
        raise fail(
            where,
            "`metadata.motcua.kind` phải là một trong {allowed}",
            "`metadata.motcua.kind` must be one of {allowed}",
            index=index,
            cell_id=cell_id,
            allowed=", ".join(CELL_KINDS),
        )
    if (kind == "markdown") != (cell_type == "markdown"):
        raise fail(
            where,
            "ô loại `{kind}` phải là ô `{expected}`",
            "a `{kind}` cell must be a `{expected}` cell",
            index=index,
            cell_id=cell_id,
            kind=kind,
            expected="markdown" if kind == "markdown" else "raw",
        )
    source = raw.get("source", "")
    if isinstance(source, list):
        source = "".join(source)
    if not isinstance(source, str):
        raise fail(
            where,
            "`source` phải là chuỗi",
            "`source` must be a string",
            index=index,
            cell_id=cell_id,
        )
    cell = Cell(cell_id, kind, source, meta)
    try:
        _check_cell(cell, where, index)
    except NotebookFormatError as error:
        if "cell_id" in error.details:
            raise
        # Typed views name the cell by id only; add its position in the file.
        text = T("Ô #{n} {problem}", "Cell #{n} {problem}", n=index + 1, problem=error.text)
        raise NotebookFormatError(text, cell_id=cell_id, index=index) from None
    if kind in SUMMARY_KINDS:
        cell = Cell(cell_id, kind, cell_summary(cell), meta)
    return cell


def _check_cell(cell: Cell, where: str, index: int) -> None:
    meta = cell.meta
    ids = {"index": index, "cell_id": cell.id}
    if "overridable" in meta and not isinstance(meta["overridable"], bool):
        raise fail(
            where, "`overridable` phải là true/false", "`overridable` must be true/false", **ids
        )
    if cell.kind == "markdown":
        if meta.get("audience", "staff") not in AUDIENCES:
            raise fail(
                where,
                "`audience` phải là một trong {allowed}",
                "`audience` must be one of {allowed}",
                allowed=", ".join(AUDIENCES),
                **ids,
            )
    elif cell.kind == "field":
        cell.field_def()
    elif cell.kind == "documents":
        keys = [item.key for item in cell.document_items()]
        if len(set(keys)) != len(keys):
            raise fail(where, "khóa giấy tờ bị trùng", "document keys are duplicated", **ids)
    elif cell.kind == "steps":
        keys = [step.key for step in cell.steps()]
        if len(set(keys)) != len(keys):
            raise fail(where, "khóa bước bị trùng", "step keys are duplicated", **ids)
    elif cell.kind in ("formula", "template"):
        name = meta.get("name")
        if not isinstance(name, str) or not NAME_RE.fullmatch(name):
            raise fail(
                where,
                "thiếu `name` hợp lệ (a–z, 0–9, `_`)",
                "missing a valid `name` (a–z, 0–9, `_`)",
                **ids,
            )
        if cell.kind == "formula":
            bilingual(meta.get("label", {"vi": name, "en": name}), where, "label")
            if meta.get("type") is not None and not isinstance(meta["type"], str):
                raise fail(where, "`type` phải là chuỗi", "`type` must be a string", **ids)
        else:
            bilingual(meta.get("title"), where, "title")
            if meta.get("paper") not in PAPER_SIZES:
                raise fail(
                    where,
                    "`paper` phải là một trong {allowed}",
                    "`paper` must be one of {allowed}",
                    allowed=", ".join(PAPER_SIZES),
                    **ids,
                )
    if cell.kind == "check":
        bilingual(meta.get("message"), where, "message")
        if meta.get("field") is not None and not isinstance(meta["field"], str):
            raise fail(
                where, "`field` phải là tên một trường", "`field` must be a field name", **ids
            )
    if cell.kind in ("formula", "check") and not cell.source.strip():
        raise fail(where, "biểu thức trống", "the expression is empty", **ids)


def _check_unique(cells: tuple[Cell, ...]) -> None:
    seen_ids: dict[str, int] = {}
    defined: dict[str, str] = {}
    templates: dict[str, str] = {}
    roles: dict[str, str] = {}
    for index, cell in enumerate(cells):
        role = cell.meta.get("applicant") if cell.kind == "field" else None
        if role in roles:
            raise fail(
                f"cell #{index + 1} `{cell.id}`",
                "vai trò người nộp `{role}` đã gắn cho ô `{other}`: mỗi vai trò chỉ một trường",
                "the applicant role `{role}` is already on cell `{other}`: one field per role",
                index=index,
                cell_id=cell.id,
                role=role,
                other=roles[role],
            )
        if role:
            roles[role] = cell.id
        if cell.id in seen_ids:
            raise fail(
                f"cell #{index + 1} `{cell.id}`",
                "`id` trùng với ô #{other}",
                "`id` duplicates cell #{other}",
                index=index,
                cell_id=cell.id,
                other=seen_ids[cell.id] + 1,
            )
        seen_ids[cell.id] = index
        table = templates if cell.kind == "template" else defined
        name = cell.name
        if name is None:
            continue
        if name in table:
            raise fail(
                f"cell #{index + 1} `{cell.id}`",
                "tên `{name}` đã được ô `{other}` định nghĩa",
                "the name `{name}` is already defined by cell `{other}`",
                index=index,
                cell_id=cell.id,
                name=name,
                other=table[name],
            )
        table[name] = cell.id


def _sample(raw: Any, index: int) -> Sample:
    where = f"samples[{index}]"
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
        raise fail(where, "mỗi mẫu cần `name`", "each sample needs a `name`", key=where)
    expect = raw.get("expect") or {}
    values = raw.get("values") or {}
    if (
        not isinstance(values, dict)
        or not isinstance(expect, dict)
        or not isinstance(expect.get("valid"), bool)
    ):
        raise fail(
            f"{where} `{raw['name']}`",
            "cần `values` (đối tượng) và `expect.valid` (true/false)",
            "needs `values` (an object) and `expect.valid` (true/false)",
            key=where,
        )
    errors = expect.get("errors") or []
    if not isinstance(errors, list) or not all(isinstance(e, str) for e in errors):
        raise fail(
            f"{where} `{raw['name']}`",
            "`expect.errors` phải là danh sách tên",
            "`expect.errors` must be a list of names",
            key=where,
        )
    return Sample(
        raw["name"], dict(values), expect["valid"], dict(expect.get("values") or {}), tuple(errors)
    )


def notebook_to_dict(nb: Notebook) -> dict[str, Any]:
    """Return the nbformat v4.5 dict of ``nb`` (valid under ``nbformat.validate``)."""
    meta: dict[str, Any] = {"schema": SCHEMA_VERSION}
    for key in _NOTEBOOK_KEYS:
        value = getattr(nb, key)
        if key == "samples":
            value = [_sample_to_dict(s) for s in value]
        elif key == "unconfirmed":
            value = list(value)
        if value not in (None, [], ()):
            meta[key] = value
    return {
        "nbformat": 4,
        "nbformat_minor": NBFORMAT_MINOR,
        "metadata": {"motcua": meta},
        "cells": [_cell_to_dict(cell) for cell in nb.cells],
    }


def _cell_to_dict(cell: Cell) -> dict[str, Any]:
    source = cell_summary(cell) if cell.kind in SUMMARY_KINDS else cell.source
    return {
        "id": cell.id,
        "cell_type": "markdown" if cell.kind == "markdown" else "raw",
        "metadata": {"motcua": {"kind": cell.kind, **cell.meta}},
        "source": source,
    }


def _sample_to_dict(sample: Sample) -> dict[str, Any]:
    expect: dict[str, Any] = {"valid": sample.expect_valid}
    if sample.expect_values:
        expect["values"] = sample.expect_values
    if sample.expect_errors:
        expect["errors"] = list(sample.expect_errors)
    return {"name": sample.name, "values": sample.values, "expect": expect}


def cell_summary(cell: Cell) -> str:
    """Return the one-line human summary written as the source of generated cells."""
    if cell.kind == "field":
        meta = cell.meta
        label = (meta.get("label") or {}).get("vi", "")
        required = " *" if meta.get("required") is True else ""
        return f"{meta.get('name')} ({meta.get('type')}): {label}{required}"
    if cell.kind == "documents":
        names = [
            f"{item['name']['vi']} ×{item.get('count', 1)}" for item in cell.meta.get("items") or []
        ]
        return "Giấy tờ: " + "; ".join(names)
    if cell.kind == "steps":
        steps = [
            f"{step['name']['vi']} ({step['budget']})" for step in cell.meta.get("steps") or []
        ]
        return "Các bước: " + " → ".join(steps)
    return cell.source


def canonical_json(nb: Notebook) -> str:
    """Return the canonical JSON of the definition (sorted keys, no outputs, no spaces)."""
    return json.dumps(
        notebook_to_dict(nb), sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
