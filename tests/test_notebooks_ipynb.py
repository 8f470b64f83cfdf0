"""``.ipynb`` files: valid nbformat, lossless round trip, located refusals."""

from __future__ import annotations

import json

import nbformat
import pytest

from motcua.notebooks import NotebookFormatError, notebook_to_dict, read_ipynb, write_ipynb

NOTEBOOK = {
    "nbformat": 4,
    "nbformat_minor": 5,
    "metadata": {
        "motcua": {
            "schema": 1,
            "key": "chung-thuc-ban-sao",
            "national_code": "2.000815",
            "name": {
                "vi": "Chứng thực bản sao từ bản chính",
                "en": "Certification of copies from originals",
            },
            "field_area": "tu-phap",
            "limit": "same-day",
            "samples": [
                {
                    "name": "Hai trang",
                    "values": {"so_trang": 2},
                    "expect": {"valid": True, "values": {"le_phi": 4000}},
                }
            ],
            "unconfirmed": ["Phí tối đa mỗi bản"],
        }
    },
    "cells": [
        {
            "id": "intro",
            "cell_type": "markdown",
            "metadata": {"motcua": {"kind": "markdown", "audience": "staff"}},
            "source": "Kiểm tra **bản chính**.",
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
                    "default": {"expr": "1"},
                }
            },
            "source": "ignored",
        },
        {
            "id": "gioi-tinh",
            "cell_type": "raw",
            "metadata": {
                "motcua": {
                    "kind": "field",
                    "name": "gioi_tinh",
                    "type": "choice",
                    "label": {"vi": "Giới tính", "en": "Sex"},
                    "choices": [{"code": "nam", "label": {"vi": "Nam", "en": "Male"}}],
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
                    "type": "number",
                }
            },
            "source": "so_trang * 2000",
        },
        {
            "id": "ok",
            "cell_type": "raw",
            "metadata": {
                "motcua": {
                    "kind": "check",
                    "message": {"vi": "Tối đa 500 trang", "en": "At most 500 pages"},
                    "field": "so_trang",
                }
            },
            "source": "so_trang <= 500",
        },
        {
            "id": "slip",
            "cell_type": "raw",
            "metadata": {
                "motcua": {
                    "kind": "template",
                    "name": "giay_hen",
                    "title": {"vi": "Giấy hẹn", "en": "Appointment slip"},
                    "paper": "80mm",
                }
            },
            "source": "<p>{{ ho_ten }}</p>",
        },
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
                            "form": "shown",
                            "count": 1,
                            "condition": None,
                        }
                    ],
                }
            },
            "source": "",
        },
        {
            "id": "steps",
            "cell_type": "raw",
            "metadata": {
                "motcua": {
                    "kind": "steps",
                    "steps": [
                        {
                            "key": "tiep_nhan",
                            "name": {"vi": "Tiếp nhận", "en": "Reception"},
                            "role": "staff",
                            "budget": "0.5d",
                        }
                    ],
                }
            },
            "source": "",
        },
    ],
}


def test_round_trip_without_loss(tmp_path):
    first = read_ipynb(json.dumps(NOTEBOOK))
    text = write_ipynb(first)
    path = tmp_path / "chung-thuc.ipynb"
    path.write_text(text, encoding="utf-8")
    second = read_ipynb(path)
    assert notebook_to_dict(second) == notebook_to_dict(first)
    assert second == first
    assert write_ipynb(second) == text
    assert "Chứng thực" in text  # UTF-8 kept readable for git diffs


def test_output_passes_nbformat_validate():
    text = write_ipynb(read_ipynb(json.dumps(NOTEBOOK)))
    node = nbformat.reads(text, as_version=4)
    nbformat.validate(node)
    assert [cell["cell_type"] for cell in node.cells][:2] == ["markdown", "raw"]
    assert node.cells[1].source == "so_trang (integer): Số trang *"


def test_source_lists_are_joined():
    data = json.loads(json.dumps(NOTEBOOK))
    data["cells"][3]["source"] = ["so_trang", " * 2000"]
    assert read_ipynb(json.dumps(data)).cell("fee").source == "so_trang * 2000"


def test_refusals_name_the_cell_index_and_id():
    data = json.loads(json.dumps(NOTEBOOK))
    data["cells"][4]["metadata"]["motcua"]["message"] = "sai"
    with pytest.raises(NotebookFormatError) as error:
        read_ipynb(json.dumps(data))
    message = error.value.text.render("en")
    assert "#5" in message and "`ok`" in message and "`message`" in message
    assert error.value.details == {"cell_id": "ok", "index": 4}


def test_refuses_bad_json_and_bad_nbformat():
    with pytest.raises(NotebookFormatError, match="dòng 1"):
        read_ipynb("{not json")
    data = json.loads(json.dumps(NOTEBOOK))
    data["cells"][0]["execution_count"] = 3
    with pytest.raises(NotebookFormatError) as error:
        read_ipynb(json.dumps(data))
    assert error.value.details["key"].startswith("cells/0")
    data = json.loads(json.dumps(NOTEBOOK))
    del data["metadata"]["motcua"]
    with pytest.raises(NotebookFormatError) as error:
        read_ipynb(json.dumps(data))
    assert error.value.details["key"] == "metadata.motcua"
