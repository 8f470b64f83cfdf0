"""Importing an XLSForm workbook (ODK/KoboToolbox) as a procedure notebook.

Ward staff already keep forms in spreadsheets; the survey, choices and settings sheets map
onto field, formula and markdown cells. Anything without a faithful equivalent is refused
with the sheet and row, rather than imported half-right.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, BinaryIO

from motcua.i18n import T
from motcua.notebooks.editing import new_cell_id
from motcua.notebooks.model import Cell, Notebook, NotebookFormatError
from motcua.notebooks.serialize import notebook_from_dict, notebook_to_dict
from motcua.parsing import check_zip, refusing

_SIMPLE_TYPES = {
    "text": "text",
    "integer": "integer",
    "decimal": "decimal",
    "date": "date",
    "datetime": "datetime",
    "acknowledge": "yes_no",
    "file": "file",
    "image": "file",
}
# Metadata rows record the device and session; a ward office has nothing to store there.
_IGNORED_TYPES = {
    "start",
    "end",
    "today",
    "deviceid",
    "subscriberid",
    "simserial",
    "phonenumber",
    "username",
    "email",
    "audit",
    "begin group",
    "end group",
}
_LANGUAGE_NAMES = {"vi": "vi", "vietnamese": "vi", "tiếng việt": "vi", "en": "en", "english": "en"}


def read_xlsform(path: str | Path | BinaryIO) -> Notebook:
    """Return the notebook described by an XLSForm workbook.

    Reads ``survey`` (type, name, label[::lang], hint, required, relevant, constraint,
    constraint_message, calculation, default, appearance), ``choices`` and ``settings``
    (form_id, form_title, default_language; national_code, field_area, limit as motcua
    extensions). Raises NotebookFormatError naming the sheet and row of an unsupported or
    malformed row, or the notebook error when the result breaks the format; a damaged or
    bomb-sized workbook is refused the same way (motcua.parsing).
    """
    check_zip(path, "XLSForm", NotebookFormatError)
    with refusing("XLSForm", NotebookFormatError):
        return _read_xlsform(path)


def _read_xlsform(path: str | Path | BinaryIO) -> Notebook:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    if "survey" not in book.sheetnames:
        raise _error("survey", None, "thiếu trang tính `survey`", "the `survey` sheet is missing")
    settings = (
        next(iter(_rows(book, "settings")), (0, {}))[1] if "settings" in book.sheetnames else {}
    )
    language = _language(str(settings.get("default_language") or "vi")) or "vi"
    choices = _choices(book, language) if "choices" in book.sheetnames else {}
    cells: list[Cell] = []
    repeat: dict[str, Any] | None = None
    groups: list[str | None] = []
    draft = Notebook(key="draft", name={"vi": "-", "en": "-"})
    for row_number, row in _rows(book, "survey"):
        kind = re.sub(r"\s+", " ", str(row.get("type") or "").strip())
        if not kind:
            continue
        name = str(row.get("name") or "").strip()
        relevant = _translate(row.get("relevant"), name)
        if kind == "begin group":
            groups.append(relevant)
            continue
        if kind == "end group":
            groups.pop() if groups else None
            continue
        relevant = _combine([*groups, relevant])
        if kind == "begin repeat":
            if repeat is not None:
                raise _error(
                    "survey",
                    row_number,
                    "không hỗ trợ `begin repeat` lồng nhau",
                    "nested `begin repeat` is not supported",
                )
            repeat = {
                "kind": "field",
                "name": name,
                "type": "repeat",
                "label": _bilingual(row, "label", language, name),
                "columns": [],
                "relevant": relevant,
            }
            continue
        if kind == "end repeat":
            if repeat is None:
                raise _error(
                    "survey",
                    row_number,
                    "`end repeat` không có `begin repeat`",
                    "`end repeat` without `begin repeat`",
                )
            meta = {k: v for k, v in repeat.items() if v not in (None, []) or k == "columns"}
            meta.pop("kind")
            draft = _append(
                draft,
                cells,
                Cell(new_cell_id(draft, "field", name or meta["name"]), "field", "", meta),
            )
            repeat = None
            continue
        if kind in _IGNORED_TYPES:
            continue
        cell_meta = _row_meta(row, row_number, kind, name, relevant, language, choices)
        if cell_meta is None:
            continue
        cell_kind = cell_meta.pop("kind")
        if repeat is not None and cell_kind == "field":
            repeat["columns"].append(cell_meta)
            continue
        if repeat is not None:
            raise _error(
                "survey",
                row_number,
                "chỉ trường nhập được đặt trong bảng (`repeat`)",
                "only input fields may be inside a `repeat`",
            )
        source = cell_meta.pop("source", "")
        draft = _append(
            draft,
            cells,
            Cell(
                new_cell_id(draft, cell_kind, cell_meta.get("name")), cell_kind, source, cell_meta
            ),
        )
    if repeat is not None:
        raise _error(
            "survey",
            None,
            "`begin repeat` `{name}` chưa có `end repeat`",
            "`begin repeat` `{name}` has no `end repeat`",
            name=repeat["name"],
        )
    title = str(settings.get("form_title") or settings.get("form_id") or "Biểu mẫu")
    motcua: dict[str, Any] = {
        "schema": 1,
        "key": re.sub(
            r"[^a-z0-9-]+", "-", str(settings.get("form_id") or "xlsform").lower().replace("_", "-")
        ).strip("-")
        or "xlsform",
        "name": {"vi": title, "en": title},
    }
    for key in ("national_code", "field_area", "limit"):
        if settings.get(key):
            motcua[key] = str(settings[key])
    data = notebook_to_dict(Notebook(key="draft", name={"vi": "-", "en": "-"}, cells=tuple(cells)))
    data["metadata"]["motcua"] = motcua
    return notebook_from_dict(data)


def _append(draft: Notebook, cells: list[Cell], cell: Cell) -> Notebook:
    cells.append(cell)
    return Notebook(key=draft.key, name=draft.name, cells=tuple(cells))


def _row_meta(
    row: dict[str, Any],
    row_number: int,
    kind: str,
    name: str,
    relevant: str | None,
    language: str,
    choices: dict[str, list[dict[str, Any]]],
) -> dict[str, Any] | None:
    label = _bilingual(row, "label", language, name)
    if kind == "note":
        return {"kind": "markdown", "audience": "staff", "source": label["vi"]}
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,39}", name):
        raise _error(
            "survey",
            row_number,
            "tên `{name}` phải gồm chữ thường a–z, số, `_` (tối đa 40 ký tự)",
            "the name `{name}` must use lowercase a–z, digits, `_` (at most 40 characters)",
            name=name,
        )
    if kind == "calculate":
        if not row.get("calculation"):
            raise _error(
                "survey",
                row_number,
                "`calculate` cần cột `calculation`",
                "`calculate` needs a `calculation`",
            )
        return {
            "kind": "formula",
            "name": name,
            "label": label,
            "source": _translate(row["calculation"], name),
        }
    select = re.fullmatch(r"(select_one|select_multiple) (\S+)", kind)
    if select:
        if select.group(2) not in choices:
            raise _error(
                "survey",
                row_number,
                "danh sách `{list}` không có trong trang `choices`",
                "the list `{list}` is not in the `choices` sheet",
                list=select.group(2),
            )
        field_type = "choice" if select.group(1) == "select_one" else "multi_choice"
    elif kind in _SIMPLE_TYPES:
        field_type = _SIMPLE_TYPES[kind]
        if kind == "text" and "multiline" in str(row.get("appearance") or ""):
            field_type = "long_text"
    else:
        raise _error(
            "survey",
            row_number,
            "kiểu `{type}` không được hỗ trợ",
            "the type `{type}` is not supported",
            type=kind,
        )
    meta: dict[str, Any] = {"kind": "field", "name": name, "type": field_type, "label": label}
    hint = _bilingual(row, "hint", language, None)
    if hint:
        meta["help"] = hint
    required = str(row.get("required") or "").strip()
    if required.lower() in ("yes", "true", "true()", "1"):
        meta["required"] = True
    elif required and required.lower() not in ("no", "false", "false()", "0"):
        meta["required"] = _translate(required, name)
    if relevant:
        meta["relevant"] = relevant
    if row.get("constraint"):
        meta["constraint"] = _translate(row["constraint"], name)
        message = _bilingual(row, "constraint_message", language, None)
        if message:
            meta["constraint_message"] = message
    default = row.get("default")
    if default not in (None, ""):
        text = str(default)
        if "${" in text or "(" in text:
            meta["default"] = {"expr": _translate(text, name)}
        elif field_type == "integer" and re.fullmatch(r"-?\d+", text.strip()):
            meta["default"] = int(text)
        else:
            meta["default"] = default
    if select:
        meta["choices"] = choices[select.group(2)]
    return meta


def _choices(book: Any, language: str) -> dict[str, list[dict[str, Any]]]:
    lists: dict[str, list[dict[str, Any]]] = {}
    for row_number, row in _rows(book, "choices"):
        list_name = str(row.get("list_name") or row.get("list name") or "").strip()
        if not list_name:
            continue
        code = str(row.get("name") or "").strip()
        if not re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", code):
            raise _error(
                "choices",
                row_number,
                "mã lựa chọn `{code}` không hợp lệ",
                "the choice code `{code}` is invalid",
                code=code,
            )
        lists.setdefault(list_name, []).append(
            {"code": code, "label": _bilingual(row, "label", language, code)}
        )
    return lists


def _rows(book: Any, sheet: str) -> list[tuple[int, dict[str, Any]]]:
    rows = book[sheet].iter_rows(values_only=True)
    header = next(rows, None) or ()
    names = [str(h).strip() if h is not None else "" for h in header]
    result = []
    for number, values in enumerate(rows, start=2):
        row = {
            name: value
            for name, value in zip(names, values, strict=False)
            if name and value not in (None, "")
        }
        if row:
            result.append((number, row))
    return result


def _language(suffix: str) -> str | None:
    suffix = suffix.strip()
    code = re.search(r"\((\w+)\)\s*$", suffix)
    return _LANGUAGE_NAMES.get((code.group(1) if code else suffix).lower())


def _bilingual(
    row: dict[str, Any], column: str, default_language: str, fallback: str | None
) -> dict[str, str] | None:
    texts: dict[str, str] = {}
    for key, value in row.items():
        if key == column:
            texts.setdefault(default_language, str(value).strip())
        elif key.startswith(column + "::"):
            language = _language(key.split("::", 1)[1])
            if language:
                texts[language] = str(value).strip()
    if not texts:
        return {"vi": fallback, "en": fallback} if fallback else None
    vi = texts.get("vi") or texts.get("en", "")
    return {"vi": vi, "en": texts.get("en") or vi}


def _combine(conditions: list[str | None]) -> str | None:
    present = [c for c in conditions if c]
    if len(present) <= 1:
        return present[0] if present else None
    return " and ".join(f"({c})" for c in present)


_STRING = re.compile(r"'[^']*'|\"[^\"]*\"")
_FUNCTIONS = {
    "count-selected(": "count_selected(",
    "string-length(": "len(",
    "true()": "true",
    "false()": "false",
}


def _translate(expression: Any, own_name: str) -> str | None:
    """Return an XLSForm expression in motcua syntax (``${x}`` → ``x``, ``.`` → own name)."""
    if expression in (None, ""):
        return None
    source = str(expression).strip()
    pieces: list[str] = []
    position = 0
    for match in _STRING.finditer(source):
        pieces.append(_translate_code(source[position : match.start()], own_name))
        literal = match.group(0)
        pieces.append(
            f'"{literal[1:-1]}"' if literal.startswith("'") and '"' not in literal else literal
        )
        position = match.end()
    pieces.append(_translate_code(source[position:], own_name))
    return "".join(pieces)


def _translate_code(code: str, own_name: str) -> str:
    code = re.sub(r"\$\{\s*([A-Za-z_][\w.-]*)\s*\}", r"\1", code)
    code = re.sub(r"(?<![\w.])\.(?![\w.])", own_name, code)
    code = re.sub(r"\bdiv\b", "/", code)
    code = re.sub(r"\bmod\b", "%", code)
    for old, new in _FUNCTIONS.items():
        code = code.replace(old, new)
    return code


def _error(sheet: str, row: int | None, vi: str, en: str, **params: Any) -> NotebookFormatError:
    if row is None:
        text = T("Trang `{sheet}`: " + vi, "Sheet `{sheet}`: " + en, sheet=sheet, **params)
    else:
        text = T(
            "Trang `{sheet}`, dòng {row}: " + vi,
            "Sheet `{sheet}`, row {row}: " + en,
            sheet=sheet,
            row=row,
            **params,
        )
    return NotebookFormatError(text, sheet=sheet, row=row)
