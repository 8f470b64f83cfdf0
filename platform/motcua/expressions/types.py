"""Value types of the language, their names for people, and the rules for mixing them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from motcua.i18n import T, Text


class ValueType(StrEnum):
    """The type of an expression's value, as the static checker sees it."""

    NUMBER = "number"
    TEXT = "text"
    DATE = "date"
    DATETIME = "datetime"
    BOOL = "bool"
    LIST = "list"
    ROWS = "rows"
    NULL = "null"
    ANY = "any"

    @property
    def label(self) -> Text:
        """Return the type's name for people (e.g. "ngày" / "date")."""
        vi, en = _LABELS[self.value]
        return T(vi, en)


_LABELS = {
    "number": ("số", "number"),
    "text": ("chữ", "text"),
    "date": ("ngày", "date"),
    "datetime": ("ngày giờ", "date-time"),
    "bool": ("có/không", "yes/no"),
    "list": ("danh sách", "list"),
    "rows": ("các dòng", "rows"),
    "null": ("trống", "blank"),
    "any": ("bất kỳ", "any"),
}

# Notebook field types (docs/notebook-format.md) and the value each gives expressions.
_FIELD_TYPES = {
    "text": ValueType.TEXT,
    "long_text": ValueType.TEXT,
    "integer": ValueType.NUMBER,
    "decimal": ValueType.NUMBER,
    "money": ValueType.NUMBER,
    "date": ValueType.DATE,
    "datetime": ValueType.DATETIME,
    "yes_no": ValueType.BOOL,
    "choice": ValueType.TEXT,
    "multi_choice": ValueType.LIST,
    "citizen_id": ValueType.TEXT,
    "phone": ValueType.TEXT,
    "email": ValueType.TEXT,
    "address": ValueType.TEXT,
    "file": ValueType.ANY,
    "repeat": ValueType.ROWS,
}


def field_value_type(field_type: str) -> ValueType:
    """Return the :class:`ValueType` a notebook field of ``field_type`` has in expressions.

    Unknown field types give ``ValueType.ANY`` (checked at run time only); never raises.
    """
    return _FIELD_TYPES.get(field_type, ValueType.ANY)


def _family(kind: ValueType) -> ValueType:
    # A date-time is compared with a date by its day, so both are one family.
    return ValueType.DATE if kind is ValueType.DATETIME else kind


def accepts(param: ValueType, arg: ValueType) -> bool:
    """Return whether a value of type ``arg`` may be passed where ``param`` is expected."""
    if ValueType.ANY in (param, arg) or arg is ValueType.NULL:
        return True
    return param is arg or (param is ValueType.DATE and arg is ValueType.DATETIME)


def comparable(left: ValueType, right: ValueType, *, ordering: bool) -> bool:
    """Return whether ``left`` and ``right`` may be compared (with ``<`` when ``ordering``)."""
    if ordering and {left, right} & {ValueType.BOOL, ValueType.LIST, ValueType.ROWS}:
        return False
    if {left, right} & {ValueType.ANY, ValueType.NULL}:
        return True
    return _family(left) is _family(right)


def unify(kinds: Iterable[ValueType]) -> ValueType:
    """Return the one type all ``kinds`` share (blanks ignored), else ``ValueType.ANY``."""
    seen = {k for k in kinds if k is not ValueType.NULL}
    if not seen:
        return ValueType.NULL
    if len(seen) == 1:
        return seen.pop()
    return ValueType.ANY


def kind_of(value: Any) -> ValueType:
    """Return the :class:`ValueType` of a run-time value (``ANY`` for unknown objects)."""
    if value is None:
        return ValueType.NULL
    if isinstance(value, bool):
        return ValueType.BOOL
    if isinstance(value, int | Decimal):
        return ValueType.NUMBER
    if isinstance(value, str):
        return ValueType.TEXT
    if isinstance(value, datetime):
        return ValueType.DATETIME
    if isinstance(value, date):
        return ValueType.DATE
    if isinstance(value, list | tuple):
        if value and all(isinstance(item, Mapping) for item in value):
            return ValueType.ROWS
        return ValueType.LIST
    return ValueType.ANY
