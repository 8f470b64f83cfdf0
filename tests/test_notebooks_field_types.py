"""Field types: parsing form and JSON input, bilingual validation messages."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from motcua.expressions import ValueType
from motcua.notebooks import FieldDef, FieldType, FieldTypeRegistry
from motcua.notebooks.model import Choice

TYPES = FieldTypeRegistry.default()


def field(type_: str, **extra: object) -> FieldDef:
    return FieldDef(name="x", type=type_, label={"vi": "X", "en": "X"}, **extra)


def parse(type_: str, raw: object, **extra: object):
    return TYPES.parse_value(field(type_, **extra), raw)


@pytest.mark.parametrize(
    ("type_", "raw", "value"),
    [
        ("text", "  Nguyễn Văn A ", "Nguyễn Văn A"),
        ("text", "", None),
        ("long_text", "a\r\nb", "a\nb"),
        ("integer", "12", 12),
        ("integer", 12.0, 12),
        ("decimal", "1,5", Decimal("1.5")),
        ("decimal", 0.1, Decimal("0.1")),
        ("money", "1.200.000", 1200000),
        ("money", "1200000", 1200000),
        ("money", "1,200,000 đ", 1200000),
        ("money", 50000, 50000),
        ("date", "2026-01-31", date(2026, 1, 31)),
        ("date", "31/01/2026", date(2026, 1, 31)),
        ("datetime", "31/01/2026 08:30", datetime(2026, 1, 31, 8, 30)),
        ("datetime", "2026-01-31T08:30", datetime(2026, 1, 31, 8, 30)),
        ("yes_no", "on", True),
        ("yes_no", "không", False),
        ("yes_no", False, False),
        ("phone", "+84 912 345 678", "0912345678"),
        ("phone", "024 3825 1234", "02438251234"),
        ("email", "An@Example.VN", "An@example.vn"),
        ("address", "12 Lý Thường Kiệt", {"text": "12 Lý Thường Kiệt", "ward_code": None}),
        (
            "file",
            {"id": "f1", "name": "a.pdf", "size": 10, "other": 1},
            {"id": "f1", "name": "a.pdf", "size": 10},
        ),
    ],
)
def test_parses(type_, raw, value):
    assert parse(type_, raw) == (value, None)


@pytest.mark.parametrize(
    ("type_", "raw", "fragment"),
    [
        ("integer", "1.5", "whole number"),
        ("integer", "abc", "“abc” is not a number"),
        ("money", "12,5", "not an amount"),
        ("date", "31/02/2026", "does not exist"),
        ("date", "tomorrow", "dd/mm/yyyy"),
        ("yes_no", "maybe", "yes or no"),
        ("phone", "12345", "not a Vietnamese phone number"),
        ("email", "an@", "not an email"),
        ("file", "{}", "upload the file first"),
        ("address", {"text": "", "ward_code": "26734"}, "house number"),
    ],
)
def test_refuses_with_specific_messages(type_, raw, fragment):
    value, problem = parse(type_, raw)
    assert problem is not None
    assert fragment in problem.render("en")
    assert problem.render("vi") != problem.render("en")


def test_choices_are_codes():
    choices = (
        Choice("nam", {"vi": "Nam", "en": "Male"}),
        Choice("nu", {"vi": "Nữ", "en": "Female"}),
    )
    assert parse("choice", "nu", choices=choices) == ("nu", None)
    value, problem = parse("choice", "khac", choices=choices)
    assert problem.render("en") == "“khac” is not one of the choices (nam, nu)"
    assert parse("multi_choice", "nam, nu nam", choices=choices) == (["nam", "nu"], None)
    assert parse("multi_choice", ["nu", "x"], choices=choices)[1] is not None


def test_citizen_id_uses_the_shared_parser():
    value, problem = parse("citizen_id", "001 099 012 345")
    assert problem is None and value == "001099012345"
    assert parse("citizen_id", "12ab")[1] is not None


def test_repeat_parses_rows_and_bounds():
    columns = (field("integer", required=True),)
    repeat = FieldDef(
        "rows",
        "repeat",
        {"vi": "Bảng", "en": "Table"},
        columns=(FieldDef("n", "integer", {"vi": "Số", "en": "N"}, required=True),),
        max_rows=2,
    )
    assert TYPES.parse_value(repeat, '[{"n": "1"}, {"n": 2}]') == ([{"n": 1}, {"n": 2}], None)
    value, problem = TYPES.parse_value(repeat, [{"n": "1"}, {}])
    assert problem.render("en") == "Row 2, column “Số”: Required"
    assert TYPES.parse_value(repeat, [{"n": 1}] * 3)[1].render("en") == "At most 2 rows are allowed"
    assert columns


def test_registry_is_extensible_and_immutable():
    plate = FieldType(
        "plate",
        {"vi": "Biển số", "en": "Plate"},
        ValueType.TEXT,
        "text",
        lambda raw, f: str(raw).upper(),
    )
    extended = TYPES.extended(plate)
    assert "plate" in extended and "plate" not in TYPES
    assert extended.parse_value(FieldDef("p", "plate", {"vi": "P", "en": "P"}), "29a") == (
        "29A",
        None,
    )
    assert {t.widget for t in TYPES} >= {
        "text",
        "textarea",
        "number",
        "date",
        "datetime-local",
        "checkbox",
        "select",
        "multiselect",
        "file",
        "repeat",
        "address",
    }
    with pytest.raises(Exception, match="không tồn tại"):
        TYPES.get("plate")
