"""Number functions; rounding is half away from zero, as on paper and in Excel."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

from motcua.expressions.errors import ExpressionError
from motcua.expressions.library import FunctionInfo, builtin
from motcua.expressions.types import ValueType, unify
from motcua.expressions.values import Number, as_integer, as_number, is_blank, order
from motcua.i18n import T

N, ANY = ValueType.NUMBER, ValueType.ANY

_MAX_PLACES = 18


def round_number(value: Any, places: Any = 0) -> Number | None:
    """``value`` rounded to ``places`` decimals (negative: to tens, hundreds, ...)."""
    number, digits = as_number(value, "`round`"), as_integer(places, "`round`")
    if number is None:
        return None
    digits = digits or 0
    if abs(digits) > _MAX_PLACES:
        raise ExpressionError(
            T(
                "`round`: số chữ số phải từ -{limit} đến {limit}",
                "`round`: the number of places must be from -{limit} to {limit}",
                limit=_MAX_PLACES,
            )
        )
    step = Decimal(1).scaleb(-digits)
    if digits <= 0:
        return int((Decimal(number) / step).quantize(Decimal(1), ROUND_HALF_UP) * step)
    return Decimal(number).quantize(step, ROUND_HALF_UP)


def _integral(name: str, rounding: str) -> Any:
    def integral(value: Any) -> int | None:
        number = as_number(value, f"`{name}`")
        if number is None:
            return None
        return int(Decimal(number).to_integral_value(rounding))

    return integral


def absolute(value: Any) -> Number | None:
    """The value without its sign."""
    number = as_number(value, "`abs`")
    return None if number is None else abs(number)


def _extreme(name: str, operator: str) -> Any:
    def extreme(*values: Any) -> Any:
        best = None
        for value in values:
            if is_blank(value):
                continue
            if not isinstance(value, date):
                as_number(value, f"`{name}`")  # refuses text, yes/no and lists
            if best is None or order(operator, value, best):
                best = value
        return best

    return extreme


def _same_orderable(name: str) -> Any:
    def infer(kinds: list[ValueType]) -> ValueType:
        result = unify(kinds)
        if result not in (N, ValueType.DATE, ValueType.DATETIME, ANY, ValueType.NULL):
            raise ExpressionError(
                T(
                    "`{name}` cần các số hoặc các ngày cùng loại",
                    "`{name}` needs numbers, or dates, all of one kind",
                    name=name,
                )
            )
        return result

    return infer


def number_functions() -> list[FunctionInfo]:
    """Return the built-in number functions."""
    return [
        builtin(
            "round",
            round_number,
            [(N,), (N, N)],
            N,
            T(
                "Làm tròn (0,5 làm tròn lên); n chữ số thập phân, n âm là tròn chục, trăm, nghìn",
                "Rounds half away from zero; n decimal places, negative n rounds to tens, hundreds, thousands",
            ),
            "round(dien_tich * 1.5, -3)",
        ),
        builtin(
            "ceil",
            _integral("ceil", ROUND_CEILING),
            [(N,)],
            N,
            T("Làm tròn lên số nguyên", "Rounds up to a whole number"),
            "ceil(so_trang / 2)",
        ),
        builtin(
            "floor",
            _integral("floor", ROUND_FLOOR),
            [(N,)],
            N,
            T("Làm tròn xuống số nguyên", "Rounds down to a whole number"),
            "floor(so_trang / 2)",
        ),
        builtin(
            "abs", absolute, [(N,)], N, T("Giá trị tuyệt đối", "Absolute value"), "abs(chenh_lech)"
        ),
        builtin(
            "min",
            _extreme("min", "<"),
            [(ANY,)],
            ANY,
            T("Giá trị nhỏ nhất (bỏ qua ô trống)", "The smallest value (blanks skipped)"),
            "min(so_ban * 2000, 200000)",
            variadic=True,
            infer=_same_orderable("min"),
        ),
        builtin(
            "max",
            _extreme("max", ">"),
            [(ANY,)],
            ANY,
            T("Giá trị lớn nhất (bỏ qua ô trống)", "The largest value (blanks skipped)"),
            "max(so_trang - 2, 0)",
            variadic=True,
            infer=_same_orderable("max"),
        ),
    ]
