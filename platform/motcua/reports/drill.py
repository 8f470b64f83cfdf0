"""The records behind a figure: the same condition the engine sums (:data:`MEASURES`),
listed page by page, for the drill-down from any number of a report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from motcua.errors import UserError
from motcua.i18n import T
from motcua.records.models import Record
from motcua.reports.engine import KEYS, Scope, check_breakdown
from motcua.reports.figures import COUNTS
from motcua.reports.measures import MEASURES
from motcua.reports.period import Period

PAGE_SIZE = 100


@dataclass(frozen=True)
class DrillPage:
    """One page of the records behind a figure; ``total`` counts them all."""

    measure: str
    records: list[Record]
    total: int
    page: int
    pages: int


def check_measure(measure: str | None) -> str:
    """Return ``measure`` if it names a figure, else raise.

    :raises UserError: unknown figure (field ``measure``); the message lists them.
    """
    if measure not in MEASURES:
        raise UserError(
            T("Không có số liệu `{m}`; chọn một trong: {known}",
              "There is no figure `{m}`; choose one of: {known}", m=measure or "",
              known=", ".join(COUNTS)),
            field="measure",
        )
    return str(measure)


def row_key(by: str, text: str | None) -> Any:
    """Return the breakdown key ``text`` of a URL as the engine keys it (ids are numbers;
    an empty reception point is None).

    :raises UserError: a ward or reception point key that is not a number (field ``key``).
    """
    if by not in ("ward", "reception_point"):
        return text or ""
    if not text:
        return None
    if not text.isdigit():
        raise UserError(T("`key` phải là số", "`key` must be a number"), field="key")
    return int(text)


def drill_down(
    scope: Scope,
    period: Period,
    measure: str,
    *,
    by: str | None = None,
    key: Any = None,
    now: datetime | None = None,
    page: int = 1,
) -> DrillPage:
    """Return page ``page`` of the records counted in figure ``measure`` of ``scope`` for
    ``period`` (as of ``now``), within the breakdown row ``by`` = ``key`` if given;
    oldest received first.

    :raises UserError: unknown figure or breakdown.
    """
    measure = check_measure(measure)
    by = check_breakdown(by)
    start, end = period.bounds(now)
    query = Record.select().where(Record.tenant.in_(scope.tenant_ids), MEASURES[measure].where(start, end))
    if by:
        column = KEYS[by]
        query = query.where(column.is_null() if key is None else column == key)
    total = query.count()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    records = list(query.order_by(Record.received_at, Record.id).paginate(page, PAGE_SIZE))
    return DrillPage(measure, records, total, page, pages)
