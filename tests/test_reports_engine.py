"""The report engine: figures known by construction, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from conftest import make_tenant
from motcua.errors import UserError
from motcua.records.models import Record
from motcua.reports.engine import period_report, province_scope, ward_scope
from motcua.reports.figures import COUNTS, Figures, percent
from motcua.reports.period import Period, parse_period
from records_support import CERTIFY, MARITAL
from reports_support import EXPECTED_BY_PROCEDURE, EXPECTED_MARCH, build_march

MARCH_PERIOD = Period(date(2026, 3, 1), date(2026, 3, 31))


def test_the_fixture_is_what_it_says(db, ward_a):
    made = build_march(ward_a)
    assert [made[n].outcome for n in ("P2", "M1", "M2")] == ["late", "early", "on_time"]
    assert made["M3"].non_territorial and not made["M1"].non_territorial
    assert made["M6"].status == "refused_at_reception" and made["M6"].closed_at is not None
    assert made["M5"].closed_at is not None and made["M7"].paused_at is not None
    assert made["M3"].due_at < MARCH_PERIOD.end < made["M4"].due_at
    assert made["M1"].field_area == "tu-phap"


def test_every_figure_of_a_ward_month(db, ward_a, ward_b):
    build_march(ward_a)
    build_march(ward_b)  # the same records in another ward: never counted for ward A
    report = period_report(ward_scope(ward_a), MARCH_PERIOD)
    figures = report.as_dict()
    for key, expected in EXPECTED_MARCH.items():
        assert figures[key] == expected, key
    assert set(COUNTS) <= set(figures) and figures["rows"] == []
    # The two on-time definitions differ here, and both are labelled.
    assert figures["on_time_rate_a"] != figures["on_time_rate_b"]
    assert figures["definitions"]["on_time_rate_b"]["label"]["en"] == "On-time rate (B)"
    # Balance: what was open or came in is resolved, withdrawn or still open.
    t = report.totals
    assert t["carried_over"] + t["received"] == t["resolved"] + t["withdrawn"] + t.carried_forward


def test_next_month_carries_over_what_march_left_open(db, ward_a):
    build_march(ward_a)
    march = period_report(ward_scope(ward_a), MARCH_PERIOD).totals
    april = period_report(ward_scope(ward_a), Period(date(2026, 4, 1), date(2026, 4, 30))).totals
    assert april["carried_over"] == march.carried_forward == 4
    assert april["received"] == 1  # A1
    # Before anything happened: nothing at all.
    empty = period_report(ward_scope(ward_a), Period(date(2026, 1, 1), date(2026, 1, 31))).totals
    assert all(value in (0, None) for value in empty.as_dict().values())


def test_breakdown_by_procedure_sums_to_the_totals(db, ward_a):
    build_march(ward_a)
    report = period_report(ward_scope(ward_a), MARCH_PERIOD, by="procedure")
    rows = {row.key: row for row in report.rows}
    assert set(rows) == {MARITAL, CERTIFY}
    for key, (carried, received, late, overdue, refused) in EXPECTED_BY_PROCEDURE.items():
        f = rows[key].figures
        assert (f["carried_over"], f["received"], f["resolved_late"], f["overdue"], f["refused"]) == (
            carried, received, late, overdue, refused), key
    for name in COUNTS:
        assert sum(row.figures[name] for row in report.rows) == report.totals[name], name
    assert rows[CERTIFY].label.vi == Record.get(Record.procedure_key == CERTIFY).procedure_name
    assert rows[CERTIFY].figures.rate("on_time_rate_a") == 1  # M2 on time, nothing else resolved


def test_breakdown_by_field_and_reception_point(db, ward_a):
    build_march(ward_a)
    by_field = period_report(ward_scope(ward_a), MARCH_PERIOD, by="field")
    assert [row.key for row in by_field.rows] == ["tu-phap"]
    assert by_field.rows[0].figures.as_dict() == by_field.totals.as_dict()
    assert by_field.rows[0].label.en.startswith("Justice")
    by_point = period_report(ward_scope(ward_a), MARCH_PERIOD, by="reception_point")
    assert sum(row.figures["received"] for row in by_point.rows) == 6


def test_province_rolls_up_its_wards_side_by_side(db, ward_a, ward_b):
    build_march(ward_a)
    neighbour = make_tenant("07798")  # another ward of Bắc Ninh, with nothing this month
    build_march(ward_b)  # Quảng Ninh: not in Bắc Ninh's report
    scope = province_scope(ward_a.province_code)
    assert neighbour.id in scope.tenant_ids and ward_b.id not in scope.tenant_ids
    report = period_report(scope, MARCH_PERIOD, by="ward")
    assert report.totals.as_dict() == period_report(ward_scope(ward_a), MARCH_PERIOD).totals.as_dict()
    rows = {row.key: row for row in report.rows}
    assert set(rows) == {ward_a.id, neighbour.id}
    assert rows[neighbour.id].figures["received"] == 0 and rows[ward_a.id].figures["received"] == 6
    assert report.as_dict()["rows"][0]["label"] in (ward_a.name, neighbour.name)


def test_weekly_trend_adds_up_to_the_month(db, ward_a):
    from motcua.reports.engine import trend

    build_march(ward_a)
    weeks = trend(ward_scope(ward_a), MARCH_PERIOD)
    assert [p.first.isoformat() for p, _ in weeks][:2] == ["2026-03-01", "2026-03-02"]
    assert weeks[-1][0].last == date(2026, 3, 31)
    for name in ("received", "resolved", "resolved_late", "withdrawn", "returned"):
        assert sum(f[name] for _, f in weeks) == EXPECTED_MARCH[name], name
    assert weeks[0][1]["carried_over"] == 2  # what the month started with


def test_rates_are_none_without_a_denominator():
    assert Figures().rate("on_time_rate_a") is None and Figures().rate("on_time_rate_b") is None
    assert percent(Figures({"received": 3, "received_online": 1}).rate("online_rate")) == "33,33 %"


def test_period_parsing_explains_mistakes():
    today = date(2026, 3, 18)
    assert parse_period(None, None, today=today) == MARCH_PERIOD
    with pytest.raises(UserError) as bad:
        parse_period("2026-03-31", "2026-03-01", today=today)
    assert bad.value.details["field"] == "from" and "after" in bad.value.text.en
    with pytest.raises(UserError):
        parse_period("31/03/2026", "2026-04-01", today=today)
    with pytest.raises(UserError):
        period_report(None, MARCH_PERIOD, by="colour")  # type: ignore[arg-type]


def test_every_number_lists_exactly_the_records_it_counts(db, ward_a):
    from motcua.reports.drill import drill_down
    from motcua.reports.measures import MEASURES

    made = build_march(ward_a)
    scope = ward_scope(ward_a)
    for now in (None, datetime(2026, 3, 5, 12)):  # the month over, and half-way through
        report = period_report(scope, MARCH_PERIOD, by="procedure", now=now)
        for name in MEASURES:
            listed = drill_down(scope, MARCH_PERIOD, name, now=now)
            assert listed.total == report.totals[name], (name, now)
            for row in report.rows:
                assert drill_down(scope, MARCH_PERIOD, name, by="procedure", key=row.key,
                                  now=now).total == row.figures[name], (name, row.key)
    overdue = drill_down(scope, MARCH_PERIOD, "overdue")
    assert {r.code for r in overdue.records} == {made["P3"].code, made["M3"].code}


def test_a_period_not_over_counts_up_to_now(db, ward_a):
    build_march(ward_a)
    t = period_report(ward_scope(ward_a), MARCH_PERIOD, now=datetime(2026, 3, 5, 12)).totals
    # Received by then: M1, M2, M3, M5 (M6 refused); P2 and P3 overdue; M3 and M5 within the limit.
    assert (t["received"], t["refused"], t["resolved"], t["overdue"], t["in_progress"]) == (4, 1, 2, 2, 2)
    assert t["carried_over"] + t["received"] == t["resolved"] + t["withdrawn"] + t.carried_forward


def test_migration_fills_in_older_records(db, ward_a):
    """m0010's backfill gives records written before it the closed_at and field_area the
    service now writes: resolved_at, the withdrawal or refusal moment, the notebook's field."""
    from motcua.db.connection import is_sqlite
    from motcua.db.migrate import available_migrations

    build_march(ward_a)
    written = {r.id: (r.closed_at, r.field_area) for r in Record.select()}
    assert sum(1 for closed, _ in written.values() if closed) == 6  # P1, P2, M1, M2, M5, M6
    Record.update(closed_at=None, field_area="").execute()
    migration = next(m for m in available_migrations() if m.version == 10)
    with db.atomic():
        for statement in migration.statements("sqlite" if is_sqlite(db.obj) else "postgresql"):
            if statement.startswith("UPDATE"):
                db.execute_sql(statement)
        migration.module.upgrade(db.obj)
    assert {r.id: (r.closed_at, r.field_area) for r in Record.select()} == written
