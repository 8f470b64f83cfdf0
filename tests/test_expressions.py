"""The expression language: results table, static checks, blanks, caps and hostile input."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from motcua.expressions import (
    EvalContext,
    ExpressionError,
    FunctionLibrary,
    ValueType,
    compile_expression,
    field_value_type,
    limits,
)
from motcua.expressions.evaluator import evaluate
from motcua.i18n import T

DOCS = Path(__file__).resolve().parents[1] / "docs" / "expressions.md"


class WeekdayCalendar:
    """Monday to Friday are working days; enough to test the calendar functions."""

    def add_workdays(self, start: date, days: int) -> date:
        current = start
        while days > 0:
            current += timedelta(days=1)
            if current.weekday() < 5:
                days -= 1
        return current

    def workdays_between(self, start: date, end: date) -> int:
        return sum(
            1
            for offset in range(1, (end - start).days + 1)
            if (start + timedelta(days=offset)).weekday() < 5
        )


CONTEXT = EvalContext(
    today=date(2026, 3, 16),  # a Monday
    now=datetime(2026, 3, 16, 9, 30),
    calendar=WeekdayCalendar(),
)

VALUES: dict[str, Any] = {
    "so_trang": 2,
    "so_ban": 3,
    "le_phi": Decimal("12500.5"),
    "ty_le": 0.1,
    "ho_ten": "Nguyễn Văn Ánh",
    "dia_chi": "  Phường   Hoàn Kiếm,  Hà Nội ",
    "so_cccd": "001203004567",
    "ngay_sinh": date(2008, 3, 17),
    "ngay_nhan": date(2026, 3, 13),  # a Friday
    "luc_nhan": datetime(2026, 3, 13, 16, 45),
    "co_uy_quyen": True,
    "da_nop": False,
    "gioi_tinh": "nu",
    "giay_to": ["cccd", "ho_khau"],
    "thanh_vien": [
        {"ten": "An", "quan_he": "con", "dien_tich": 50},
        {"ten": "Bình", "quan_he": "vo", "dien_tich": Decimal("20.5")},
        {"ten": "Chi", "quan_he": "con", "dien_tich": None},
    ],
    "trong": None,
    "chuoi_rong": "",
}

CASES: list[tuple[str, Any]] = [
    # literals and arithmetic
    ("12000", 12000),
    ("1.5", Decimal("1.5")),
    ("'xin chào'", "xin chào"),
    ('"Hà Nội"', "Hà Nội"),
    ("true", True),
    ("null", None),
    ("so_trang * 2000 * so_ban", 12000),
    ("so_trang + so_ban - 1", 4),
    ("10 / 4", Decimal("2.5")),
    ("12 / 3", 4),
    ("7 % 3", 1),
    ("-7 % 3", 2),
    ("7.5 % 2", Decimal("1.5")),
    ("-so_ban", -3),
    ("2 + 3 * 4", 14),
    ("(2 + 3) * 4", 20),
    ("le_phi * 2", Decimal("25001.0")),
    ("ty_le * 100", 10),
    ("so_trang + trong", None),
    ("-trong", None),
    # comparisons and logic
    ("so_ban = 3", True),
    ("so_ban == 3", True),
    ("so_ban != 3", False),
    ("so_ban < 3", False),
    ("so_ban <= 3", True),
    ("so_ban > 2.5", True),
    ("so_ban >= 4", False),
    ("ho_ten = 'Nguyễn Văn Ánh'", True),
    ("trong = null", True),
    ("trong != null", False),
    ("so_ban != null", True),
    ("trong = 0", False),
    ("trong < 5", False),
    ("trong > 5", False),
    ("chuoi_rong = null", True),
    ("ngay_nhan < today()", True),
    ("luc_nhan < today()", True),
    ("luc_nhan = ngay_nhan", True),
    ("co_uy_quyen and not da_nop", True),
    ("da_nop or so_ban > 2", True),
    ("da_nop and 1 / 0 = 1", False),
    ("co_uy_quyen or 1 / 0 = 1", True),
    ("not trong", True),
    ("gioi_tinh in ['nam', 'nu']", True),
    ("so_ban in [1, 2]", False),
    ("'cccd' in giay_to", True),
    ("trong in [1, null]", False),
    # if, blanks
    ("if(so_ban > 2, 'nhiều', 'ít')", "nhiều"),
    ("if(trong, 1, 2)", 2),
    ("if(false, 1 / 0, 7)", 7),
    ("coalesce(trong, chuoi_rong, 'mặc định')", "mặc định"),
    ("coalesce(trong, so_ban, 1 / 0)", 3),
    ("coalesce(trong)", None),
    ("is_blank(trong)", True),
    ("is_blank(chuoi_rong)", True),
    ("is_blank(ho_ten)", False),
    # dates
    ("today()", date(2026, 3, 16)),
    ("now()", datetime(2026, 3, 16, 9, 30)),
    ("date('2026-01-31')", date(2026, 1, 31)),
    ("date('31/01/2026')", date(2026, 1, 31)),
    ("date(2026, 2, 28)", date(2026, 2, 28)),
    ("year(ngay_sinh)", 2008),
    ("month(ngay_sinh)", 3),
    ("day(luc_nhan)", 13),
    ("age(ngay_sinh)", 17),
    ("age(ngay_sinh, date('2026-03-17'))", 18),
    ("days_between(ngay_nhan, today())", 3),
    ("days_between(today(), ngay_nhan)", -3),
    ("add_days(ngay_nhan, 30)", date(2026, 4, 12)),
    ("add_days(luc_nhan, 1)", datetime(2026, 3, 14, 16, 45)),
    ("add_workdays(ngay_nhan, 1)", date(2026, 3, 16)),
    ("add_workdays(ngay_nhan, 5)", date(2026, 3, 20)),
    ("workdays_between(ngay_nhan, date(2026, 3, 20))", 5),
    ("year(trong)", None),
    ("add_days(trong, 3)", None),
    # text
    ("len(ho_ten)", 14),
    ("len(trong)", 0),
    ("upper(ho_ten)", "NGUYỄN VĂN ÁNH"),
    ("lower('ĐẶNG THỊ')", "đặng thị"),
    ("trim(dia_chi)", "Phường Hoàn Kiếm, Hà Nội"),
    ("concat(ho_ten, ' - ', so_ban, ' bản')", "Nguyễn Văn Ánh - 3 bản"),
    ("concat('Ngày ', ngay_nhan, ', phí ', le_phi)", "Ngày 13/03/2026, phí 12500.5"),
    ("concat('a', trong, 'b')", "ab"),
    ("contains(dia_chi, 'Hà Nội')", True),
    ("contains(dia_chi, 'hà nội')", False),
    ("contains(trong, 'x')", False),
    ("starts_with(so_cccd, '001')", True),
    ("is_digits(so_cccd) and len(so_cccd) = 12", True),
    ("is_digits('12a')", False),
    ("is_digits('١٢٣')", False),
    # numbers
    ("round(2.5)", 3),
    ("round(-2.5)", -3),
    ("round(1.2345, 2)", Decimal("1.23")),
    ("round(12345, -3)", 12000),
    ("round(le_phi, -3)", 13000),
    ("ceil(so_trang / 4)", 1),
    ("floor(7 / 2)", 3),
    ("abs(0 - 5)", 5),
    ("min(so_ban * 2000, 5000, trong)", 5000),
    ("max(1, 2.5, so_trang)", Decimal("2.5")),
    ("max(ngay_nhan, today())", date(2026, 3, 16)),
    ("min(trong, trong)", None),
    # rows and choices
    ("count(thanh_vien)", 3),
    ("count(trong)", 0),
    ("sum(thanh_vien, 'dien_tich')", Decimal("70.5")),
    ("count_if(thanh_vien, 'quan_he', 'con')", 2),
    ("selected(giay_to, 'cccd')", True),
    ("selected(giay_to, 'khai_sinh')", False),
    ("selected(gioi_tinh, 'nu')", True),
    ("selected(trong, 'nu')", False),
    ("count_selected(giay_to)", 2),
    ("count_selected(trong)", 0),
]


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_results(source: str, expected: Any) -> None:
    result = compile_expression(source).evaluate(VALUES, CONTEXT)
    assert result == expected
    assert type(result) is type(expected) or isinstance(result, int | Decimal)


def test_cases_cover_every_default_function_and_operator() -> None:
    sources = " ".join(source for source, _ in CASES)
    for name in FunctionLibrary.default().names():
        assert re.search(rf"\b{name}\(", sources), name
    for operator in [
        "+",
        "-",
        "*",
        "/",
        "%",
        "=",
        "==",
        "!=",
        "<",
        "<=",
        ">",
        ">=",
        " and ",
        " or ",
        "not ",
        " in ",
    ]:
        assert operator in sources, operator


def test_money_stays_exact() -> None:
    result = compile_expression("0.1 + 0.2").evaluate({}, CONTEXT)
    assert result == Decimal("0.3")
    assert isinstance(compile_expression("ty_le").evaluate({"ty_le": 0.1}, CONTEXT), Decimal)


def test_names_and_functions_are_collected() -> None:
    expression = compile_expression("if(co_uy_quyen, round(so_ban * 2), len(ho_ten))")
    assert expression.names == {"co_uy_quyen", "so_ban", "ho_ten"}
    assert expression.functions == {"if", "round", "len"}
    assert expression.source == "if(co_uy_quyen, round(so_ban * 2), len(ho_ten))"
    with pytest.raises(AttributeError):
        expression.source = "x"  # type: ignore[misc]


@contextmanager
def refused(fragment: str) -> Iterator[None]:
    """Expect an ExpressionError whose English text contains ``fragment``."""
    with pytest.raises(ExpressionError) as caught:
        yield
    assert fragment in caught.value.text.render("en"), caught.value.text.render("en")
    assert caught.value.position is not None


# --- static checks ---------------------------------------------------------------------

TYPES = {
    "ho_ten": ValueType.TEXT,
    "so_ban": ValueType.NUMBER,
    "ngay_sinh": ValueType.DATE,
    "luc_nhan": ValueType.DATETIME,
    "co_uy_quyen": ValueType.BOOL,
    "giay_to": ValueType.LIST,
    "thanh_vien": ValueType.ROWS,
    "tep": ValueType.ANY,
}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("so_ban * 2000", ValueType.NUMBER),
        ("concat(ho_ten, so_ban)", ValueType.TEXT),
        ("add_days(ngay_sinh, 1)", ValueType.DATE),
        ("now()", ValueType.DATETIME),
        ("age(luc_nhan) >= 18 and co_uy_quyen", ValueType.BOOL),
        ("if(co_uy_quyen, 1, 2)", ValueType.NUMBER),
        ("if(co_uy_quyen, 1, 'a')", ValueType.ANY),
        ("coalesce(null, ho_ten)", ValueType.TEXT),
        ("max(ngay_sinh, today())", ValueType.DATE),
        ("tep + 1", ValueType.NUMBER),
        ("tep", ValueType.ANY),
        ("sum(thanh_vien, 'dien_tich')", ValueType.NUMBER),
        ("'cccd' in giay_to", ValueType.BOOL),
        ("null", ValueType.NULL),
    ],
)
def test_infer_type(source: str, expected: ValueType) -> None:
    assert compile_expression(source).infer_type(TYPES) is expected


@pytest.mark.parametrize(
    ("source", "position", "fragment"),
    [
        ("len(ho_tne)", 4, "`ho_tne` does not exist"),
        ("ngay_sinh + ho_ten", 0, "date"),
        ("ngay_sinh + 1", 0, "add_days"),
        ("ho_ten + 'x'", 0, "concat"),
        ("ho_ten = so_ban", 7, "Cannot compare text with number"),
        ("so_ban and co_uy_quyen", 0, "`and` needs yes/no"),
        ("not ho_ten", 4, "`not` needs yes/no"),
        ("co_uy_quyen < true", 12, "Cannot compare"),
        ("year(ho_ten)", 5, "argument 1 of `year` needs date"),
        ("if(so_ban, 1, 2)", 3, "argument 1 of `if` needs yes/no"),
        ("min(ho_ten, 'a')", 0, "`min` needs numbers"),
        ("so_ban in ho_ten", 10, "right side of `in`"),
        ("giay_to in ['a']", 0, "left side of `in`"),
        ("count(giay_to)", 6, "rows"),
    ],
)
def test_static_errors(source: str, position: int, fragment: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        compile_expression(source).infer_type(TYPES)
    assert caught.value.position == position
    assert fragment in caught.value.text.render("en")
    assert caught.value.text.render("vi") != caught.value.text.render("en")


def test_unknown_name_message_is_vietnamese_first() -> None:
    with pytest.raises(ExpressionError) as caught:
        compile_expression("ho_ten").infer_type({})
    assert str(caught.value) == "`ho_ten` không tồn tại"
    assert caught.value.as_dict()["error"]["field"] == "ho_ten"
    assert caught.value.as_dict()["error"]["position"] == 0


@pytest.mark.parametrize(
    ("source", "fragment"),
    [
        ("round()", "round(number) | round(number, number)"),
        ("today(1)", "today()"),
        ("date(2026, 1)", "date(text)"),
        ("if(true, 1)", "if(bool, any, any)"),
        ("concat()", "concat(any, …)"),
    ],
)
def test_wrong_argument_count_is_refused_at_compile(source: str, fragment: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        compile_expression(source)
    assert fragment in caught.value.text.render("en")
    assert caught.value.position == 0


# --- run-time errors -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "values", "fragment"),
    [
        ("so_ban / 0", {"so_ban": 1}, "divide by zero"),
        ("5 % (so_ban - 1)", {"so_ban": 1}, "divide by zero"),
        ("year(x)", {"x": "abc"}, "`year` needs a date value but got text"),
        ("x + 1", {"x": "1"}, "needs a number value but got text"),
        ("x + 1", {"x": True}, "got yes/no"),
        ("x and true", {"x": 1}, "`and` needs a yes/no"),
        ("x = 1", {"x": "1"}, "Cannot compare text with number"),
        ("x < 1", {"x": date(2026, 1, 1)}, "Cannot compare"),
        ("date('2026-02-30')", {}, "not a real date"),
        ("date('hôm qua')", {}, "not a date"),
        ("add_days(today(), 1.5)", {}, "whole number"),
        ("add_days(today(), 9999999)", {}, "out of range"),
        ("round(1, 40)", {}, "number of places"),
        ("sum(x, 'a')", {"x": [{"a": "mười"}]}, "needs a number"),
        ("count(x)", {"x": "abc"}, "rows"),
        ("concat(x)", {"x": True}, "cannot be joined"),
        ("x", {"x": object()}, "kind expressions cannot use"),
        ("x", {"x": float("nan")}, "kind expressions cannot use"),
        ("x + 1", {"x": 10**19}, "too large"),
    ],
)
def test_runtime_errors(source: str, values: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        compile_expression(source).evaluate(values, CONTEXT)
    assert fragment in caught.value.text.render("en")
    assert caught.value.position is not None


def test_workday_functions_need_a_calendar() -> None:
    context = EvalContext(today=date(2026, 3, 16), now=datetime(2026, 3, 16, 9, 0))
    with pytest.raises(ExpressionError) as caught:
        compile_expression("add_workdays(today(), 3)").evaluate({}, context)
    assert "working calendar" in caught.value.text.render("en")
    assert "lịch làm việc" in caught.value.text.render("vi")


def test_missing_value_is_blank() -> None:
    assert compile_expression("so_ban * 2").evaluate({}, CONTEXT) is None
    assert compile_expression("is_blank(so_ban)").evaluate({}, CONTEXT) is True


# --- function library ------------------------------------------------------------------


def test_library_is_extended_by_plugins_without_changing_the_default() -> None:
    def phi_chung_thuc(pages: Any) -> Any:
        return None if pages is None else 2000 * min(pages, 3) + 1000 * max(pages - 3, 0)

    library = FunctionLibrary.default().extended(
        "phi_chung_thuc",
        phi_chung_thuc,
        params=[ValueType.NUMBER],
        returns=ValueType.NUMBER,
        doc=T("Lệ phí chứng thực", "Certification fee"),
    )
    assert "phi_chung_thuc" in library.names()
    assert "phi_chung_thuc" not in FunctionLibrary.default().names()
    assert library.describe("phi_chung_thuc").doc.en == "Certification fee"
    expression = compile_expression("phi_chung_thuc(so_trang)", functions=library)
    assert expression.evaluate({"so_trang": 5}, CONTEXT) == 8000
    assert expression.infer_type({"so_trang": ValueType.NUMBER}) is ValueType.NUMBER
    with pytest.raises(ExpressionError, match="không tồn tại"):
        compile_expression("phi_chung_thuc(1)")
    with pytest.raises(ExpressionError):
        compile_expression("phi_chung_thuc('a')", functions=library).infer_type({})


def test_plugin_results_are_admitted_or_refused() -> None:
    library = (
        FunctionLibrary.default()
        .extended("half", lambda x: x / 2.0, params=[ValueType.NUMBER], returns=ValueType.NUMBER)
        .extended("leak", lambda: object, params=[], returns=ValueType.ANY)
        .extended("broken", lambda: 1 // 0, params=[], returns=ValueType.NUMBER)
    )
    assert compile_expression("half(3)", functions=library).evaluate({}, CONTEXT) == Decimal("1.5")
    with pytest.raises(ExpressionError, match="kiểu không dùng được"):
        compile_expression("leak()", functions=library).evaluate({}, CONTEXT)
    with pytest.raises(ExpressionError) as caught:
        compile_expression("1 + broken()", functions=library).evaluate({}, CONTEXT)
    assert caught.value.position == 4


@pytest.mark.parametrize(
    "name", ["round", "if", "and", "Phi", "1abc", "a.b", "__import__", "x" * 41]
)
def test_library_refuses_bad_or_clashing_names(name: str) -> None:
    with pytest.raises(ExpressionError):
        FunctionLibrary.default().extended(
            name, abs, params=[ValueType.NUMBER], returns=ValueType.NUMBER
        )


def test_describe() -> None:
    info = FunctionLibrary.default().describe("round")
    assert info.params == (ValueType.NUMBER,)
    assert info.returns is ValueType.NUMBER
    assert info.doc.vi and info.doc.en and info.example
    with pytest.raises(ExpressionError):
        FunctionLibrary.default().describe("eval")


def test_every_example_compiles_and_docs_list_every_function() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for name in FunctionLibrary.default().names():
        info = FunctionLibrary.default().describe(name)
        compile_expression(info.example)
        assert f"`{name}(" in text, f"docs/expressions.md does not document {name}"


def test_field_value_types() -> None:
    assert field_value_type("money") is ValueType.NUMBER
    assert field_value_type("multi_choice") is ValueType.LIST
    assert field_value_type("repeat") is ValueType.ROWS
    assert field_value_type("something_new") is ValueType.ANY


# --- hostile input ---------------------------------------------------------------------

HOSTILE = [
    "__import__('os')",
    "__import__('os').system('ls')",
    "a.__class__",
    "so_ban.__class__.__mro__",
    "x[0]",
    "giay_to[0]",
    "f(x)(y)",
    "round(1)(2)",
    "lambda: 1",
    "lambda x: x",
    "9**9**9",
    "2 ** 10",
    "[x for x in giay_to]",
    "x = 1; y = 2",
    "x := 1",
    "'%s' % ho_ten",
    "f'{ho_ten}'",
    "eval('1')",
    "exec('1')",
    "open('/etc/passwd')",
    "getattr(x, 'y')",
    "'a\\x41'",
    "'\\u0041'",
    "'it\\'s'",
    "һо_ten",  # Cyrillic homoglyphs
    "hо_ten = 1",  # one Cyrillic o
    "ho_ten = 'a' ; drop",
    "Ho_ten",
    "[1, 2]",
    "true(1)",
    "if",
    "x if y else z",
    "`ls`",
    "$x",
    "{ho_ten}",
    "'abc",
    "1 +",
    "",
    "   ",
    "10000000000000000000000*10000000000000000000",
    "1000000000000000001",
    "0" * 30 + "1" + "0" * 19,
]


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_sources_are_refused(source: str) -> None:
    # Most fail to parse; the rest (`'%s' % ho_ten`, a bare `if`) fail the static check.
    with pytest.raises(ExpressionError) as caught:
        compile_expression(source).infer_type(TYPES)
    assert caught.value.text.vi and caught.value.text.en
    assert caught.value.position is not None


def test_huge_input_is_refused_before_parsing() -> None:
    with pytest.raises(ExpressionError, match="quá dài") as caught:
        compile_expression("1+" * 50_000 + "1")
    with pytest.raises(ExpressionError, match="quá dài"):
        compile_expression("'" + "a" * 100_000 + "'")
    assert caught.value.position == limits.MAX_SOURCE_LENGTH


def test_deep_brackets_are_refused() -> None:
    with pytest.raises(ExpressionError, match="quá dài|quá sâu"):
        compile_expression("(" * 10_000 + "1" + ")" * 10_000)
    depth = limits.MAX_DEPTH + 1
    with pytest.raises(ExpressionError, match="lồng nhau quá sâu") as caught:
        compile_expression("(" * depth + "1" + ")" * depth)
    assert caught.value.position == limits.MAX_DEPTH
    ok = limits.MAX_DEPTH
    assert compile_expression("(" * ok + "1" + ")" * ok).evaluate({}, CONTEXT) == 1


def test_deep_trees_without_brackets_are_refused() -> None:
    with refused("too deeply"):
        compile_expression("not " * 40 + "true")
    with refused("too deeply"):
        compile_expression("-" * 40 + "1")
    # A long flat sum is not deep.
    assert compile_expression("+".join(["1"] * 100)).evaluate({}, CONTEXT) == 100


def test_node_count_is_capped() -> None:
    with refused("too large"):
        compile_expression("+".join(["1"] * (limits.MAX_NODES + 1)))


def test_list_literal_size_is_capped() -> None:
    source = "x in [" + ",".join(["1"] * (limits.MAX_LIST_LITERAL + 1)) + "]"
    with refused("list is too long"):
        compile_expression(source)


def test_concat_doubling_is_refused_before_building() -> None:
    doubled = "x"
    for _ in range(12):
        doubled = f"concat({doubled}, {doubled})"
    assert len(doubled) < limits.MAX_SOURCE_LENGTH * 100
    source = "concat(concat(concat(x, x), concat(x, x)), concat(concat(x, x), concat(x, x)))"
    with refused("text is too long"):
        compile_expression(source).evaluate({"x": "a" * 2_000}, CONTEXT)
    with pytest.raises(ExpressionError):
        compile_expression(doubled)


def test_upper_result_is_capped() -> None:
    with refused("text is too long"):
        compile_expression("upper(x)").evaluate({"x": "ß" * 6_000}, CONTEXT)


def test_number_results_are_capped() -> None:
    with pytest.raises(ExpressionError) as caught:
        compile_expression("1000000000000000000 * 1000000000000000000").evaluate({}, CONTEXT)
    assert "too large" in caught.value.text.render("en")
    assert caught.value.position == 20
    assert compile_expression("1000000000000000000").evaluate({}, CONTEXT) == 10**18


def test_row_count_is_capped() -> None:
    rows = [{"a": 1}] * (limits.MAX_ROWS + 1)
    with refused("Too many rows"):
        compile_expression("sum(x, 'a')").evaluate({"x": rows}, CONTEXT)
    assert compile_expression("count(x)").evaluate({"x": rows[:-1]}, CONTEXT) == limits.MAX_ROWS


def test_step_budget_is_enforced() -> None:
    expression = compile_expression("1 + 2 + 3 + 4")
    with refused("too many steps"):
        evaluate(expression._tree, {}, CONTEXT, FunctionLibrary.default(), max_steps=3)
    assert evaluate(expression._tree, {}, CONTEXT, FunctionLibrary.default(), max_steps=5) == 10


def test_strings_are_taken_literally() -> None:
    assert compile_expression("'{ho_ten}'").evaluate({"ho_ten": "A"}, CONTEXT) == "{ho_ten}"
    assert compile_expression('"it\'s"').evaluate({}, CONTEXT) == "it's"
    assert compile_expression("'say \"hi\"'").evaluate({}, CONTEXT) == 'say "hi"'


def test_keywords_inside_names_are_names() -> None:
    expression = compile_expression("income + android + order + note + nullable")
    assert expression.names == {"income", "android", "order", "note", "nullable"}
