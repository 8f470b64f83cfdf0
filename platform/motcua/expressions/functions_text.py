"""Text functions."""

from __future__ import annotations

import re
from typing import Any

from motcua.expressions import limits
from motcua.expressions.library import FunctionInfo, builtin
from motcua.expressions.types import ValueType
from motcua.expressions.values import as_text, check_text, text_too_long, to_text
from motcua.i18n import T

TX, N, B, ANY = ValueType.TEXT, ValueType.NUMBER, ValueType.BOOL, ValueType.ANY

_DIGITS = re.compile(r"[0-9]+")


def length(value: Any) -> int:
    """Characters in the text; a blank has 0."""
    text = as_text(value, "`len`")
    return 0 if text is None else len(text)


def _mapper(name: str, change: Any) -> Any:
    def mapped(value: Any) -> str | None:
        text = as_text(value, f"`{name}`")
        return None if text is None else check_text(change(text))

    return mapped


def concat(*values: Any) -> str:
    """The values joined as text; blanks count as empty."""
    parts = [to_text(value, "`concat`") for value in values]
    # Checked before joining, so doubling text never builds a huge string.
    if sum(len(part) for part in parts) > limits.MAX_TEXT_LENGTH:
        raise text_too_long()
    return "".join(parts)


def contains(value: Any, part: Any) -> bool:
    """Whether the text contains the part (case-sensitive); False when either is blank."""
    text, piece = as_text(value, "`contains`"), as_text(part, "`contains`")
    return text is not None and piece is not None and piece in text


def starts_with(value: Any, part: Any) -> bool:
    """Whether the text starts with the part; False when either is blank."""
    text, piece = as_text(value, "`starts_with`"), as_text(part, "`starts_with`")
    return text is not None and piece is not None and text.startswith(piece)


def is_digits(value: Any) -> bool:
    """Whether the text is one or more ASCII digits 0–9 (no spaces, signs or points)."""
    text = as_text(value, "`is_digits`")
    return text is not None and _DIGITS.fullmatch(text) is not None


def text_functions() -> list[FunctionInfo]:
    """Return the built-in text functions."""
    return [
        builtin(
            "len",
            length,
            [(TX,)],
            N,
            T("Số ký tự của chuỗi", "Number of characters"),
            "len(ho_ten) <= 100",
        ),
        builtin(
            "upper",
            _mapper("upper", str.upper),
            [(TX,)],
            TX,
            T("Chữ in hoa", "Upper case"),
            "upper(ho_ten)",
        ),
        builtin(
            "lower",
            _mapper("lower", str.lower),
            [(TX,)],
            TX,
            T("Chữ thường", "Lower case"),
            "lower(email)",
        ),
        builtin(
            "trim",
            _mapper("trim", lambda text: " ".join(text.split())),
            [(TX,)],
            TX,
            T(
                "Bỏ khoảng trắng ở hai đầu và gộp các khoảng trắng liền nhau",
                "Removes spaces at both ends and collapses runs of spaces",
            ),
            "trim(ho_ten)",
        ),
        builtin(
            "concat",
            concat,
            [(ANY,)],
            TX,
            T(
                "Ghép các giá trị thành chuỗi (ngày viết dd/mm/yyyy, ô trống là rỗng)",
                "Joins values into text (dates as dd/mm/yyyy, blanks as empty)",
            ),
            "concat(ho_ten, ' - ', so_cccd)",
            variadic=True,
        ),
        builtin(
            "contains",
            contains,
            [(TX, TX)],
            B,
            T(
                "Chuỗi có chứa đoạn con không (phân biệt hoa thường)",
                "Whether text contains a part (case-sensitive)",
            ),
            "contains(dia_chi, 'Hà Nội')",
        ),
        builtin(
            "starts_with",
            starts_with,
            [(TX, TX)],
            B,
            T("Chuỗi có bắt đầu bằng đoạn này không", "Whether text starts with a part"),
            "starts_with(so_dien_thoai, '09')",
        ),
        builtin(
            "is_digits",
            is_digits,
            [(TX,)],
            B,
            T("Chuỗi chỉ gồm chữ số 0–9", "Whether text is only digits 0–9"),
            "is_digits(so_cccd) and len(so_cccd) = 12",
        ),
    ]
