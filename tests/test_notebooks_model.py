"""The notebook model: validation with located errors, immutable editing, content hash."""

from __future__ import annotations

import copy

import pytest

from motcua.errors import UserError
from motcua.notebooks import (
    Cell,
    NotebookFormatError,
    add_cell,
    delete_cell,
    make_cell,
    move_cell,
    new_cell_id,
    notebook_from_dict,
    notebook_to_dict,
    replace_cell,
)


def base() -> dict:
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "motcua": {
                "schema": 1,
                "key": "chung-thuc-ban-sao",
                "national_code": "2.000815",
                "name": {"vi": "Chứng thực bản sao", "en": "Certification of copies"},
                "limit": "same-day",
                "unconfirmed": ["Mức phí tối đa"],
            }
        },
        "cells": [
            {
                "id": "intro",
                "cell_type": "markdown",
                "metadata": {"motcua": {"kind": "markdown", "audience": "citizen"}},
                "source": ["# Hướng dẫn\n", "Mang bản chính."],
            },
            {
                "id": "so-trang",
                "cell_type": "raw",
                "metadata": {
                    "motcua": {
                        "kind": "field",
                        "name": "so_trang",
                        "type": "integer",
                        "label": {"vi": "Số trang", "en": "Pages"},
                        "required": True,
                        "overridable": True,
                    }
                },
                "source": "",
            },
            {
                "id": "fee",
                "cell_type": "raw",
                "metadata": {
                    "motcua": {
                        "kind": "formula",
                        "name": "le_phi",
                        "label": {"vi": "Lệ phí", "en": "Fee"},
                    }
                },
                "source": "so_trang * 2000",
            },
        ],
    }


def test_reads_cells_and_regenerates_summaries():
    nb = notebook_from_dict(base())
    assert [cell.kind for cell in nb.cells] == ["markdown", "field", "formula"]
    assert nb.cells[0].source == "# Hướng dẫn\nMang bản chính."
    assert nb.cells[1].source == "so_trang (integer): Số trang *"
    assert nb.cell("so-trang").field_def().required is True
    assert nb.cell("so-trang").overridable
    assert nb.defined_names() == {"so_trang": "so-trang", "le_phi": "fee"}
    assert notebook_from_dict(notebook_to_dict(nb)) == nb


@pytest.mark.parametrize(
    ("mutate", "cell_id", "expected"),
    [
        (lambda d: d["cells"][1]["metadata"]["motcua"].update(name="Số"), "so-trang", "`name`"),
        (
            lambda d: d["cells"][2]["metadata"]["motcua"].update(name="so_trang"),
            "fee",
            "`so_trang`",
        ),
        (lambda d: d["cells"][2].update(id="so-trang"), "so-trang", "#2"),
        (lambda d: d["cells"][2].update(cell_type="code"), "fee", "code"),
        (lambda d: d["cells"][2].update(source="  "), "fee", "expression is empty"),
        (
            lambda d: d["cells"][1]["metadata"]["motcua"].update(type="choice"),
            "so-trang",
            "choices",
        ),
        (
            lambda d: d["cells"][1]["metadata"]["motcua"].update(label={"en": "x"}),
            "so-trang",
            "`label`",
        ),
        (lambda d: d["cells"][0]["metadata"]["motcua"].update(kind="chart"), "intro", "kind"),
    ],
)
def test_errors_name_the_cell(mutate, cell_id, expected):
    data = base()
    mutate(data)
    with pytest.raises(NotebookFormatError) as error:
        notebook_from_dict(data)
    assert error.value.details["cell_id"] == cell_id
    message = error.value.text.render("en")
    assert f"`{cell_id}`" in message and expected in message


def test_errors_name_the_notebook_key():
    data = base()
    data["metadata"]["motcua"]["key"] = "Chung Thuc"
    with pytest.raises(NotebookFormatError) as error:
        notebook_from_dict(data)
    assert error.value.details["key"] == "key"
    data = base()
    data["metadata"]["motcua"]["limit"] = "3 days"
    with pytest.raises(NotebookFormatError, match="limit"):
        notebook_from_dict(data)


def test_documents_and_steps_are_validated():
    data = base()
    data["cells"].append(
        {
            "id": "docs",
            "cell_type": "raw",
            "metadata": {
                "motcua": {
                    "kind": "documents",
                    "items": [
                        {
                            "key": "ban_chinh",
                            "name": {"vi": "Bản chính", "en": "Original"},
                            "form": "photocopy",
                        }
                    ],
                }
            },
            "source": "",
        }
    )
    with pytest.raises(NotebookFormatError) as error:
        notebook_from_dict(data)
    assert "`form`" in error.value.text.render("en") and error.value.details["cell_id"] == "docs"
    data["cells"][-1]["metadata"]["motcua"]["items"][0]["form"] = "original"
    assert notebook_from_dict(data).cell("docs").document_items()[0].count == 1


def test_content_hash_is_stable_and_tracks_changes():
    nb = notebook_from_dict(base())
    again = notebook_from_dict(copy.deepcopy(base()))
    assert nb.content_hash() == again.content_hash()
    assert len(nb.content_hash()) == 64
    changed = replace_cell(nb, Cell("fee", "formula", "so_trang * 3000", dict(nb.cell("fee").meta)))
    assert changed.content_hash() != nb.content_hash()


def test_editing_returns_new_notebooks():
    nb = notebook_from_dict(base())
    check = make_cell(
        nb, "check", {"message": {"vi": "Ít nhất 1", "en": "At least 1"}}, "so_trang >= 1"
    )
    assert check.id == "check-1"
    added = add_cell(nb, check, after="so-trang")
    assert [c.id for c in added.cells] == ["intro", "so-trang", "check-1", "fee"]
    assert [c.id for c in nb.cells] == ["intro", "so-trang", "fee"]
    moved = move_cell(added, "check-1", 99)
    assert [c.id for c in moved.cells][-1] == "check-1"
    assert [c.id for c in delete_cell(moved, "intro").cells] == ["so-trang", "fee", "check-1"]
    assert new_cell_id(nb, "field", "so_ban") == "field-so_ban"
    assert new_cell_id(nb, "check") == new_cell_id(nb, "check")
    with pytest.raises(UserError):
        delete_cell(nb, "missing")
    duplicate = make_cell(nb, "formula", {"name": "so_trang"}, "1")
    with pytest.raises(NotebookFormatError, match="so_trang"):
        add_cell(nb, duplicate)
