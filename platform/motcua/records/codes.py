"""Record codes: ``<agency code>-YYMMDD-NNNN`` by default, unique per ward, without gaps.

The 2018 national format is the agency's electronic code, the reception date and a daily
sequence (DOMAIN.md "Codes"); Circular 03/2025 leaves the layout open, so the format is
the tenant setting ``record_code_format``. The sequence comes from one counter row per
ward and day, incremented inside the record's own transaction: a failed reception rolls
its number back, and concurrent receptions queue on the row instead of sharing a number.
"""

from __future__ import annotations

import string
from datetime import date

from motcua.db import database
from motcua.errors import UserError
from motcua.i18n import T

DEFAULT_FORMAT = "{agency}-{yymmdd}-{seq:04d}"
_KNOWN = {"agency", "ward", "yymmdd", "yyyymmdd", "seq"}


def format_code(template: str, *, agency: str, ward: str, day: date, seq: int) -> str:
    """Return the code for sequence ``seq`` of ``day``; ``template`` uses {agency}, {ward},
    {yymmdd}, {yyyymmdd} and {seq} (with a width, e.g. ``{seq:05d}``).

    :raises UserError: the template names another field or has no ``{seq}``.
    """
    check_format(template)
    return template.format(
        agency=agency,
        ward=ward,
        yymmdd=day.strftime("%y%m%d"),
        yyyymmdd=day.strftime("%Y%m%d"),
        seq=seq,
    )


def check_format(template: str) -> str:
    """Return ``template`` if it is a usable code format, else raise :class:`UserError`."""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError:
        names = {"?"}
    if "seq" not in names or not names <= _KNOWN:
        raise UserError(
            T(
                "Mẫu mã hồ sơ “{template}” không hợp lệ: dùng {{agency}}, {{ward}}, {{yymmdd}}, {{yyyymmdd}} và bắt buộc {{seq}}",
                "The record code format “{template}” is invalid: use {{agency}}, {{ward}}, {{yymmdd}}, {{yyyymmdd}} and the required {{seq}}",
                template=template,
            ),
            field="record_code_format",
        )
    return template


def next_sequence(tenant_id: int, day: date, count: int = 1) -> int:
    """Take the next ``count`` numbers of ``day`` for the ward (counting from 1) and return
    the last of them: numbers ``last - count + 1`` to ``last`` are the caller's.

    Call inside the record's write transaction: the upsert takes the counter row's lock
    (row lock on PostgreSQL, the database write lock on SQLite) until the transaction ends.
    """
    cursor = database.execute_sql(
        "INSERT INTO record_counter (tenant_id, day, value) VALUES (%s, %s, %s) "
        "ON CONFLICT (tenant_id, day) DO UPDATE SET value = record_counter.value + %s "
        "RETURNING value".replace("%s", database.obj.param),
        (tenant_id, day.isoformat(), count, count),
    )
    return int(cursor.fetchone()[0])
