"""Run-time values: admitting outside values, blanks, checks on kinds, caps, equality.

Numbers are ``int`` or ``Decimal`` (never float, money must be exact), text is ``str``,
dates are ``date``/``datetime``, yes/no is ``bool``, multi-choice is ``list[str]``,
repeat rows are ``list[dict]`` and blank is ``None``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from motcua.expressions import limits
from motcua.expressions.errors import ExpressionError
from motcua.expressions.types import ValueType, kind_of
from motcua.i18n import T

Number = int | Decimal


def admit(value: Any, where: str) -> Any:
    """Return ``value`` (a field value or a plugin result) in the language's own kinds.

    Floats become exact decimals, tuples become lists and empty text becomes blank.

    :raises ExpressionError: for objects of other kinds, numbers beyond the cap or lists
        longer than the row cap.
    """
    if value is None or isinstance(value, bool | str | date):
        return None if value == "" else value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _unsupported(where)
        return check_number(Decimal(repr(value)))
    if isinstance(value, int | Decimal):
        return check_number(value)
    if isinstance(value, list | tuple):
        check_rows(value)
        return list(value)
    raise _unsupported(where)


def _unsupported(where: str) -> ExpressionError:
    return ExpressionError(
        T(
            "Giá trị của `{where}` có kiểu không dùng được trong biểu thức",
            "The value of `{where}` has a kind expressions cannot use",
            where=where,
        )
    )


def is_blank(value: Any) -> bool:
    """Return True for ``None``, empty text and an empty list."""
    return value is None or value == "" or (isinstance(value, list) and not value)


def check_number(value: Number) -> Number:
    """Return ``value`` when finite with integer part at most ``MAX_NUMBER``.

    :raises ExpressionError: otherwise.
    """
    if isinstance(value, Decimal) and not value.is_finite():
        raise ExpressionError(T("Số không hợp lệ", "Not a valid number"))
    if abs(value) >= limits.MAX_NUMBER + 1:
        raise ExpressionError(
            T(
                "Kết quả quá lớn (phần nguyên tối đa {limit})",
                "The result is too large (integer part at most {limit})",
                limit=limits.MAX_NUMBER,
            )
        )
    return value


def check_text(value: str) -> str:
    """Return ``value`` when at most ``MAX_TEXT_LENGTH`` characters.

    :raises ExpressionError: otherwise.
    """
    if len(value) > limits.MAX_TEXT_LENGTH:
        raise text_too_long()
    return value


def text_too_long() -> ExpressionError:
    """Return the error for text beyond ``MAX_TEXT_LENGTH``."""
    return ExpressionError(
        T(
            "Chuỗi kết quả quá dài (tối đa {limit} ký tự)",
            "The resulting text is too long (at most {limit} characters)",
            limit=limits.MAX_TEXT_LENGTH,
        )
    )


def check_rows(value: list[Any] | tuple[Any, ...]) -> None:
    """Return nothing when ``value`` has at most ``MAX_ROWS`` items.

    :raises ExpressionError: otherwise.
    """
    if len(value) > limits.MAX_ROWS:
        raise ExpressionError(
            T(
                "Quá nhiều dòng ({count}, tối đa {limit})",
                "Too many rows ({count}, at most {limit})",
                count=len(value),
                limit=limits.MAX_ROWS,
            )
        )


def wrong_kind(where: str, expected: ValueType, value: Any) -> ExpressionError:
    """Return the error for ``value`` given to ``where`` that wants ``expected``."""
    return ExpressionError(
        T(
            "{where} cần giá trị kiểu {expected}, nhưng nhận được {actual}",
            "{where} needs a {expected} value but got {actual}",
            where=where,
            expected=expected.label,
            actual=kind_of(value).label,
        )
    )


def as_number(value: Any, where: str) -> Number | None:
    """Return ``value`` as a number, or None when blank.

    :raises ExpressionError: when it is not a number.
    """
    if is_blank(value):
        return None
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise wrong_kind(where, ValueType.NUMBER, value)
    return value


def as_integer(value: Any, where: str) -> int | None:
    """Return ``value`` as an int (a whole decimal is accepted), or None when blank.

    :raises ExpressionError: when it is not a whole number.
    """
    number = as_number(value, where)
    if number is None:
        return None
    if isinstance(number, Decimal):
        if number != number.to_integral_value():
            raise ExpressionError(
                T("{where} cần một số nguyên", "{where} needs a whole number", where=where)
            )
        return int(number)
    return number


def as_text(value: Any, where: str) -> str | None:
    """Return ``value`` as text, or None when blank.

    :raises ExpressionError: when it is not text.
    """
    if is_blank(value):
        return None
    if not isinstance(value, str):
        raise wrong_kind(where, ValueType.TEXT, value)
    return value


def as_date(value: Any, where: str) -> date | None:
    """Return ``value`` as a date or date-time, or None when blank.

    :raises ExpressionError: when it is neither.
    """
    if is_blank(value):
        return None
    if not isinstance(value, date):
        raise wrong_kind(where, ValueType.DATE, value)
    return value


def as_bool(value: Any, where: str) -> bool:
    """Return ``value`` as yes/no; a blank counts as no.

    :raises ExpressionError: when it is not yes/no.
    """
    if is_blank(value):
        return False
    if not isinstance(value, bool):
        raise wrong_kind(where, ValueType.BOOL, value)
    return value


def as_list(value: Any, where: str) -> list[Any]:
    """Return ``value`` as a list (blank gives an empty list).

    :raises ExpressionError: when it is not a list or is longer than ``MAX_ROWS``.
    """
    if is_blank(value):
        return []
    if not isinstance(value, list):
        raise wrong_kind(where, ValueType.LIST, value)
    check_rows(value)
    return value


def as_rows(value: Any, where: str) -> list[Mapping[str, Any]]:
    """Return ``value`` as repeat rows (blank gives no rows).

    :raises ExpressionError: when it is not a list of rows or has more than ``MAX_ROWS``.
    """
    if not is_blank(value) and not isinstance(value, list):
        raise wrong_kind(where, ValueType.ROWS, value)
    rows = as_list(value, where)
    if not all(isinstance(row, Mapping) for row in rows):
        raise wrong_kind(where, ValueType.ROWS, value)
    return rows


def _same_day(left: Any, right: Any) -> tuple[Any, Any]:
    # A date-time meets a plain date by its day; Python would refuse to compare them.
    if isinstance(left, datetime) != isinstance(right, datetime):
        if isinstance(left, datetime):
            return left.date(), right
        return left, right.date()
    return left, right


def _comparable(left: Any, right: Any, where: str) -> tuple[Any, Any]:
    kinds = {kind_of(left), kind_of(right)}
    numeric = kinds == {ValueType.NUMBER}
    same = len(kinds) == 1 and kinds <= {ValueType.TEXT, ValueType.BOOL, ValueType.LIST}
    if numeric or same:
        return left, right
    if kinds <= {ValueType.DATE, ValueType.DATETIME}:
        return _same_day(left, right)
    raise ExpressionError(
        T(
            "Không so sánh được {left} với {right} ({where})",
            "Cannot compare {left} with {right} ({where})",
            left=kind_of(left).label,
            right=kind_of(right).label,
            where=where,
        )
    )


def equal(left: Any, right: Any, where: str = "=") -> bool:
    """Return whether two values are equal; two blanks are equal, a blank and a value not.

    :raises ExpressionError: when the kinds cannot be compared (number with text, ...).
    """
    if is_blank(left) or is_blank(right):
        return is_blank(left) and is_blank(right)
    left, right = _comparable(left, right, where)
    try:
        return bool(left == right)
    except TypeError as error:  # aware vs naive date-times
        raise _incomparable(where) from error


def loosely_equal(left: Any, right: Any) -> bool:
    """Return whether two values are equal, counting values of different kinds as unequal.

    Used by ``in`` and the row functions, where a list of options may mix kinds.
    """
    try:
        return equal(left, right)
    except ExpressionError:
        return False


def order(operator: str, left: Any, right: Any) -> bool:
    """Return ``left <operator> right`` for ``<``, ``<=``, ``>``, ``>=``; False with a blank.

    :raises ExpressionError: when the kinds cannot be ordered.
    """
    if is_blank(left) or is_blank(right):
        return False
    left, right = _comparable(left, right, operator)
    if isinstance(left, bool | list):
        raise _incomparable(operator)
    try:
        if operator == "<":
            return bool(left < right)
        if operator == "<=":
            return bool(left <= right)
        if operator == ">":
            return bool(left > right)
        return bool(left >= right)
    except TypeError as error:
        raise _incomparable(operator) from error


def _incomparable(where: str) -> ExpressionError:
    return ExpressionError(
        T(
            "Không so sánh được hai giá trị này ({where})",
            "These values cannot be compared ({where})",
            where=where,
        )
    )


def to_text(value: Any, where: str) -> str:
    """Return ``value`` written as text for ``concat``: dates as dd/mm/yyyy, blank as "".

    :raises ExpressionError: for yes/no values and lists, which have no single wording.
    """
    if is_blank(value):
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, list)):
        raise ExpressionError(
            T(
                "{where}: không ghép trực tiếp được giá trị {kind}; hãy dùng if(x, 'có', 'không')",
                "{where}: a {kind} value cannot be joined directly; use if(x, 'yes', 'no')",
                where=where,
                kind=kind_of(value).label,
            )
        )
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)
