"""What a ward may change in a province notebook, checked while the ward admin edits.

The same rules as publishing (:func:`motcua.notebooks.layers.apply_overrides`), run on
the unsaved draft so the editor can name the cell at fault before "Ban hành" is pressed.
Plain functions over notebooks; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

from motcua.errors import UserError
from motcua.i18n import T, Text
from motcua.notebooks.diff import diff_notebooks
from motcua.notebooks.layers import apply_overrides
from motcua.notebooks.model import Notebook


@dataclass(frozen=True)
class OverrideProblem:
    """A change the province does not allow: the cell and the reason."""

    cell_id: str
    text: Text


def override_problems(province_nb: Notebook, ward_nb: Notebook) -> list[OverrideProblem]:
    """Return each change of ``ward_nb`` against ``province_nb`` that a ward may not make.

    Adding, deleting or moving cells is refused; an edited cell must be marked
    ``overridable`` by the province, keep its kind and keep its name. Never raises.
    """
    problems: list[OverrideProblem] = []
    for change in diff_notebooks(province_nb, ward_nb):
        if change.kind in ("added", "removed", "moved"):
            problems.append(
                OverrideProblem(
                    change.cell_id,
                    T(
                        "Ô `{id}`: phường/xã chỉ được sửa các ô tỉnh cho phép, không được thêm, xóa hay đổi chỗ ô",
                        "Cell `{id}`: a ward may only edit the cells the province allows, not add, delete or move cells",
                        id=change.cell_id,
                    ),
                )
            )
        elif change.kind == "changed" and change.after is not None:
            try:
                apply_overrides(province_nb, {change.cell_id: change.after})
            except UserError as error:
                problems.append(OverrideProblem(change.cell_id, error.text))
    return problems


def overridable_cells(province_nb: Notebook) -> frozenset[str]:
    """Return the ids of the cells of ``province_nb`` that wards may override."""
    return frozenset(cell.id for cell in province_nb.cells if cell.overridable)
