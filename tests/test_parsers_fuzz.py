"""Every parser of untrusted files either parses or raises our UserError, whatever the bytes.

Hypothesis mutates real files (the forms' .ipynb, an XLSForm workbook, a records CSV and
XLSX) byte by byte and value by value; the crashers found by the hardening probe are kept
as regression cases. Runs are derandomized and bounded, so the suite stays fast and stable.
"""

from __future__ import annotations

import io
import json
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO
from motcua.citizen_id import parse_chip_qr, parse_citizen_id
from motcua.errors import UserError
from motcua.notebooks import read_ipynb, read_xlsform
from motcua.records.import_table import map_columns, parse_row, read_table
from test_notebooks_xlsform import workbook

FUZZ = settings(max_examples=120, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FORMS = sorted((REPO / "forms").glob("*.ipynb"))
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


def parses_or_refuses(parse: Any, *args: Any) -> str:
    """Run ``parse``; return "parsed" or "refused" (a UserError). Anything else fails."""
    try:
        parse(*args)
    except UserError as refusal:
        assert refusal.text.render("vi") and refusal.text.render("en")
        return "refused"
    return "parsed"


@st.composite
def mutated(draw: st.DrawFn, original: bytes) -> bytes:
    """``original`` with a few byte flips, cuts, insertions and duplications."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        kind = draw(st.sampled_from(["flip", "cut", "insert", "duplicate", "truncate"]))
        if kind == "flip":
            data[at] = draw(st.integers(0, 255))
        elif kind == "cut":
            del data[at : at + draw(st.integers(1, 64))]
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif kind == "duplicate":
            data[at:at] = data[at : at + draw(st.integers(1, 256))]
        else:
            del data[at:]
    return bytes(data)


# ---------------------------------------------------------------- .ipynb

def _ipynb_from_bytes(data: bytes) -> None:
    # As the web import does: UTF-8 text starting with "{".
    text = data.decode("utf-8", errors="replace")
    if not text.lstrip().startswith("{"):
        text = "{" + text
    read_ipynb(text)


@FUZZ
@given(data=st.data())
def test_mutated_ipynb_bytes_parse_or_are_refused(data):
    original = FORMS[data.draw(st.integers(0, len(FORMS) - 1))].read_bytes()
    parses_or_refuses(_ipynb_from_bytes, data.draw(mutated(original)))


def _paths(value: Any, path: tuple = ()) -> list[tuple]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


@FUZZ
@given(data=st.data())
def test_ipynb_with_any_value_anywhere_parses_or_is_refused(data):
    notebook = json.loads(FORMS[data.draw(st.integers(0, len(FORMS) - 1))].read_text())
    for _ in range(data.draw(st.integers(1, 3))):
        paths = [p for p in _paths(notebook) if p]
        path = data.draw(st.sampled_from(paths))
        holder = notebook
        for step in path[:-1]:
            holder = holder[step]
        if data.draw(st.booleans()) and isinstance(holder, dict):
            del holder[path[-1]]
        else:
            holder[path[-1]] = data.draw(JSON)
    parses_or_refuses(read_ipynb, json.dumps(notebook))


@pytest.mark.parametrize("text", [
    '{"a": ' + "[" * 100_000,  # RecursionError in json.loads
    '{"nbformat": 4, "nbformat_minor": 5, "metadata": {"motcua": []}, "cells": []}',
    '{"nbformat": 4, "nbformat_minor": 5, "metadata": {"motcua": {"key": "x"}}, "cells": 5}',
    '{"nbformat": 4, "nbformat_minor": 5, "metadata": [], "cells": []}',
    '{"nbformat": 4, "nbformat_minor": ' + "9" * 5000 + "}",  # over Python's 4,300 digits
    '{"nbformat": 4, "nbformat_minor": 5, "metadata": {"motcua": {"key": "x", "name": 3}}, "cells": [[]]}',
    '{"nbformat": 4, "nbformat_minor": "5", "metadata": {"motcua": {"key": "x", "name": {"vi": "a"}}}, "cells": []}',
], ids=["deep-nesting", "motcua-list", "cells-number", "metadata-list", "huge-int", "name-number", "minor-string"])
def test_ipynb_crashers_of_the_probe_are_refused(text):
    assert parses_or_refuses(read_ipynb, text) == "refused"


# ---------------------------------------------------------------- XLSForm

@pytest.fixture(scope="module")
def xlsform_bytes(tmp_path_factory) -> bytes:  # noqa: ANN001
    return workbook(tmp_path_factory.mktemp("xlsform")).read_bytes()


@FUZZ
@given(data=st.data())
def test_mutated_xlsform_bytes_parse_or_are_refused(xlsform_bytes, data):
    parses_or_refuses(read_xlsform, io.BytesIO(data.draw(mutated(xlsform_bytes))))


# Text a workbook can hold (openpyxl refuses control characters when writing one).
CELL_TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30)
CELL = st.none() | CELL_TEXT | st.integers(-10**6, 10**6) | st.floats(allow_nan=False) | st.booleans()


@FUZZ
@given(data=st.data())
def test_xlsform_with_any_cell_values_parses_or_is_refused(xlsform_bytes, data):
    book = openpyxl.load_workbook(io.BytesIO(xlsform_bytes))
    for _ in range(data.draw(st.integers(1, 6))):
        sheet = book[data.draw(st.sampled_from(book.sheetnames))]
        row = data.draw(st.integers(1, max(1, sheet.max_row)))
        column = data.draw(st.integers(1, max(1, sheet.max_column)))
        value = data.draw(CELL)
        sheet.cell(row=row, column=column, value=value)
    if data.draw(st.booleans()) and len(book.sheetnames) > 1:
        del book[data.draw(st.sampled_from(book.sheetnames[1:]))]
    out = io.BytesIO()
    try:
        book.save(out)
    except ValueError:  # openpyxl refuses control characters; that workbook cannot exist
        return
    out.seek(0)
    parses_or_refuses(read_xlsform, out)


def _bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b"0" * (64 * 2**20))
    return out.getvalue()


def _odd_method() -> bytes:
    # A zip entry whose compression method number zipfile does not know (NotImplementedError).
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    data = bytearray(out.getvalue())
    for at in (8, data.rfind(b"PK\x01\x02") + 10):  # local and central headers' method
        data[at] = 99
    return bytes(data)


@pytest.mark.parametrize("data", [b"", b"PK\x03\x04" + b"\x00" * 40, b"not a zip at all", _bomb(), _odd_method()],
                         ids=["empty", "broken-zip", "text", "compression-bomb", "unknown-compression"])
def test_xlsform_crashers_and_bombs_are_refused(data):
    assert len(data) < 200_000
    assert parses_or_refuses(read_xlsform, io.BytesIO(data)) == "refused"


# ---------------------------------------------------------------- records CSV / XLSX

RECORDS_CSV = (
    "Mã hồ sơ,Thủ tục,Kênh,Ngày tiếp nhận,Ngày hẹn trả,Ngày giải quyết,Ngày trả kết quả,"
    "Trạng thái,Người nộp,Số CCCD,Địa chỉ,Mã đơn vị cũ,Ghi chú\n"
    "VT-2025-0101,1.004873,trực tiếp,25/06/2025 08:15,30/06/2025 16:00,,,Đang xử lý,Nguyễn Văn An,"
    '024090001234,"Xã Vân Trung, Huyện Việt Yên",07801,chuyển từ Vân Trung\n'
    "QC-2025-0007,2.000815,direct,2025-06-20,2025-06-20,2025-06-20 10:00,2025-06-23,Đã trả kết quả,"
    "Lê Văn Cường,24090005678,,07807,\n"
).encode("utf-8-sig")


def _import(path: Path) -> None:
    table = read_table(path)
    columns = map_columns(table.header)
    for line, cells in table.rows:
        parse_row(line, cells, columns, table.header)


@cache  # once: openpyxl stamps the time into the zip, and the fuzzer needs the same bytes
def _records_xlsx() -> bytes:
    book = openpyxl.Workbook()
    for line in RECORDS_CSV.decode("utf-8-sig").splitlines():
        book.active.append(line.split(","))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@FUZZ
@given(data=st.data())
def test_mutated_record_tables_parse_or_are_refused(tmp_path_factory, data):
    suffix = data.draw(st.sampled_from([".csv", ".xlsx"]))
    original = RECORDS_CSV if suffix == ".csv" else _records_xlsx()
    path = tmp_path_factory.mktemp("table") / f"old{suffix}"
    path.write_bytes(data.draw(mutated(original)))
    parses_or_refuses(_import, path)


@FUZZ
@given(cells=st.lists(st.lists(CELL, max_size=14), min_size=1, max_size=5))
def test_record_rows_of_any_values_parse_or_are_refused(cells):
    header = RECORDS_CSV.decode("utf-8-sig").splitlines()[0].split(",")
    columns = map_columns(header)
    for line, row in enumerate(cells, start=2):
        parses_or_refuses(parse_row, line, row, columns, header)


# ---------------------------------------------------------------- CCCD

@FUZZ
@given(text=st.text(max_size=80) | st.from_regex(r"0[0-9]{11}", fullmatch=True)
       | st.from_regex(r"[0-9]{12}\|[0-9]{9}\|[^|]{0,30}\|[0-9]{8}\|[^|]{0,5}\|[^|]{0,40}\|[0-9]{0,8}", fullmatch=True))
def test_citizen_id_and_chip_qr_parse_or_are_refused(text):
    parses_or_refuses(parse_citizen_id, text)
    parses_or_refuses(parse_chip_qr, text)
