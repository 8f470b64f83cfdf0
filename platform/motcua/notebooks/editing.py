"""Editing a notebook: each operation returns a new, re-validated notebook."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from motcua.errors import UserError
from motcua.i18n import T
from motcua.notebooks.model import Cell, Notebook
from motcua.notebooks.serialize import notebook_from_dict, notebook_to_dict


def new_cell_id(nb: Notebook, kind: str, name: str | None = None) -> str:
    """Return a fresh cell id, stable for the same notebook and arguments.

    Ids read ``<kind>-<name>`` (or ``<kind>-<n>``), with ``-2``, ``-3``… added until unique,
    so generated ids survive exports and make diffs readable.
    """
    taken = {cell.id for cell in nb.cells}
    base = f"{kind}-{re.sub(r'[^A-Za-z0-9_-]', '-', name)[:50]}" if name else kind
    if name and base not in taken:
        return base
    counter = 1 if name else sum(1 for c in nb.cells if c.kind == kind) + 1
    while f"{base}-{counter}" in taken:
        counter += 1
    return f"{base}-{counter}"


def make_cell(nb: Notebook, kind: str, meta: dict[str, Any], source: str = "") -> Cell:
    """Return a new cell for ``nb`` with a generated id (not yet added)."""
    return Cell(new_cell_id(nb, kind, meta.get("name")), kind, source, dict(meta))


def add_cell(nb: Notebook, cell: Cell, *, after: str | None = None) -> Notebook:
    """Return ``nb`` with ``cell`` inserted after the cell ``after`` (or appended).

    Raises UserError if ``after`` does not exist, NotebookFormatError if the result is invalid.
    """
    cells = list(nb.cells)
    index = len(cells) if after is None else _index(nb, after) + 1
    cells.insert(index, cell)
    return _validated(replace(nb, cells=tuple(cells)))


def move_cell(nb: Notebook, cell_id: str, index: int) -> Notebook:
    """Return ``nb`` with the cell ``cell_id`` moved to position ``index`` (0-based, clamped).

    Raises UserError if the cell does not exist.
    """
    cells = list(nb.cells)
    cell = cells.pop(_index(nb, cell_id))
    cells.insert(max(0, min(index, len(cells))), cell)
    return replace(nb, cells=tuple(cells))


def delete_cell(nb: Notebook, cell_id: str) -> Notebook:
    """Return ``nb`` without the cell ``cell_id``; raises UserError if it does not exist."""
    index = _index(nb, cell_id)
    return replace(nb, cells=nb.cells[:index] + nb.cells[index + 1 :])


def replace_cell(nb: Notebook, cell: Cell) -> Notebook:
    """Return ``nb`` with the cell of the same id replaced by ``cell``.

    Raises UserError if no cell has that id, NotebookFormatError if the result is invalid.
    """
    index = _index(nb, cell.id)
    return _validated(replace(nb, cells=nb.cells[:index] + (cell,) + nb.cells[index + 1 :]))


def _index(nb: Notebook, cell_id: str) -> int:
    for index, cell in enumerate(nb.cells):
        if cell.id == cell_id:
            return index
    raise UserError(T("Không có ô `{id}`", "There is no cell `{id}`", id=cell_id), cell_id=cell_id)


def _validated(nb: Notebook) -> Notebook:
    # One validation path for files and edits: the dict round trip runs every check.
    return notebook_from_dict(notebook_to_dict(nb))
