"""Legal data nobody has confirmed yet (pure, no I/O).

A notebook lists, under ``unconfirmed``, notes about values its author could not confirm
from an official source ("muc_le_phi = 5 000 đ is a placeholder…"). The editor shows a badge
on each cell a note names and a notice until a person confirms the note, which removes it.
"""

from __future__ import annotations

import re
from dataclasses import replace

from motcua.errors import NotFound
from motcua.i18n import T
from motcua.notebooks.model import Notebook


def cells_named(nb: Notebook, note: str) -> list[str]:
    """Return the ids of the cells whose defined name (or id) ``note`` mentions as a word."""
    found = []
    for cell in nb.cells:
        names = {cell.id, str(cell.meta.get("name") or "")} - {""}
        if any(re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", note) for name in names):
            found.append(cell.id)
    return found


def badges(nb: Notebook) -> dict[str, list[str]]:
    """Return ``{cell id: [notes naming it]}`` for the notebook's unconfirmed notes."""
    marks: dict[str, list[str]] = {}
    for note in nb.unconfirmed:
        for cell_id in cells_named(nb, note):
            marks.setdefault(cell_id, []).append(note)
    return marks


def confirm(nb: Notebook, index: int) -> tuple[Notebook, str]:
    """Return ``nb`` without its ``index``-th unconfirmed note, and the note.

    :raises NotFound: there is no such note (someone confirmed it already).
    """
    if not 0 <= index < len(nb.unconfirmed):
        raise NotFound(
            T(
                "Ghi chú chưa xác nhận số {n} không còn (có thể người khác vừa xác nhận)",
                "Unconfirmed note {n} is gone (someone may have just confirmed it)",
                n=index + 1,
            )
        )
    note = nb.unconfirmed[index]
    return replace(nb, unconfirmed=nb.unconfirmed[:index] + nb.unconfirmed[index + 1 :]), note
