"""Benchmark: record creation through the API (vs a bare Flask+peewee floor) and work-list /
search latency for a ward holding a million records, on SQLite and PostgreSQL.

Run (from the repository root; needs ``wrk`` (Debian package) and, for PostgreSQL, a server
at 127.0.0.1:5432 that lets ``postgres`` create databases)::

    .venv/bin/python benchmarks/bench_records.py                 # everything (~12 min)
    .venv/bin/python benchmarks/bench_records.py --part api      # only record creation
    .venv/bin/python benchmarks/bench_records.py --part queries  # only the million records
    .venv/bin/python benchmarks/bench_records.py --backends sqlite --rounds 3

Writes ``benchmarks/results/records.json`` and ``records.md`` (a part run alone replaces
only its own section). Method as in ``research/perf-floor.md``: the box is 2 vCPU and
noisy, so both sides run in the same session, interleaved round by round, and the report
gives medians and the ratio ours/bare.

1. **api**: per backend, a fresh data folder (SQLite) or fresh databases (PostgreSQL):
   migrate, sync Phường Nếnh (tenants/phuong-nenh.toml), publish chung-thuc-ban-sao, create
   a staff token. Each round starts gunicorn (``serve_bench.py``: 2 sync workers, as
   ``motcua serve``) for ours and for the bare app (``bare_app.py``), in alternating order,
   runs wrk (1 thread, 16 connections) for a discarded warm-up then a measured run, and
   stops gunicorn. Bodies: realistic JSON with Vietnamese names (``records_data.py``).
2. **queries**: bulk-load 1,000,000 records for Phường Nếnh plus 20,000 for each of three
   other wards straight into the app's migrated schema (indexes dropped during the load and
   rebuilt after; PostgreSQL gets VACUUM ANALYZE, SQLite is left as the app leaves it, with
   no ANALYZE), then time ``records.queries.work_list`` in-process: p50/p95 over repeated
   calls after one warm-up, with the plan of the SQL it ran.
"""

from __future__ import annotations

import argparse
import http.client
import json
import logging
import os
import platform
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS_DIR = HERE / "results"
sys.path.insert(0, str(HERE))
os.environ.setdefault("MOTCUA_PASSWORD_METHOD", "scrypt:1024:8:1")  # one user; cost irrelevant

import records_data  # noqa: E402

WARD = "07795"  # Phường Nếnh
OTHER_WARDS = ("06832", "07519", "07840")  # filled with a few rows when present
PROCEDURE = "chung-thuc-ban-sao"
# The million records end at this moment (a Friday afternoon), so runs are repeatable.
DATA_NOW = datetime(2026, 11, 20, 15, 30)


# ---------------------------------------------------------------- helpers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pctl(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    if len(ordered) == 1:
        return ordered[0]
    pos = (len(ordered) - 1) * q
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def machine_busy() -> float:
    """Return busy CPU seconds of the whole machine (all of /proc/stat but idle and iowait)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    ticks = sum(fields[:8]) - fields[3] - fields[4]
    return ticks / os.sysconf("SC_CLK_TCK")


def tree_cpu(pid: int) -> float:
    """Return user+sys CPU seconds of ``pid`` and its live children."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        rest = stat.rsplit(")", 1)[1].split()
        if int(entry.name) == pid or int(rest[1]) == pid:
            total += int(rest[11]) + int(rest[12])
    return total / os.sysconf("SC_CLK_TCK")


def pg_admin(base_url: str, sql: str) -> None:
    import psycopg2

    con = psycopg2.connect(base_url.rstrip("/") + "/postgres")
    con.autocommit = True
    with con.cursor() as cur:
        cur.execute(sql)
    con.close()


def fresh_pg_database(base_url: str, name: str) -> str:
    pg_admin(base_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    pg_admin(base_url, f'CREATE DATABASE "{name}"')
    return f"{base_url.rstrip('/')}/{name}"


def prepare_ward(database_url: str, data_dir: Path, tenant_files: list[Path]) -> dict[str, Any]:
    """Migrate, sync the given tenant files, publish chung-thuc-ban-sao in Phường Nếnh and
    create a staff token there; return ids and the token."""
    from motcua.accounts.service import create_token, create_user
    from motcua.app import create_app
    from motcua.db import database
    from motcua.db.connection import connect_database
    from motcua.db.migrate import upgrade
    from motcua.notebooks import read_ipynb
    from motcua.notebooks.service import import_notebook, publish
    from motcua.tenancy.models import Counter, Tenant
    from motcua.tenancy.sync import sync_tenants
    from motcua.web.ward import ward_for

    db = connect_database(database_url)
    db.connect(reuse_if_open=True)
    upgrade(db)
    db.close()
    with tempfile.TemporaryDirectory() as folder:
        for path in tenant_files:
            shutil.copy(path, folder)
        app = create_app({"database_url": database_url, "data_dir": data_dir, "secure_cookies": False})
        with app.app_context():
            database.connect(reuse_if_open=True)
            sync_tenants(Path(folder))
            tenant = Tenant.get(Tenant.code == WARD)
            import_notebook(tenant, read_ipynb(REPO / "forms" / f"{PROCEDURE}.ipynb"), actor="bench")
            version = publish(tenant, PROCEDURE, actor="bench", toolkit=ward_for(app, tenant).toolkit)
            user = create_user("canbo.bench", "mat-khau-bench-2026", role="staff", tenant=tenant)
            _, token = create_token(tenant, user, name="bench")
            counter = Counter.select().where(Counter.tenant == tenant).order_by(Counter.id).first()
            info = {
                "tenant_id": tenant.id,
                "agency": tenant.agency_code or tenant.code,
                "token": token,
                "counter_id": counter.id if counter else None,
                "reception_point_id": counter.reception_point_id if counter else None,
                "notebook_version_id": getattr(version, "id", None),
            }
            database.close()
    return info


# ---------------------------------------------------------------- 1. record creation


class Server:
    """One gunicorn (ours or bare) on a free port; stops on exit."""

    def __init__(self, which: str, env: dict[str, str], log: Path) -> None:
        self.which = which
        self.port = free_port()
        self.log = log.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, str(HERE / "serve_bench.py"), which, f"127.0.0.1:{self.port}"],
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,  # the access log, as `motcua serve` writes it
            stderr=self.log,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                con = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                con.request("GET", "/api/v1/me")
                con.getresponse().read()
                con.close()
                break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn ({which}) did not start; see {log}") from None
                time.sleep(0.1)

    def post(self, body: str, token: str) -> tuple[int, str]:
        con = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        con.request("POST", "/api/v1/records", body.encode(),
                    {"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
        response = con.getresponse()
        text = response.read().decode()
        con.close()
        return response.status, text

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def run_wrk(port: int, seconds: float, connections: int, bodies: Path, token: str) -> dict[str, Any]:
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{int(round(seconds))}s", "--timeout", "10s",
         "-s", str(HERE / "post_records.lua"), f"http://127.0.0.1:{port}"],
        env={**os.environ, "BENCH_BODIES": str(bodies), "BENCH_TOKEN": token},
        capture_output=True, text=True, timeout=seconds + 60, check=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("WRKJSON "))
    return json.loads(line.removeprefix("WRKJSON "))


def api_setup(backend: str, work: Path, pg_base: str) -> dict[str, Any]:
    """Fresh databases for ours and bare; return the env of each side and the token."""
    import bare_app

    data_dir = work / f"api-{backend}"
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    if backend == "sqlite":
        ours_url = f"sqlite:///{data_dir / 'motcua.sqlite3'}"
        bare_url = f"sqlite:///{data_dir / 'bare.sqlite3'}"
    else:
        ours_url = fresh_pg_database(pg_base, "motcua_bench_api")
        bare_url = fresh_pg_database(pg_base, "motcua_bench_bare")
    info = prepare_ward(ours_url, data_dir, [REPO / "tenants" / "phuong-nenh.toml"])
    bare_app.create_schema(bare_url)
    bodies = data_dir / "bodies.jsonl"
    lines = records_data.api_bodies(5000, date.today(), counter_id=info["counter_id"], procedure=PROCEDURE)
    bodies.write_text("\n".join(lines) + "\n", encoding="utf-8")
    common = {"MOTCUA_DATA_DIR": str(data_dir), "MOTCUA_SECURE_COOKIES": "0",
              "MOTCUA_PUBLIC_URL": "http://127.0.0.1:8000"}
    return {
        "ours": {**common, "DATABASE_URL": ours_url},
        "bare": {**common, "DATABASE_URL": bare_url},
        "token": info["token"],
        "bodies": bodies,
        "first_body": lines[0],
        "log": data_dir / "gunicorn.log",
        "urls": {"ours": ours_url, "bare": bare_url},
    }


def one_api_run(side: str, setup: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    server = Server(side, setup[side], setup["log"])
    try:
        status, text = server.post(setup["first_body"], setup["token"])
        if status != 201:
            raise RuntimeError(f"{side}: POST /api/v1/records answered {status}: {text[:500]}")
        run_wrk(server.port, args.warmup, args.connections, setup["bodies"], setup["token"])
        cpu0, busy0 = tree_cpu(server.proc.pid), machine_busy()
        result = run_wrk(server.port, args.duration, args.connections, setup["bodies"], setup["token"])
        cpu1, busy1 = tree_cpu(server.proc.pid), machine_busy()
    finally:
        server.stop()
    requests = max(result["requests"], 1)
    errors = sum(v for k, v in result.items() if k.startswith("errors_"))
    return {
        "req_s": round(result["requests"] / (result["duration_us"] / 1e6), 1),
        "p50_ms": round(result["p50_us"] / 1000, 2),
        "p99_ms": round(result["p99_us"] / 1000, 2),
        "requests": result["requests"],
        "errors": errors,
        "app_cpu_ms_per_req": round((cpu1 - cpu0) * 1000 / requests, 3),
        "machine_cpu_ms_per_req": round((busy1 - busy0) * 1000 / requests, 3),
    }


def count_rows(url: str, table: str) -> int:
    if url.startswith("sqlite"):
        con = sqlite3.connect(url.removeprefix("sqlite:///"))
        n = con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        con.close()
        return n
    import psycopg2

    con = psycopg2.connect(url)
    with con.cursor() as cur:
        cur.execute(f"SELECT COUNT(*) FROM {table}")
        n = cur.fetchone()[0]
    con.close()
    return n


def bench_api(args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {
        "method": (f"gunicorn 2 sync workers (motcua.cli.serve.run_gunicorn) per run, fresh start; "
                   f"wrk -t1 -c{args.connections}, {args.warmup:g} s warm-up discarded, {args.duration:g} s "
                   f"measured; {args.rounds} rounds, ours and bare interleaved (order alternating)"),
        "backends": {},
    }
    setups = {backend: api_setup(backend, args.work_dir, args.pg_url) for backend in args.backends}
    runs: dict[str, dict[str, list[dict[str, Any]]]] = {b: {"ours": [], "bare": []} for b in args.backends}
    for round_no in range(args.rounds):
        for backend in args.backends:
            order = ("ours", "bare") if round_no % 2 == 0 else ("bare", "ours")
            for side in order:
                result = one_api_run(side, setups[backend], args)
                runs[backend][side].append(result)
                print(f"  round {round_no + 1} {backend:10} {side:4}: {result['req_s']:7.1f} req/s  "
                      f"p50 {result['p50_ms']:6.1f} ms  p99 {result['p99_ms']:6.1f} ms  "
                      f"errors {result['errors']}", flush=True)
    for backend in args.backends:
        summary: dict[str, Any] = {}
        for side in ("ours", "bare"):
            rows = runs[backend][side]
            summary[side] = {
                key: statistics.median(r[key] for r in rows)
                for key in ("req_s", "p50_ms", "p99_ms", "app_cpu_ms_per_req", "machine_cpu_ms_per_req")
            } | {
                "req_s_min": min(r["req_s"] for r in rows),
                "req_s_max": max(r["req_s"] for r in rows),
                "errors": sum(r["errors"] for r in rows),
                "runs": rows,
            }
        paired = [o["req_s"] / b["req_s"] for o, b in zip(runs[backend]["ours"], runs[backend]["bare"], strict=True)]
        summary["ratio_req_s_ours_over_bare"] = round(summary["ours"]["req_s"] / summary["bare"]["req_s"], 3)
        summary["ratio_paired_median"] = round(statistics.median(paired), 3)
        summary["ratio_paired_min_max"] = [round(min(paired), 3), round(max(paired), 3)]
        summary["rows_written"] = {side: count_rows(setups[backend]["urls"][side],
                                                    "record" if side == "ours" else "bare_record")
                                   for side in ("ours", "bare")}
        out["backends"][backend] = summary
    profiled = "sqlite" if "sqlite" in setups else args.backends[0]
    out["profile"] = {"backend": profiled, **profile_create(setups[profiled])}
    return out


PROFILED = [  # (label, file suffix, function): where a POST /api/v1/records spends its time
    ("token check (verify_token, incl. last_used_at UPDATE)", "accounts/service.py", "verify_token"),
    ("records.service.receive (all of it)", "records/service.py", "receive"),
    ("  load the published procedure (procedure())", "records/procedures.py", "procedure"),
    ("  ward calendar (ward_calendar())", "tenancy/workdays.py", "ward_calendar"),
    ("  validate_submission (notebook evaluation)", "notebooks/evaluate.py", "validate_submission"),
    ("    expression compile (lark parse)", "expressions/expression.py", "compile_expression"),
    ("    dependency graph (build_plan)", "notebooks/graph.py", "build_plan"),
    ("  compute_due", "calendar/deadlines.py", "compute_due"),
    ("  counter/reception point checks (_check_place)", "records/service.py", "_check_place"),
    ("  audit row", "motcua/audit.py", "audit"),
    ("ward context (current_ward())", "web/ward.py", "current_ward"),
    ("response: record_json with events", "web/records_api.py", "record_json"),
    ("peewee: cursor execute (driver + database)", "peewee.py", "execute_sql"),
]


def profile_create(setup: dict[str, Any], count: int = 300) -> dict[str, Any]:
    """Time POST /api/v1/records in-process (Flask test client, same database as the API
    run), then profile it: cumulative ms per request of the main steps."""
    import cProfile
    import pstats

    from motcua.app import create_app

    env = setup["ours"]
    app = create_app({"database_url": env["DATABASE_URL"], "data_dir": Path(env["MOTCUA_DATA_DIR"]),
                      "secure_cookies": False})
    client = app.test_client()
    bodies = setup["bodies"].read_text(encoding="utf-8").splitlines()
    headers = {"Authorization": f"Bearer {setup['token']}", "Content-Type": "application/json"}

    def post(i: int) -> None:
        response = client.post("/api/v1/records", data=bodies[i % len(bodies)], headers=headers)
        assert response.status_code == 201, response.data[:300]

    for i in range(30):
        post(i)
    start = time.perf_counter()
    for i in range(count):
        post(i)
    plain_ms = (time.perf_counter() - start) * 1000 / count
    profiler = cProfile.Profile()
    profiler.enable()
    for i in range(count):
        post(i)
    profiler.disable()
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    total = sum(tt for (_, _, _), (_, _, tt, _, _) in stats.items())
    steps = {}
    for label, suffix, func in PROFILED:
        cum = sum(ct for (file, _, name), (_, _, _, ct, _) in stats.items()
                  if name == func and file.endswith(suffix))
        calls = sum(nc for (file, _, name), (_, nc, _, _, _) in stats.items()
                    if name == func and file.endswith(suffix))
        steps[label] = {"share": round(cum / total, 3), "calls_per_req": round(calls / count, 1)}
    return {"in_process_ms_per_req": round(plain_ms, 2), "requests": count,
            "note": "cProfile cumulative time as a share of all profiled time (nested rows overlap)",
            "steps": steps}


# ---------------------------------------------------------------- 2. a million records


def build_rows(info: dict[str, Any], others: dict[str, int], args: argparse.Namespace) -> list[tuple]:
    from motcua.tenancy.models import Tenant
    from motcua.tenancy.workdays import ward_calendar
    from motcua.units import fold

    rows: list[tuple] = []
    next_id = 1
    for code, tenant_id in others.items():
        cal = ward_calendar(Tenant.get_by_id(tenant_id))
        rows += records_data.record_rows(
            tenant_id=tenant_id, agency=code, count=args.other, now=DATA_NOW, add_workdays=cal.add_workdays,
            fold=fold, first_id=next_id, reception_point_id=None, counter_id=None,
            notebook_version_id=None, seed=int(code))
        next_id = len(rows) + 1
    cal = ward_calendar(Tenant.get_by_id(info["tenant_id"]))
    rows += records_data.record_rows(
        tenant_id=info["tenant_id"], agency=info["agency"], count=args.records, now=DATA_NOW,
        add_workdays=cal.add_workdays, fold=fold, first_id=next_id,
        reception_point_id=info["reception_point_id"], counter_id=info["counter_id"],
        notebook_version_id=info["notebook_version_id"], seed=2026)
    return rows


def _text(value: Any) -> Any:
    if isinstance(value, datetime):
        return str(value)
    return value


def load_sqlite(path: str, rows: list[tuple]) -> dict[str, float]:
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA foreign_keys=OFF")
    indexes = con.execute(
        "SELECT name, sql FROM sqlite_master WHERE type='index' AND tbl_name='record' AND sql IS NOT NULL"
    ).fetchall()
    for name, _ in indexes:
        con.execute(f'DROP INDEX "{name}"')
    cols = ", ".join(records_data.RECORD_COLUMNS)
    marks = ", ".join("?" * len(records_data.RECORD_COLUMNS))
    start = time.perf_counter()
    with con:
        for i in range(0, len(rows), 50_000):
            con.executemany(f"INSERT INTO record ({cols}) VALUES ({marks})",
                            ([_text(v) for v in row] for row in rows[i:i + 50_000]))
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    with con:
        for _, sql in indexes:
            con.execute(sql)
    indexed = time.perf_counter() - start
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return {"insert_s": round(loaded, 1), "index_s": round(indexed, 1),
            "file_mb": round(Path(path).stat().st_size / 2**20)}


def _copy_value(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def load_pg(url: str, rows: list[tuple]) -> dict[str, float]:
    import io

    import psycopg2

    con = psycopg2.connect(url)
    cur = con.cursor()
    cur.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'record' "
                "AND indexname NOT LIKE '%pkey'")
    indexes = cur.fetchall()
    for name, _ in indexes:
        cur.execute(f'DROP INDEX "{name}"')
    start = time.perf_counter()
    cols = ", ".join(records_data.RECORD_COLUMNS)
    for i in range(0, len(rows), 100_000):
        buf = io.StringIO("".join("\t".join(_copy_value(v) for v in row) + "\n" for row in rows[i:i + 100_000]))
        cur.copy_expert(f"COPY record ({cols}) FROM STDIN", buf)
    cur.execute("SELECT setval(pg_get_serial_sequence('record', 'id'), (SELECT MAX(id) FROM record))")
    con.commit()
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    for _, sql in indexes:
        cur.execute(sql)
    con.commit()
    indexed = time.perf_counter() - start
    con.autocommit = True
    start = time.perf_counter()
    cur.execute("VACUUM ANALYZE record")
    vacuumed = time.perf_counter() - start
    cur.execute("SELECT pg_total_relation_size('record')")
    size = cur.fetchone()[0]
    con.close()
    return {"copy_s": round(loaded, 1), "index_s": round(indexed, 1), "vacuum_analyze_s": round(vacuumed, 1),
            "total_mb": round(size / 2**20)}


class SqlCapture(logging.Handler):
    """Keeps the SQL and parameters peewee logs (level DEBUG)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.seen: list[tuple[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if isinstance(record.msg, tuple) and len(record.msg) == 2:
            self.seen.append(record.msg)


def explain(db: Any, sql: str, params: Any, sqlite: bool) -> list[str]:
    if sqlite:
        rows = db.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()
        return [f"{r[0]}|{r[1]}| {r[3]}" for r in rows]
    rows = db.execute_sql("EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, SUMMARY OFF) " + sql, params).fetchall()
    return [r[0] for r in rows]


def time_queries(url: str, data_dir: Path, args: argparse.Namespace, label: str) -> dict[str, Any]:
    """Time work_list for each case on the loaded database; return the figures and plans."""
    from motcua.app import create_app
    from motcua.db import database
    from motcua.db.connection import is_sqlite
    from motcua.records import queries
    from motcua.records.models import Record
    from motcua.records.queries import WorkFilters, work_list
    from motcua.tenancy.models import Tenant

    app = create_app({"database_url": url, "data_dir": data_dir, "secure_cookies": False})
    results: dict[str, Any] = {}
    with app.app_context():
        database.connect(reuse_if_open=True)
        db = database.obj
        sqlite = is_sqlite(db)
        tenant = Tenant.get(Tenant.code == WARD)
        mine = Record.select().where(Record.tenant == tenant)
        total = mine.count()
        middle = mine.order_by(Record.received_at.desc(), Record.id.desc()).offset(total // 2).first()
        sample = mine.where(Record.id == middle.id + 1234).first() or middle
        # a rare full name (few holders) and a common fragment
        rare = (Record.select(Record.applicant_search)
                .where(Record.tenant == tenant, Record.applicant_search.startswith("khuc "))
                .order_by(Record.id).first())
        cases: list[tuple[str, WorkFilters, str | None]] = [
            ("list: default (newest first)", WorkFilters(), None),
            ("list: next page (cursor from page 1)", WorkFilters(), "PAGE2"),
            ("list: deep page (cursor at 500,000th)", WorkFilters(), queries._encode(middle)),
            ("list: status=in_progress", WorkFilters(status="in_progress"), None),
            ("list: status=supplement_requested", WorkFilters(status="supplement_requested"), None),
            ("list: status=received, page 2", WorkFilters(status="received"), "PAGE2"),
            ("list: overdue", WorkFilters(overdue=True), None),
            ("list: due within 2 working days", WorkFilters(due_within=2), None),
            ("list: procedure=xac-nhan-tinh-trang-hon-nhan", WorkFilters(procedure="xac-nhan-tinh-trang-hon-nhan"), None),
            ("list: channel=postal", WorkFilters(channel="postal"), None),
            ("search: code", WorkFilters(search=sample.code), None),
            ("search: phone", WorkFilters(search=sample.applicant_phone), None),
            ("search: CCCD", WorkFilters(search=sample.applicant_id_number), None),
            ("search: name, common ('nguyen van')", WorkFilters(search="Nguyễn Văn"), None),
            ("search: name, one given name ('Thảo')", WorkFilters(search="Thảo"), None),
            ("search: name, rare full name", WorkFilters(search=rare.applicant_search if rare else "khuc thi gam"), None),
            ("search: name, no match ('Ngô Tất Tố')", WorkFilters(search="Ngô Tất Tố"), None),
            ("search: name + status=received", WorkFilters(search="Nguyễn Thị", status="received"), None),
        ]
        capture = SqlCapture()
        peewee_log = logging.getLogger("peewee")
        peewee_log.addHandler(capture)
        old_level = peewee_log.level
        for name, filters, after in cases:
            if after == "PAGE2":
                after = work_list(tenant, filters, now=DATA_NOW).next_cursor
            call = lambda f=filters, a=after: work_list(tenant, f, after=a, now=DATA_NOW)  # noqa: E731
            peewee_log.setLevel(logging.DEBUG)
            capture.seen.clear()
            page = call()  # warm-up, and the SQL for the plan
            peewee_log.setLevel(old_level)
            statement = next((s for s in reversed(capture.seen) if 'FROM "record"' in s[0]), None)
            samples: list[float] = []
            spent = time.perf_counter()
            while len(samples) < args.runs and (len(samples) < 5 or time.perf_counter() - spent < args.max_seconds):
                start = time.perf_counter()
                call()
                samples.append((time.perf_counter() - start) * 1000)
            results[name] = {
                "p50_ms": round(statistics.median(samples), 2),
                "p95_ms": round(pctl(samples, 0.95), 2),
                "n": len(samples),
                "rows": len(page.records),
                "sql": statement[0] if statement else None,
                "params": [str(p) for p in statement[1]] if statement else None,
                "plan": explain(db, statement[0], statement[1], sqlite) if statement else None,
            }
            print(f"  {label:10} {name:45} p50 {results[name]['p50_ms']:8.2f} ms  "
                  f"p95 {results[name]['p95_ms']:8.2f} ms  rows {len(page.records)}", flush=True)
        peewee_log.removeHandler(capture)
        counts = {
            "ward_records": total,
            "all_records": Record.select().count(),
            "overdue": mine.where(Record.status.in_(queries.RUNNING), Record.due_at < DATA_NOW).count(),
        }
        database.close()
    return {"cases": results, "counts": counts}


def bench_queries(args: argparse.Namespace) -> dict[str, Any]:
    from motcua.tenancy.models import Tenant

    out: dict[str, Any] = {"data_now": DATA_NOW.isoformat(), "backends": {}}
    rows: list[tuple] | None = None
    rows_for: dict[str, Any] | None = None
    tenant_files = sorted((REPO / "tenants").glob("*.toml"))
    for backend in args.backends:
        data_dir = args.work_dir / f"million-{backend}"
        if backend == "sqlite":
            url = f"sqlite:///{data_dir / 'motcua.sqlite3'}"
            ready = (data_dir / "loaded").exists() and args.reuse
        else:
            url = f"{args.pg_url.rstrip('/')}/motcua_bench_million"
            ready = (data_dir / "loaded").exists() and args.reuse
        load: dict[str, Any] = {}
        if not ready:
            shutil.rmtree(data_dir, ignore_errors=True)
            data_dir.mkdir(parents=True)
            if backend != "sqlite":
                fresh_pg_database(args.pg_url, "motcua_bench_million")
            info = prepare_ward(url, data_dir, tenant_files)
            if rows is None or rows_for != info:
                from motcua.db import database

                database.connect(reuse_if_open=True)
                others = {t.code: t.id for t in Tenant.select().where(Tenant.code.in_(OTHER_WARDS))}
                start = time.perf_counter()
                rows, rows_for = build_rows(info, others, args), info
                out["generate_s"] = round(time.perf_counter() - start, 1)
                database.close()
                print(f"  generated {len(rows):,} rows in {out['generate_s']} s", flush=True)
            load = load_sqlite(url.removeprefix("sqlite:///"), rows) if backend == "sqlite" else load_pg(url, rows)
            (data_dir / "loaded").write_text(json.dumps(load))
            print(f"  loaded {backend}: {load}", flush=True)
        else:
            load = json.loads((data_dir / "loaded").read_text()) | {"reused": True}
        figures = time_queries(url, data_dir, args, backend)
        out["backends"][backend] = {"load": load, **figures}
    return out


# ---------------------------------------------------------------- report


def markdown(report: dict[str, Any]) -> str:
    lines = ["# Records benchmark", "",
             f"Run {report.get('when')} on Python {report.get('python')}, SQLite {report.get('sqlite')}, "
             f"{report.get('postgresql', 'PostgreSQL: not run')}; {os.cpu_count()} vCPU. "
             "Script: `benchmarks/bench_records.py` (method in its docstring).", ""]
    api = report.get("api")
    if api:
        lines += ["## 1. Record creation, POST /api/v1/records", "", api["method"] + ".", "",
                  "| backend | side | req/s median [min–max] | p50 ms | p99 ms | app CPU ms/req | machine CPU ms/req |",
                  "|---|---|---|---|---|---|---|"]
        for backend, s in api["backends"].items():
            for side in ("ours", "bare"):
                x = s[side]
                lines.append(f"| {backend} | {side} | {x['req_s']:.0f} [{x['req_s_min']:.0f}–{x['req_s_max']:.0f}] | "
                             f"{x['p50_ms']:.1f} | {x['p99_ms']:.1f} | {x['app_cpu_ms_per_req']:.2f} | "
                             f"{x['machine_cpu_ms_per_req']:.2f} |")
        lines += ["", "| backend | ours/bare (medians) | ours/bare paired by round: median [min–max] | goal |",
                  "|---|---|---|---|"]
        for backend, s in api["backends"].items():
            lo, hi = s["ratio_paired_min_max"]
            lines.append(f"| {backend} | **{s['ratio_req_s_ours_over_bare']:.2f}** | {s['ratio_paired_median']:.2f} "
                         f"[{lo:.2f}–{hi:.2f}] | ≥ 0.70 |")
        lines.append("")
        prof = api.get("profile")
        if prof:
            lines += [f"Where ours spends its time (in-process, {prof['backend']}, Flask test client, "
                      f"{prof['in_process_ms_per_req']} ms/request unprofiled; cProfile cumulative share, "
                      "nested rows overlap):", "", "| step | share | calls/request |", "|---|---|---|"]
            for label, step in prof["steps"].items():
                lines.append(f"| {label.replace('  ', '&nbsp;&nbsp;')} | {step['share'] * 100:.0f} % | "
                             f"{step['calls_per_req']:g} |")
            lines.append("")
    queries = report.get("queries")
    if queries:
        lines += ["## 2. Work list and search, one ward with 1,000,000 records", "",
                  f"`records.queries.work_list(..., limit=50, now={queries['data_now']})` in-process, "
                  "warm cache; p50/p95 ms over repeated calls after one warm-up.", ""]
        backends = list(queries["backends"])
        lines.append("| case | " + " | ".join(f"{b} p50 | {b} p95" for b in backends) + " |")
        lines.append("|---|" + "---|---|" * len(backends))
        names = list(next(iter(queries["backends"].values()))["cases"])
        for name in names:
            cells = []
            for b in backends:
                c = queries["backends"][b]["cases"].get(name)
                cells += [f"{c['p50_ms']:.2f}", f"{c['p95_ms']:.2f}"] if c else ["–", "–"]
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
        lines.append("")
        for b in backends:
            q = queries["backends"][b]
            lines.append(f"{b}: {q['counts']}; load {q['load']}")
        lines += ["", "Plans (SQLite: EXPLAIN QUERY PLAN; PostgreSQL: EXPLAIN ANALYZE) are in `records.json`."]
    changes = report.get("query_changes")
    if changes:
        lines += ["", "## Query changes measured (p50 / p95 ms, 1M records, same loaded databases)", "",
                  "| change | case | backend | before | after |", "|---|---|---|---|---|"]
        for row in changes["rows"]:
            lines.append(f"| {row['change']} | {row['case']} | {row['backend']} | "
                         f"{row['before'][0]:.1f} / {row['before'][1]:.1f} | {row['after'][0]:.1f} / {row['after'][1]:.1f} |")
        lines += ["", *changes.get("notes", [])]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=("all", "api", "queries"), default="all")
    parser.add_argument("--backends", default="sqlite,postgresql",
                        help="comma-separated: sqlite, postgresql")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432"))
    parser.add_argument("--work-dir", type=Path, default=Path(tempfile.gettempdir()) / "motcua-bench")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--duration", type=float, default=15)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--other", type=int, default=20_000, help="records in each other ward")
    parser.add_argument("--runs", type=int, default=30, help="timed calls per query case (at most)")
    parser.add_argument("--max-seconds", type=float, default=5, help="stop a case's timing after this")
    parser.add_argument("--reuse", action="store_true", help="reuse a million-record database already loaded")
    parser.add_argument("--out", type=Path, default=RESULTS_DIR)
    args = parser.parse_args()
    args.backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    args.work_dir.mkdir(parents=True, exist_ok=True)
    if shutil.which("wrk") is None and args.part in ("all", "api"):
        raise SystemExit("wrk is missing: apt-get install wrk")

    json_path = args.out / "records.json"
    report = json.loads(json_path.read_text()) if json_path.exists() else {}
    report.update(when=datetime.now().isoformat(timespec="seconds"), python=platform.python_version(),
                  sqlite=sqlite3.sqlite_version)
    if "postgresql" in args.backends:
        import psycopg2

        con = psycopg2.connect(args.pg_url.rstrip("/") + "/postgres")
        with con.cursor() as cur:
            cur.execute("SHOW server_version")
            report["postgresql"] = f"PostgreSQL {cur.fetchone()[0]}"
        con.close()
    started = time.perf_counter()
    if args.part in ("all", "api"):
        print("1. record creation through the API", flush=True)
        report["api"] = bench_api(args)
    if args.part in ("all", "queries"):
        print("2. work list and search at 1M records", flush=True)
        report["queries"] = bench_queries(args)
    report["elapsed_s"] = round(time.perf_counter() - started)
    args.out.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str) + "\n")
    (args.out / "records.md").write_text(markdown(report))
    print()
    print(markdown(report))


if __name__ == "__main__":
    main()
