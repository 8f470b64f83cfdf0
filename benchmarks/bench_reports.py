"""Benchmark: period reports on a large history, beside bare SQL in the same run.

Run: ``.venv/bin/python benchmarks/bench_reports.py [--province-records 10000000]
[--ward-records 500000] [--runs 7] [--backends sqlite,postgresql]``. Writes
``benchmarks/results/reports.json`` and ``reports.md``; figures are medians in ms over
``--runs`` timed calls after one warm-up.

Data, made in SQL (generate_series / a recursive CTE) so loading takes minutes, not
hours: records received evenly from 2021-07-01 to 2026-06-30 (the report's "now"),
half online, due three days after reception, resolved 0-4 days after it (early, on time
or late), 1 % withdrawn, 1 % refused, and 40 % of the last 20 days still open. The
indexes of the migrations are dropped during the load and built again after it.

- **province**: PostgreSQL, ``--province-records`` over 100 wards of one province;
  the report of June 2026 (the month just ended) and of March 2024 (two years back,
  so every record closed since then is alive in the period's scan).
- **ward**: SQLite, ``--ward-records`` in one ward; its June 2026.

Cases per report: ``ours`` is :func:`motcua.reports.engine.period_report` (every figure,
no breakdown) and ``ours_by_ward`` with the ward breakdown; ``bare_received_count`` is
the floor, one ``COUNT(*)`` of the month's received records on the (tenant_id,
received_at) index; ``bare_full_scan`` is the obvious hand-written SQL, the same SUM(CASE)
of every figure over all the wards' records. The bare full scan's figures are checked
equal to ours.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

RESULTS_DIR = Path(__file__).resolve().parent / "results"
NOW = datetime(2026, 6, 30, 23, 0)
START = datetime(2021, 7, 1)
PROVINCE = "24"  # Bắc Ninh
PERIODS = {"2026-06": (date(2026, 6, 1), date(2026, 6, 30)),
           "2024-03": (date(2024, 3, 1), date(2024, 3, 31))}


def measure(action: Callable[[], Any], runs: int) -> dict[str, float]:
    """Return the median, min and max wall time of ``action`` in ms (after one warm-up)."""
    action()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return {"median_ms": round(statistics.median(samples), 2), "min_ms": round(min(samples), 2),
            "max_ms": round(max(samples), 2)}


def pg_admin(base_url: str, sql: str) -> None:
    import psycopg2

    con = psycopg2.connect(base_url.rstrip("/") + "/postgres")
    con.autocommit = True
    with con.cursor() as cur:
        cur.execute(sql)
    con.close()


def _rows_sql(pg: bool, count: int, first_tenant: int, wards: int) -> str:
    """Return INSERT ... SELECT making ``count`` records over ``wards`` consecutive ids."""
    span = int((NOW - START).total_seconds())
    if pg:
        series = f"(SELECT g AS i FROM generate_series(0::bigint, {count - 1}) g) s"
        received = f"(TIMESTAMP '{START:%Y-%m-%d}' + (i::bigint * {span} / {count}) * INTERVAL '1 second')"

        def plus(expr: str, seconds: str) -> str:
            return f"({expr} + ({seconds}) * INTERVAL '1 second')"
        true, false, text_i = "TRUE", "FALSE", "i::text"
    else:
        series = (f"(WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {count - 1}) "
                  "SELECT i FROM n) s")
        received = f"datetime('{START:%Y-%m-%d}', '+' || (i * {span} / {count}) || ' seconds')"

        def plus(expr: str, seconds: str) -> str:
            return f"datetime({expr}, '+' || ({seconds}) || ' seconds')"
        true, false, text_i = "1", "0", "CAST(i AS TEXT)"
    h = "((i * 7919) % 100)"
    delay = "((i * 104729) % 345600)"  # 0-4 days, in seconds
    now_literal = f"{'TIMESTAMP ' if pg else ''}'{NOW:%Y-%m-%d %H:%M:%S}'"
    recent = f"{received} >= {plus(now_literal, '-1728000')}"  # the last 20 days
    open_ = f"({recent} AND {h} < 40)"
    status = (f"CASE WHEN {open_} THEN 'in_progress' WHEN {h} = 97 THEN 'withdrawn' "
              f"WHEN {h} = 98 THEN 'refused_at_reception' ELSE 'returned' END")
    resolved = f"CASE WHEN {open_} OR {h} IN (97, 98) THEN NULL ELSE {plus(received, delay)} END"
    closed = (f"CASE WHEN {open_} THEN NULL WHEN {h} IN (97, 98) THEN {plus(received, '3600')} "
              f"ELSE {plus(received, delay)} END")
    outcome = (f"CASE WHEN {open_} OR {h} IN (97, 98) THEN '' WHEN {delay} < 172800 THEN 'early' "
               f"WHEN {delay} <= 259200 THEN 'on_time' ELSE 'late' END")
    columns = {
        "tenant_id": f"{first_tenant} + (i % {wards})",
        "code": f"'BN-' || {text_i}",
        "procedure_key": f"CASE WHEN {h} < 60 THEN 'chung-thuc-ban-sao' ELSE 'xac-nhan-tinh-trang-hon-nhan' END",
        "procedure_name": "'Thủ tục'",
        "status": status,
        "channel": f"CASE WHEN {h} < 50 THEN 'online' WHEN {h} < 92 THEN 'direct' ELSE 'postal' END",
        "applicant_name": "'Nguyễn Văn An'", "applicant_search": "'nguyen van an'",
        "applicant_id_number": "''", "applicant_phone": "''", "applicant_address": "''",
        "applicant_email": "''", "residence_ward_code": "''",
        "non_territorial": f"CASE WHEN {h} < 3 THEN {true} ELSE {false} END",
        "data": "'{}'", "documents": "'[]'", "received_by": "'canbo'",
        "received_at": received, "due_at": plus(received, "259200"), "limit_spec": "'3d'",
        "paused_working_time": "0", "resolved_at": resolved,
        "returned_at": f"CASE WHEN {status} = 'returned' THEN {plus(received, delay + ' + 86400')} END",
        "outcome": outcome, "lock_version": "1", "updated_at": received, "closed_at": closed,
        "field_area": "'tu-phap'",
    }
    sql = f"INSERT INTO record ({', '.join(columns)}) SELECT {', '.join(columns.values())} FROM {series}"
    return sql.replace("%", "%%") if pg else sql  # psycopg2 reads % as a placeholder


def load(database_url: str, records: int, wards: int) -> dict[str, Any]:
    """Migrate a fresh database, create ``wards`` wards of the province, load the records;
    return the ward ids and the load time."""
    from motcua import units
    from motcua.db.connection import connect_database, is_sqlite
    from motcua.db.migrate import upgrade
    from motcua.tenancy.models import Tenant
    from motcua.tenancy.sync import ensure_provinces

    db = connect_database(database_url)  # also points the models at it
    db.connect(reuse_if_open=True)
    upgrade(db)
    pg = not is_sqlite(db)
    with db.atomic():
        ensure_provinces()
        codes = [w.code for w in units.wards(PROVINCE)][:wards]
        tenants = [Tenant.create(code=c, catalogue=units.CATALOGUE_DATE, name=units.ward(c).name,
                                 slug=units.ward(c).slug, province=PROVINCE) for c in codes]
    ids = [t.id for t in tenants]
    assert ids == list(range(ids[0], ids[0] + len(ids))), "ward ids must be consecutive"
    if pg:
        indexes = [r[0] for r in db.execute_sql(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'record' AND indexname <> 'record_pkey'")]
        names = [r[0] for r in db.execute_sql(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'record' AND indexname <> 'record_pkey'")]
    else:
        rows = db.execute_sql("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                              "AND tbl_name = 'record' AND sql IS NOT NULL").fetchall()
        names, indexes = [r[0] for r in rows], [r[1] for r in rows]
    started = time.perf_counter()
    with db.atomic():
        for name in names:
            db.execute_sql(f'DROP INDEX "{name}"')
        db.execute_sql(_rows_sql(pg, records, ids[0], len(ids)))
        for statement in indexes:
            db.execute_sql(statement)
    db.execute_sql("ANALYZE" if not pg else "ANALYZE record")
    return {"ward_ids": ids, "load_s": round(time.perf_counter() - started, 1)}


def bare_queries(ids: list[int], first: date, last: date) -> tuple[Any, Any]:
    """Return the floor query and the full-scan query (peewee, no motcua report code)."""
    from peewee import Case, fn

    from motcua.records.models import Record
    from motcua.reports.measures import MEASURES
    from motcua.reports.period import Period

    start, end = Period(first, last).bounds(NOW)
    floor = Record.select(fn.COUNT(Record.id)).where(
        Record.tenant.in_(ids), Record.received_at >= start, Record.received_at < end)
    full = Record.select(*[fn.SUM(Case(None, [(m.where(start, end), 1)], 0)) for m in MEASURES.values()]
                         ).where(Record.tenant.in_(ids))
    return floor, full


def bench_backend(name: str, database_url: str, records: int, wards: int, runs: int,
                  periods: list[str]) -> dict[str, Any]:
    """Load the data into ``database_url`` and time every case; return the results."""
    from motcua.reports.engine import period_report, province_scope
    from motcua.reports.measures import MEASURES
    from motcua.reports.period import Period

    info = load(database_url, records, wards)
    scope = province_scope(PROVINCE)
    results: dict[str, Any] = {"records": records, "wards": wards, "load_s": info["load_s"], "periods": {}}
    for label in periods:
        first, last = PERIODS[label]
        period = Period(first, last)
        floor, full = bare_queries(scope.tenant_ids, first, last)
        ours = period_report(scope, period, now=NOW).totals
        bare = dict(zip(MEASURES, (int(v or 0) for v in full.tuples().get()), strict=True))
        assert {k: ours[k] for k in MEASURES} == bare, (ours.counts, bare)
        cases = {
            "ours": measure(lambda p=period: period_report(scope, p, now=NOW), runs),
            "ours_by_ward": measure(lambda p=period: period_report(scope, p, by="ward", now=NOW), runs),
            "bare_received_count": measure(lambda q=floor: q.scalar(), runs),
            "bare_full_scan": measure(lambda q=full: q.tuples().get(), max(1, runs // 2)),
        }
        ratio = {
            "ours_over_floor": round(cases["ours"]["median_ms"] / cases["bare_received_count"]["median_ms"], 2),
            "ours_over_full_scan": round(cases["ours"]["median_ms"] / cases["bare_full_scan"]["median_ms"], 3),
        }
        results["periods"][label] = {"cases": cases, "ratios": ratio, "received": ours["received"],
                                     "alive_rows": ours["carried_over"] + ours["received"] + ours["refused"]}
    return results


def markdown(report: dict[str, Any]) -> str:
    lines = [f"# Reports benchmark ({report['run_at']}, {report['machine']})", ""]
    for backend, result in report["backends"].items():
        lines += [f"## {backend}: {result['records']:,} records, {result['wards']} ward(s) "
                  f"(loaded in {result['load_s']} s)", "",
                  "| period | case | median ms | min | max |", "|---|---|---:|---:|---:|"]
        for label, part in result["periods"].items():
            for case, figures in part["cases"].items():
                lines.append(f"| {label} | {case} | {figures['median_ms']} | {figures['min_ms']} | {figures['max_ms']} |")
        lines.append("")
        for label, part in result["periods"].items():
            lines.append(f"- {label}: {part['received']:,} received; ours / floor "
                         f"**{part['ratios']['ours_over_floor']}**, ours / bare full scan "
                         f"**{part['ratios']['ours_over_full_scan']}**")
        lines.append("")
    lines += ["floor = one COUNT(*) of the period's received records on (tenant_id, received_at); "
              "bare full scan = the same SUM(CASE) of every figure over all the wards' records "
              "(its figures are checked equal to ours). Targets (issue 12): province on "
              "PostgreSQL under 1 s, ward month on SQLite under 100 ms.", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--province-records", type=int, default=10_000_000)
    parser.add_argument("--ward-records", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432"))
    args = parser.parse_args()
    from motcua.db import database

    report: dict[str, Any] = {"run_at": datetime.now().isoformat(timespec="seconds"),
                              "machine": f"{platform.python_implementation()} {platform.python_version()}, "
                                         f"{os.cpu_count()} vCPU", "backends": {}}
    if "sqlite" in args.backends:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
            report["backends"]["sqlite (one ward)"] = bench_backend(
                "sqlite", url, args.ward_records, 1, args.runs, ["2026-06"])
            database.close()
        write(report)
    if "postgresql" in args.backends:
        name = "motcua_bench_reports"
        pg_admin(args.pg_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        pg_admin(args.pg_url, f'CREATE DATABASE "{name}"')
        try:
            report["backends"]["postgresql (province)"] = bench_backend(
                "postgresql", f"{args.pg_url.rstrip('/')}/{name}", args.province_records, 100,
                args.runs, list(PERIODS))
        finally:
            database.close()
            pg_admin(args.pg_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    write(report)
    print(markdown(report))


def write(report: dict[str, Any]) -> None:
    """Write what has been measured so far to ``results/reports.{json,md}``."""
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / "reports.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS_DIR / "reports.md").write_text(markdown(report))


if __name__ == "__main__":
    main()
