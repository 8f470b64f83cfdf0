"""A record's data as its pinned notebook version renders it: labels instead of names,
choice labels instead of codes, money in đồng, dates as dd/mm/yyyy, yes/no as Có/Không,
repeat groups as tables, formulas with their labels.

Values come from the record's JSON (dates as ISO text, decimals as text), so each is read
back by the type its field or formula declares before it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from motcua.errors import NotFound
from motcua.i18n import T, Text
from motcua.notebooks import FieldDef, Notebook
from motcua.web.form_render import FORM_NAMES, display_value


@dataclass(frozen=True)
class DataRow:
    """One line of the record's data: a value, or a table (``columns`` and ``rows``)."""

    name: str
    label: str
    display: str = ""
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    computed: bool = False


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def typed_display(
    value: Any, type_name: str | None, lang: str, fdef: FieldDef | None = None
) -> str:
    """Return the stored ``value`` of a field or formula of ``type_name`` as people read it."""
    if _blank(value):
        return "—"
    try:
        if type_name == "money":
            return f"{display_value(int(Decimal(str(value))), lang)} đ"
        if type_name == "integer":
            return str(int(Decimal(str(value))))  # counts and years: no thousands dots
        if type_name == "decimal":
            return display_value(Decimal(str(value)), lang)
        if type_name == "date" and isinstance(value, str):
            return display_value(date.fromisoformat(value[:10]), lang)
        if type_name == "datetime" and isinstance(value, str):
            return display_value(datetime.fromisoformat(value), lang)
    except (InvalidOperation, ValueError, TypeError):
        return str(value)
    if type_name == "yes_no" or isinstance(value, bool):
        return display_value(bool(value), lang)
    if fdef is not None and type_name in ("choice", "multi_choice"):
        codes = value if isinstance(value, list) else [value]
        return ", ".join(_choice_label(fdef, str(code), lang) for code in codes)
    return display_value(value, lang)


def _choice_label(fdef: FieldDef, code: str, lang: str) -> str:
    for choice in fdef.choices:
        if choice.code == code:
            return choice.label.get(lang) or choice.label["vi"]
    if fdef.choices_source == "wards":
        from motcua.units import ward

        try:
            return ward(code).name
        except NotFound:
            return code
    return code


def data_rows(nb: Notebook | None, data: dict[str, Any], lang: str = "vi") -> list[DataRow]:
    """Return the rows showing ``data`` in the notebook's cell order, blanks left out.

    Without a notebook (a record from before versions were pinned) the raw names and
    values are shown.
    """
    if nb is None:
        return [
            DataRow(name, name, display_value(value, lang))
            for name, value in data.items()
            if not _blank(value)
        ]
    rows: list[DataRow] = []
    for cell in nb.cells:
        if cell.kind == "field":
            fdef = cell.field_def()
            value = data.get(fdef.name)
            if _blank(value):
                continue
            label = fdef.label.get(lang) or fdef.label["vi"]
            if fdef.type == "repeat" and isinstance(value, list):
                rows.append(_table(fdef, label, value, lang))
            else:
                rows.append(DataRow(fdef.name, label, typed_display(value, fdef.type, lang, fdef)))
        elif cell.kind == "formula":
            name = cell.meta["name"]
            value = data.get(name)
            if _blank(value):
                continue
            label = cell.meta.get("label") or {"vi": name}
            rows.append(
                DataRow(
                    name,
                    label.get(lang) or label["vi"],
                    typed_display(value, cell.meta.get("type"), lang),
                    computed=True,
                )
            )
    return rows


def _table(fdef: FieldDef, label: str, value: list[Any], lang: str) -> DataRow:
    columns = tuple(c.label.get(lang) or c.label["vi"] for c in fdef.columns)
    lines = tuple(
        tuple(typed_display(row.get(c.name), c.type, lang, c) for c in fdef.columns)
        for row in value
        if isinstance(row, dict)
    )
    return DataRow(fdef.name, label, columns=columns, rows=lines)


def documents_view(documents: list[dict[str, Any]], lang: str = "vi") -> list[dict[str, Any]]:
    """Return the documents received with their names, form labels and counts."""
    shown = []
    for entry in documents or []:
        name = entry.get("name") or {}
        form = FORM_NAMES.get(entry.get("form") or "")
        shown.append(
            {
                "name": (name.get(lang) or name.get("vi") or entry.get("key", ""))
                if isinstance(name, dict)
                else str(name),
                "form": form.render(lang) if form else str(entry.get("form") or ""),
                "count": entry.get("count", 1),
            }
        )
    return shown


APPLICANT_LABELS = {
    "name": T("Họ và tên", "Full name"),
    "id_number": T("Số CCCD/CMND", "ID number"),
    "phone": T("Số điện thoại", "Phone"),
    "address": T("Địa chỉ", "Address"),
    "email": T("Thư điện tử", "Email"),
    "residence_ward_code": T("Mã phường/xã nơi cư trú (mới)", "Residence ward code (new)"),
    "old_address": T("Hoặc địa chỉ cũ (trước sáp nhập)", "Or the old address (before the merger)"),
}


DETAIL_LABELS: dict[str, Text] = {
    "items": T("Cần bổ sung", "To supplement"),
    "legal_ground": T("Căn cứ", "Legal ground"),
    "reason": T("Lý do", "Reason"),
    "method": T("Cách trả", "Returned by"),
    "step": T("Bước", "Step"),
    "assignee": T("Người xử lý", "Assignee"),
    "old_due": T("Hạn cũ", "Old due"),
    "new_due": T("Hạn mới", "New due"),
    "rule": T("Cách tính", "Rule"),
    "copies": T("Số bản", "Copies"),
    "reprint": T("In lại", "Reprint"),
}
HIDDEN_DETAILS = frozenset({"channel", "notebook_version", "job", "form", "template_layer", "template_hash",
                            "residence_hint"})


def event_details(details: dict[str, Any], lang: str = "vi") -> list[str]:
    """Return a control-sheet event's details as short lines people read ("Lý do: …")."""
    lines = []
    for key, value in (details or {}).items():
        if key in HIDDEN_DETAILS or _blank(value):
            continue
        label = DETAIL_LABELS.get(key)
        if key == "items" and isinstance(value, list):
            shown = "; ".join(
                f"{item.get('item', '')} ({item['reason']})" if item.get("reason") else str(item.get("item", ""))
                for item in value if isinstance(item, dict)
            )
        elif key in ("old_due", "new_due") and isinstance(value, str):
            try:
                shown = datetime.fromisoformat(value).strftime("%H:%M %d/%m/%Y")
            except ValueError:
                shown = value
        elif isinstance(value, bool):
            shown = display_value(value, lang)
        else:
            shown = str(value)
        lines.append(f"{label.render(lang) if label else key}: {shown}")
    return lines
