"""Province notebooks inherited by wards, which may override the cells marked overridable."""

from __future__ import annotations

from dataclasses import replace

from motcua.errors import UserError
from motcua.i18n import T
from motcua.notebooks.diff import CellChange, diff_notebooks
from motcua.notebooks.model import Cell, Notebook
from motcua.notebooks.serialize import notebook_from_dict, notebook_to_dict


def apply_overrides(province_nb: Notebook, ward_overrides: dict[str, Cell]) -> Notebook:
    """Return the ward's notebook: the province notebook with ``ward_overrides`` in place.

    Each override replaces the province cell of the same id, keeping its position. Raises
    UserError naming the cell when it does not exist in the province notebook, is not
    marked ``"overridable": true``, changes the cell's kind, or renames what the cell
    defines; raises NotebookFormatError when the result is not a valid notebook.
    """
    cells = {cell.id: cell for cell in province_nb.cells}
    for cell_id, override in ward_overrides.items():
        original = cells.get(cell_id)
        if original is None:
            raise UserError(
                T(
                    "Ô `{id}` không có trong notebook của tỉnh",
                    "Cell `{id}` is not in the province notebook",
                    id=cell_id,
                ),
                cell_id=cell_id,
            )
        if not original.overridable:
            raise UserError(
                T(
                    'Ô `{id}` do tỉnh quy định, phường/xã không được sửa (không có "overridable": true)',
                    'Cell `{id}` is set by the province; wards may not override it (it is not "overridable": true)',
                    id=cell_id,
                ),
                cell_id=cell_id,
            )
        if override.kind != original.kind:
            raise UserError(
                T(
                    "Ô `{id}` phải giữ loại `{kind}`",
                    "Cell `{id}` must stay a `{kind}` cell",
                    id=cell_id,
                    kind=original.kind,
                ),
                cell_id=cell_id,
            )
        if override.meta.get("name") != original.meta.get("name"):
            raise UserError(
                T(
                    "Ô `{id}` phải giữ tên `{name}` vì các ô khác dùng tên này",
                    "Cell `{id}` must keep the name `{name}`: other cells use it",
                    id=cell_id,
                    name=original.meta.get("name"),
                ),
                cell_id=cell_id,
            )
        # The ward's copy stays overridable so a later province version can be re-applied.
        cells[cell_id] = Cell(
            cell_id, original.kind, override.source, {**override.meta, "overridable": True}
        )
    ward = replace(province_nb, cells=tuple(cells[cell.id] for cell in province_nb.cells))
    return notebook_from_dict(notebook_to_dict(ward))


def ward_changes(province_nb: Notebook, ward_nb: Notebook) -> list[CellChange]:
    """Return how the ward's notebook differs from the province version, cell by cell."""
    return diff_notebooks(province_nb, ward_nb)
