"""Functions over repeat rows and choices, blanks, and the conditional ``if``.

``if`` and ``coalesce`` are evaluated lazily by the evaluator (only the chosen branch is
computed); the functions here are their eager meaning, used when called directly.
"""

from __future__ import annotations

from typing import Any

from motcua.expressions.errors import ExpressionError
from motcua.expressions.library import FunctionInfo, builtin
from motcua.expressions.types import ValueType, unify
from motcua.expressions.values import (
    Number,
    admit,
    as_bool,
    as_list,
    as_number,
    as_rows,
    as_text,
    check_number,
    is_blank,
    loosely_equal,
)
from motcua.i18n import T

N, TX, B, L, R, ANY = (
    ValueType.NUMBER,
    ValueType.TEXT,
    ValueType.BOOL,
    ValueType.LIST,
    ValueType.ROWS,
    ValueType.ANY,
)


def choose(condition: Any, when_true: Any, when_false: Any) -> Any:
    """``when_true`` if ``condition`` is yes, else ``when_false`` (a blank counts as no)."""
    return when_true if as_bool(condition, "`if`") else when_false


def coalesce(*values: Any) -> Any:
    """The first value that is not blank, or blank."""
    return next((value for value in values if not is_blank(value)), None)


def count_rows(rows: Any) -> int:
    """Number of rows of a repeat (0 when blank)."""
    return len(as_rows(rows, "`count`"))


def _column(value: Any, name: str) -> str:
    column = as_text(value, f"`{name}`")
    if column is None:
        raise ExpressionError(T("`{name}` cần tên cột", "`{name}` needs a column name", name=name))
    return column


def sum_rows(rows: Any, column: Any) -> Number:
    """Sum of a number column over the rows; blank cells are skipped."""
    name = _column(column, "sum")
    total: Number = 0
    for row in as_rows(rows, "`sum`"):
        number = as_number(admit(row.get(name), name), f"`sum` ({name})")
        if number is not None:
            total = check_number(total + number)
    return total


def count_if(rows: Any, column: Any, value: Any) -> int:
    """Rows whose ``column`` equals ``value``."""
    name = _column(column, "count_if")
    return sum(
        1 for row in as_rows(rows, "`count_if`") if loosely_equal(admit(row.get(name), name), value)
    )


def selected(choice: Any, code: Any) -> bool:
    """Whether ``code`` is chosen in a choice (text) or multi-choice (list) field."""
    wanted = as_text(code, "`selected`")
    if is_blank(choice) or wanted is None:
        return False
    if isinstance(choice, str):
        return choice == wanted
    return wanted in as_list(choice, "`selected`")


def count_selected(choice: Any) -> int:
    """How many codes are chosen in a multi-choice field."""
    if is_blank(choice):
        return 0
    if isinstance(choice, str):
        return 1
    return len(as_list(choice, "`count_selected`"))


def _infer_if(kinds: list[ValueType]) -> ValueType:
    # The condition is checked as a yes/no parameter; the result is the branches' type.
    return unify(kinds[1:])


def row_functions() -> list[FunctionInfo]:
    """Return the built-in conditional, blank, repeat and choice functions."""
    return [
        builtin(
            "if",
            choose,
            [(B, ANY, ANY)],
            ANY,
            T("Giá trị a khi điều kiện đúng, ngược lại b", "a when the condition holds, else b"),
            "if(so_ban > 10, 1000, 2000)",
            infer=_infer_if,
        ),
        builtin(
            "coalesce",
            coalesce,
            [(ANY,)],
            ANY,
            T("Giá trị đầu tiên không trống", "The first value that is not blank"),
            "coalesce(so_dien_thoai, 'không có')",
            variadic=True,
            infer=unify,
        ),
        builtin(
            "is_blank",
            is_blank,
            [(ANY,)],
            B,
            T("Ô có trống không", "Whether the value is blank"),
            "is_blank(email)",
        ),
        builtin(
            "count",
            count_rows,
            [(R,)],
            N,
            T("Số dòng của bảng lặp", "Number of rows of a repeat"),
            "count(thanh_vien) <= 10",
        ),
        builtin(
            "sum",
            sum_rows,
            [(R, TX)],
            N,
            T("Tổng một cột số của bảng lặp", "Sum of a number column of a repeat"),
            'sum(thua_dat, "dien_tich")',
        ),
        builtin(
            "count_if",
            count_if,
            [(R, TX, ANY)],
            N,
            T("Số dòng có cột bằng giá trị", "Rows whose column equals the value"),
            'count_if(thanh_vien, "quan_he", "con")',
        ),
        builtin(
            "selected",
            selected,
            [(ANY, TX)],
            B,
            T("Lựa chọn có mã này không", "Whether this code is chosen"),
            'selected(giay_to, "cccd")',
        ),
        builtin(
            "count_selected",
            count_selected,
            [(L,)],
            N,
            T("Số lựa chọn đã chọn", "How many codes are chosen"),
            "count_selected(giay_to) >= 1",
        ),
    ]
