"""Notebook diffs, orphaning changes and ward layers over province notebooks."""

from __future__ import annotations

import pytest

from motcua.errors import UserError
from motcua.notebooks import (
    Cell,
    add_cell,
    apply_overrides,
    delete_cell,
    diff_notebooks,
    move_cell,
    notebook_from_dict,
    orphaning_changes,
    replace_cell,
    ward_changes,
)


def field_cell(cell_id: str, name: str, type_: str = "text", **meta: object) -> dict:
    return {
        "id": cell_id,
        "cell_type": "raw",
        "metadata": {
            "motcua": {
                "kind": "field",
                "name": name,
                "type": type_,
                "label": {"vi": name, "en": name},
                **meta,
            }
        },
        "source": "",
    }


CHOICES = [
    {"code": "nam", "label": {"vi": "Nam", "en": "Male"}},
    {"code": "nu", "label": {"vi": "Nữ", "en": "Female"}},
]


def province():
    return notebook_from_dict(
        {
            "nbformat": 4,
            "nbformat_minor": 5,
            "metadata": {
                "motcua": {
                    "key": "dang-ky-khai-sinh",
                    "name": {"vi": "Khai sinh", "en": "Birth registration"},
                }
            },
            "cells": [
                field_cell(
                    "ho-ten", "ho_ten", overridable=True, help={"vi": "Viết hoa", "en": "Capitals"}
                ),
                field_cell("so-con", "so_con", "integer"),
                field_cell("gioi-tinh", "gioi_tinh", "choice", choices=CHOICES),
                field_cell("ghi-chu", "ghi_chu", "text"),
                {
                    "id": "note",
                    "cell_type": "markdown",
                    "metadata": {"motcua": {"kind": "markdown"}},
                    "source": "Hướng dẫn",
                },
            ],
        }
    )


def with_meta(nb, cell_id: str, **changes: object):
    cell = nb.cell(cell_id)
    return replace_cell(nb, Cell(cell.id, cell.kind, cell.source, {**cell.meta, **changes}))


def test_diff_reports_added_removed_changed_moved():
    old = province()
    new = with_meta(old, "so-con", label={"vi": "Số con", "en": "Children"})
    new = delete_cell(new, "ghi-chu")
    new = move_cell(new, "note", 0)
    new = add_cell(
        new,
        Cell(
            "email",
            "field",
            "",
            {"name": "email", "type": "email", "label": {"vi": "Email", "en": "Email"}},
        ),
    )
    changes = {(c.kind, c.cell_id) for c in diff_notebooks(old, new)}
    assert changes == {
        ("changed", "so-con"),
        ("removed", "ghi-chu"),
        ("moved", "note"),
        ("added", "email"),
    }
    assert diff_notebooks(old, old) == []
    moved = next(c for c in diff_notebooks(old, new) if c.kind == "moved")
    assert (moved.old_index, moved.new_index) == (4, 0)


def test_safe_changes_do_not_orphan():
    old = province()
    new = with_meta(old, "ho-ten", type="long_text", label={"vi": "Họ tên", "en": "Name"})
    new = with_meta(new, "so-con", type="decimal")
    new = with_meta(
        new,
        "gioi-tinh",
        choices=[*CHOICES, {"code": "khac", "label": {"vi": "Khác", "en": "Other"}}],
    )
    assert orphaning_changes(old, new) == []


def test_orphaning_changes_are_explained():
    old = province()
    new = delete_cell(old, "ghi-chu")
    new = with_meta(new, "so-con", type="text")
    new = with_meta(new, "gioi-tinh", choices=CHOICES[:1])
    new = with_meta(new, "ho-ten", name="ten")
    texts = [t.render("en") for t in orphaning_changes(old, new)]
    assert len(texts) == 4
    assert any("`ho_ten` renamed to `ten`" in t for t in texts)
    assert any("`so_con` changes type integer → text" in t for t in texts)
    assert any("`gioi_tinh` removes the choices nu" in t for t in texts)
    assert any("`ghi_chu` is deleted" in t for t in texts)
    assert all(t.render("vi") for t in orphaning_changes(old, new))


def test_choice_to_text_is_refused_like_formshare():
    old = province()
    [text] = orphaning_changes(old, with_meta(old, "gioi-tinh", type="text", choices=[]))
    assert "choice → text" in text.render("en")


def test_ward_overrides_only_overridable_cells():
    base = province()
    ward_cell = Cell(
        "ho-ten",
        "field",
        "",
        {**base.cell("ho-ten").meta, "help": {"vi": "Ghi có dấu", "en": "With accents"}},
    )
    ward = apply_overrides(base, {"ho-ten": ward_cell})
    assert ward.cell("ho-ten").meta["help"]["vi"] == "Ghi có dấu"
    assert [c.id for c in ward.cells] == [c.id for c in base.cells]
    assert [(c.kind, c.cell_id) for c in ward_changes(base, ward)] == [("changed", "ho-ten")]
    with pytest.raises(UserError) as refused:
        apply_overrides(
            base, {"so-con": Cell("so-con", "field", "", dict(base.cell("so-con").meta))}
        )
    assert refused.value.details == {"cell_id": "so-con"}
    assert "overridable" in refused.value.text.render("en")
    with pytest.raises(UserError, match="không có trong notebook"):
        apply_overrides(base, {"nope": ward_cell})
    with pytest.raises(UserError, match="ho_ten"):
        apply_overrides(
            base, {"ho-ten": Cell("ho-ten", "field", "", {**ward_cell.meta, "name": "ten"})}
        )
