"""Every untrusted string is valid text: no lone UTF-16 surrogate, no NUL, not over-long.

A lone surrogate (``"\\ud800"``, which JSON escapes can carry) cannot be encoded to UTF-8,
so it crashed whatever later wrote it out (a page, a PDF, the database); NUL cuts strings
short in C libraries and PostgreSQL refuses it. Both are refused at the edge, as is a
field longer than :data:`MAX_FIELD_CHARS`, naming the field.
"""

from __future__ import annotations

import re
from typing import Any

from motcua.errors import UserError
from motcua.i18n import T

MAX_FIELD_CHARS = 200_000
_BAD = re.compile("[\x00\ud800-\udfff]")


def check_text(value: str, field: str) -> None:
    """Raise UserError (400) naming ``field`` if ``value`` is not valid, bounded text."""
    if len(value) > MAX_FIELD_CHARS:
        raise UserError(
            T("Trường `{field}` quá dài ({n} ký tự, tối đa {limit})",
              "The field `{field}` is too long ({n} characters, at most {limit})",
              field=field[:80], n=len(value), limit=MAX_FIELD_CHARS),
            status=400, field=field[:80],
        )
    if not value.isascii() and _BAD.search(value) or "\x00" in value:
        raise UserError(
            T("Trường `{field}` có ký tự không hợp lệ (ký tự rỗng hoặc nửa cặp UTF-16): hãy gõ lại",
              "The field `{field}` holds an invalid character (NUL or half a UTF-16 pair): type it again",
              field=_printable(field)[:80]),
            status=400, field=_printable(field)[:80],
        )


def check_tree(value: Any, field: str = "body", depth: int = 0) -> None:
    """Check every string (keys too) of a JSON value; raise UserError at the first bad one."""
    if depth > 64:
        raise UserError(T("Dữ liệu JSON lồng nhau quá sâu", "The JSON data nests too deep"), status=400, field=field)
    if isinstance(value, str):
        check_text(value, field)
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str):
                check_text(key, field)
            check_tree(item, f"{field}.{_printable(str(key))}", depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check_tree(item, f"{field}[{index}]", depth + 1)


def _printable(text: str) -> str:
    return _BAD.sub("?", text)
