"""Period figures from SQL: every count is a SUM over a CASE of :data:`MEASURES`, computed
in the database in one pass over the records alive in the period, the same on SQLite and
PostgreSQL.

The alive records are read as two index ranges joined with UNION ALL: the records still
open (``closed_at IS NULL``) and those closed since the period began (``closed_at >=
start``), both on the index ``(tenant_id, closed_at)``; the history closed before the
period is never read. Figures over other records (returned results) are one COUNT each,
on their own index (``(tenant_id, returned_at)``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from peewee import SQL, Case, Expression, Select, fn

from motcua.db import database
from motcua.errors import NotFound, UserError
from motcua.i18n import T, Text
from motcua.records.models import Record
from motcua.reports.figures import RATE_DEFINITIONS, RATES, Figures
from motcua.reports.measures import ALIVE_MEASURES, MEASURES
from motcua.reports.period import Period
from motcua.tenancy.field_areas import FIELD_AREAS
from motcua.tenancy.models import Province, ReceptionPoint, Tenant

BREAKDOWNS: dict[str, Text] = {
    "procedure": T("Thủ tục", "Procedure"),
    "field": T("Lĩnh vực", "Field"),
    "reception_point": T("Điểm tiếp nhận", "Reception point"),
    "ward": T("Phường, xã", "Ward"),
}
KEYS = {
    "procedure": Record.procedure_key,
    "field": Record.field_area,
    "reception_point": Record.reception_point,
    "ward": Record.tenant,
}


@dataclass(frozen=True)
class Scope:
    """Whose records a report counts: one ward, or the hosted wards of a province."""

    kind: str  # "ward" or "province"
    code: str
    name: str
    tenants: tuple[Tenant, ...]

    @property
    def tenant_ids(self) -> list[int]:
        """Return the ids of the wards counted."""
        return [t.id for t in self.tenants]

    def as_dict(self) -> dict[str, Any]:
        """Return ``{"kind", "code", "name", "wards"}`` for the JSON report."""
        return {"kind": self.kind, "code": self.code, "name": self.name,
                "wards": [t.code for t in self.tenants]}


def ward_scope(tenant: Tenant) -> Scope:
    """Return the scope of one ward."""
    return Scope("ward", str(tenant.code), str(tenant.name), (tenant,))


def province_scope(province: Province | str) -> Scope:
    """Return the scope of the active hosted wards of ``province`` (a row or its code).

    :raises NotFound: no province has that code.
    """
    row = province if isinstance(province, Province) else Province.get_or_none(
        (Province.code == province) | (Province.slug == province))
    if row is None:
        raise NotFound(T("Không có tỉnh `{code}`", "No province `{code}`", code=province))
    tenants = Tenant.select().where(Tenant.province == row.code, Tenant.active == True)  # noqa: E712
    return Scope("province", str(row.code), str(row.name), tuple(tenants.order_by(Tenant.name)))


@dataclass
class Row:
    """One line of a breakdown: its key (a procedure key, a ward id…), label and figures."""

    key: Any
    label: Text
    figures: Figures


@dataclass
class Report:
    """The figures of a scope for a period, with an optional breakdown ``by``."""

    scope: Scope
    period: Period
    totals: Figures
    by: str | None = None
    rows: list[Row] = field(default_factory=list)
    working_days: int | None = None
    now: datetime | None = None

    @property
    def as_of(self) -> datetime:
        """Return the moment the open records are counted at: the period's end, or now."""
        return self.period.bounds(self.now)[1]

    def as_dict(self, language: str = "vi") -> dict[str, Any]:
        """Return the report as the CLI's JSON prints it: every figure at the top level."""
        return {
            **self.totals.as_dict(),
            "scope": self.scope.as_dict(),
            "period": self.period.as_dict(),
            "as_of": self.as_of.isoformat(timespec="seconds"),
            "working_days": self.working_days,
            "by": self.by,
            "rows": [
                {"key": row.key, "label": row.label.render(language), **row.figures.as_dict()}
                for row in self.rows
            ],
            "definitions": {
                name: {"label": RATES[name].as_dict(), "formula": RATE_DEFINITIONS[name].as_dict()}
                for name in RATES
            },
        }


def check_breakdown(by: str | None) -> str | None:
    """Return ``by`` if it names a breakdown (or is empty), else raise.

    :raises UserError: unknown breakdown (field ``by``); the message lists the known ones.
    """
    if not by:
        return None
    if by not in BREAKDOWNS:
        raise UserError(
            T("Không có cách chia `{by}`; chọn một trong: {known}",
              "Unknown breakdown `{by}`; choose one of: {known}", by=by, known=", ".join(BREAKDOWNS)),
            field="by",
        )
    return by


def count_figures(
    scope: Scope, period: Period, by: str | None = None, *, now: datetime | None = None
) -> dict[Any, Figures]:
    """Return the figures of ``scope`` for ``period``: ``{None: totals}`` without ``by``,
    else ``{key: figures}`` per value of the breakdown (keys with no record are absent).

    A period not over yet at ``now`` is counted up to ``now``: "overdue at the period's
    end" then means overdue now, not due before a midnight still to come.
    """
    return _count(scope, period, check_breakdown(by), now)[0]


def _count(
    scope: Scope, period: Period, by: str | None, now: datetime | None
) -> tuple[dict[Any, Figures], dict[Any, str]]:
    """Return the figures per key, and the procedure names per key (``by="procedure"``)."""
    ids = scope.tenant_ids
    result: dict[Any, Figures] = {}
    names: dict[Any, str] = {}
    if not ids:
        return ({None: Figures()} if by is None else result), names
    start, end = period.bounds(now)
    key = KEYS[by] if by else None
    sql, template = _alive_statement(by, len(ids), type(database.obj).__name__)
    actual = {_START: start, _END: end, **{-(n + 1): tenant_id for n, tenant_id in enumerate(ids)}}
    params = [actual.get(p, p) if isinstance(p, (datetime, int)) and not isinstance(p, bool) else p
              for p in template]
    for row in database.execute_sql(sql, params).fetchall():
        row_key = row[0] if key is not None else None
        counts = list(row[1:] if key is not None else row)
        if by == "procedure":
            names[row_key] = counts.pop()
        result[row_key] = Figures(dict(zip(ALIVE_MEASURES, (int(v) for v in counts), strict=True)))
    for name, measure in MEASURES.items():
        if measure.alive:
            continue
        other = Record.select(*([key] if key is not None else []), fn.COUNT(Record.id)).where(
            Record.tenant.in_(ids), measure.where(start, end))
        if key is not None:
            other = other.group_by(key)
        for values in other.tuples():
            row_key = values[0] if key is not None else None
            result.setdefault(row_key, Figures()).counts[name] = int(values[-1])
    if by is None:
        result.setdefault(None, Figures())
    return result, names


# Stand-ins for the period and the ward ids while the statement text is made once per
# breakdown, number of wards and database (peewee takes ~1 ms per measure to write it).
_START, _END = datetime(1900, 1, 1), datetime(1900, 1, 2)


@lru_cache(maxsize=128)
def _alive_statement(by: str | None, wards: int, dialect: str) -> tuple[str, tuple[Any, ...]]:
    """Return the SQL and parameters summing every measure over the alive records, for
    ``wards`` stand-in ward ids -1, -2, … and the stand-in period (``dialect`` keys the
    cache: the text differs between SQLite and PostgreSQL)."""
    ids = [-(n + 1) for n in range(wards)]
    key = KEYS[by] if by else None

    named = by == "procedure"  # the procedure's name as its records carry it, for the label

    def branch(where: Expression) -> Any:
        columns = [key.alias("key")] if key is not None else []
        columns += [Case(None, [(MEASURES[name].condition(_START, _END), 1)], 0).alias(name)
                    for name in ALIVE_MEASURES]
        if named:
            columns.append(Record.procedure_name.alias("label"))
        return Record.select(*columns).where(Record.tenant.in_(ids), where)

    alive_rows = (
        branch(Record.closed_at.is_null() & (Record.received_at < _END))
        .union_all(branch((Record.closed_at >= _START) & (Record.received_at < _END)))
        .alias("alive")
    )
    columns = [alive_rows.c.key] if key is not None else []
    columns += [fn.COALESCE(fn.SUM(getattr(alive_rows.c, name)), 0) for name in ALIVE_MEASURES]
    if named:
        columns.append(fn.MAX(alive_rows.c.label))
    query = Select([alive_rows], columns)
    if key is not None:
        query = query.group_by(SQL("1"))
    sql, params = database.get_sql_context().sql(query).query()
    return sql, tuple(params)


def period_report(
    scope: Scope,
    period: Period,
    *,
    by: str | None = None,
    now: datetime | None = None,
    working_days: int | None = None,
) -> Report:
    """Return the report of ``scope`` for ``period`` as of ``now`` (see
    :func:`count_figures`), broken down ``by`` if given.

    ``working_days`` is the period's working days on the ward calendar, printed on the
    report when given.

    :raises UserError: unknown breakdown.
    """
    by = check_breakdown(by)
    if not by:
        totals = count_figures(scope, period, now=now)[None]
        return Report(scope, period, totals, None, [], working_days, now)
    per_key, names = _count(scope, period, by, now)
    # Every breakdown is a partition (a record has one procedure, field, point and ward),
    # so the totals are the sum of the rows: one statement instead of two.
    totals = Figures({name: sum(f[name] for f in per_key.values()) for name in MEASURES})
    labels = _labels(by, per_key, scope, names)
    rows = [Row(k, labels[k], f) for k, f in per_key.items()]
    if by == "ward":  # every ward side by side, even one with nothing this period
        rows += [Row(t.id, labels[t.id], Figures()) for t in scope.tenants if t.id not in per_key]
        rows.sort(key=lambda row: row.label.vi)
    else:
        rows.sort(key=lambda row: (-row.figures["received"] - row.figures["carried_over"],
                                   row.label.vi))
    return Report(scope, period, totals, by, rows, working_days, now)


def trend(
    scope: Scope, period: Period, *, now: datetime | None = None
) -> list[tuple[Period, Figures]]:
    """Return the figures of each week of ``period`` (each month beyond 13 weeks) up to
    ``now``; pieces that start after ``now`` are left out."""
    return [
        (piece, count_figures(scope, piece, now=now)[None])
        for piece in period.trend_pieces()
        if now is None or piece.start <= now
    ]


def _labels(by: str, per_key: dict[Any, Figures], scope: Scope, names: dict[Any, str]) -> dict[Any, Text]:
    keys = [k for k in per_key if k is not None]
    if by == "ward":
        return {t.id: T(t.name, t.name) for t in scope.tenants}
    if by == "field":
        areas = {area.key: area.name for area in FIELD_AREAS}
        return {k: areas.get(k) or T(k or "Chưa ghi lĩnh vực", k or "No field given") for k in per_key}
    if by == "reception_point":
        points = {p.id: p.name for p in ReceptionPoint.select().where(
            ReceptionPoint.tenant.in_(scope.tenant_ids), ReceptionPoint.id.in_(keys))} if keys else {}
        labels = {k: T(points.get(k, str(k)), points.get(k, str(k))) for k in keys}
        return {**labels, None: T("Không ghi điểm tiếp nhận", "No reception point given")}
    # A procedure with only returned results in the period has no alive record to name it.
    return {k: T(names.get(k) or k, names.get(k) or k) for k in per_key}
