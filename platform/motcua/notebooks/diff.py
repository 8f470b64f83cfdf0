"""Comparing two versions of a notebook, and spotting changes that would orphan data.

Stored values are keyed by field name and choice code, so the rules follow the
Kobo/ODK/FormShare lessons (docs/notebook-format.md, *Versions*): deleting or renaming a
field, removing a choice code, or changing a type into one whose values cannot be read
back would leave earlier records with data the new version cannot show.
"""

from __future__ import annotations

from dataclasses import dataclass

from motcua.i18n import T, Text
from motcua.notebooks.model import Cell, FieldDef, Notebook

# (old type, new type) pairs whose stored values stay readable as they are.
COMPATIBLE_TYPE_CHANGES = frozenset(
    {
        ("text", "long_text"),
        ("long_text", "text"),
        ("integer", "decimal"),
        ("integer", "money"),
        ("money", "integer"),
        ("money", "decimal"),
        ("phone", "text"),
        ("email", "text"),
        ("citizen_id", "text"),
        ("phone", "long_text"),
        ("email", "long_text"),
        ("citizen_id", "long_text"),
    }
)


@dataclass(frozen=True)
class CellChange:
    """One difference: ``kind`` is added, removed, changed or moved."""

    kind: str
    cell_id: str
    before: Cell | None = None
    after: Cell | None = None
    old_index: int | None = None
    new_index: int | None = None


def diff_notebooks(old: Notebook, new: Notebook) -> list[CellChange]:
    """Return the cell-by-cell changes from ``old`` to ``new``.

    Cells are matched by id. A cell keeps its place when it is in the longest common
    ordering of both versions; the others that exist in both are reported as moved. A
    cell both edited and moved gives two changes. Never raises.
    """
    old_cells = {cell.id: (index, cell) for index, cell in enumerate(old.cells)}
    new_cells = {cell.id: (index, cell) for index, cell in enumerate(new.cells)}
    changes: list[CellChange] = []
    for cell_id, (index, cell) in old_cells.items():
        if cell_id not in new_cells:
            changes.append(CellChange("removed", cell_id, before=cell, old_index=index))
    common_old = [cell.id for cell in old.cells if cell.id in new_cells]
    common_new = [cell.id for cell in new.cells if cell.id in old_cells]
    kept = _longest_common(common_old, common_new)
    for cell_id, (index, cell) in new_cells.items():
        if cell_id not in old_cells:
            changes.append(CellChange("added", cell_id, after=cell, new_index=index))
            continue
        old_index, before = old_cells[cell_id]
        if (before.kind, before.source, before.meta) != (cell.kind, cell.source, cell.meta):
            changes.append(CellChange("changed", cell_id, before, cell, old_index, index))
        if cell_id not in kept:
            changes.append(CellChange("moved", cell_id, before, cell, old_index, index))
    return changes


def _longest_common(first: list[str], second: list[str]) -> set[str]:
    # Classic dynamic programme; notebooks have at most a few hundred cells.
    rows, cols = len(first), len(second)
    table = [[0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        for j in range(cols - 1, -1, -1):
            table[i][j] = (
                table[i + 1][j + 1] + 1
                if first[i] == second[j]
                else max(table[i + 1][j], table[i][j + 1])
            )
    kept: set[str] = set()
    i = j = 0
    while i < rows and j < cols:
        if first[i] == second[j]:
            kept.add(first[i])
            i, j = i + 1, j + 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return kept


def orphaning_changes(old: Notebook, new: Notebook) -> list[Text]:
    """Return one explanation per change that would orphan data stored under ``old``.

    Flags a field removed or renamed, a type changed outside
    :data:`COMPATIBLE_TYPE_CHANGES`, a choice code removed, and the same for repeat
    columns. Label, help, order, logic and new fields are safe. Never raises.
    """
    old_fields = {field.name: field for field in old.fields()}
    new_fields = {field.name: field for field in new.fields()}
    renamed = _renames(old, new)
    problems: list[Text] = []
    for name, field in old_fields.items():
        if name in new_fields:
            problems.extend(_field_problems(field, new_fields[name], name))
        elif name in renamed:
            problems.append(
                T(
                    "Trường `{old}` đổi tên thành `{new}`: dữ liệu đã lưu dưới tên cũ sẽ không còn hiện",
                    "Field `{old}` renamed to `{new}`: data stored under the old name would no longer show",
                    old=name,
                    new=renamed[name],
                )
            )
        else:
            problems.append(
                T(
                    "Trường `{name}` bị xóa: dữ liệu đã nhập sẽ không còn hiện; hãy ẩn trường (relevant) thay vì xóa",
                    "Field `{name}` is deleted: data already entered would no longer show; hide it (relevant) instead",
                    name=name,
                )
            )
    return problems


def _renames(old: Notebook, new: Notebook) -> dict[str, str]:
    new_by_id = {cell.id: cell for cell in new.cells if cell.kind == "field"}
    renames = {}
    for cell in old.cells:
        other = new_by_id.get(cell.id)
        if cell.kind == "field" and other is not None and other.meta["name"] != cell.meta["name"]:
            renames[cell.meta["name"]] = other.meta["name"]
    return renames


def _field_problems(before: FieldDef, after: FieldDef, label: str) -> list[Text]:
    if before.type != after.type and (before.type, after.type) not in COMPATIBLE_TYPE_CHANGES:
        return [
            T(
                "Trường `{name}` đổi kiểu {old} → {new}: giá trị đã lưu không đọc lại được theo kiểu mới",
                "Field `{name}` changes type {old} → {new}: stored values cannot be read as the new type",
                name=label,
                old=before.type,
                new=after.type,
            )
        ]
    problems: list[Text] = []
    removed = [code for code in before.choice_codes() if code not in after.choice_codes()]
    if removed:
        problems.append(
            T(
                "Trường `{name}` bỏ lựa chọn {codes}: hồ sơ đã chọn sẽ mất nhãn; hãy giữ mã cũ",
                "Field `{name}` removes the choices {codes}: records that chose them would lose their label; keep the old codes",
                name=label,
                codes=", ".join(removed),
            )
        )
    after_columns = {column.name: column for column in after.columns}
    for column in before.columns:
        path = f"{label}.{column.name}"
        if column.name not in after_columns:
            problems.append(
                T(
                    "Cột `{name}` bị xóa: dữ liệu đã nhập sẽ không còn hiện",
                    "Column `{name}` is deleted: data already entered would no longer show",
                    name=path,
                )
            )
        else:
            problems.extend(_field_problems(column, after_columns[column.name], path))
    return problems
