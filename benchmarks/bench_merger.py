"""Benchmark: provisioning every ward and importing an old system's records, each against a
bare baseline in the same run on the same database.

Run: ``.venv/bin/python benchmarks/bench_merger.py [--rows 100000] [--database-url URL]``.
The database is EMPTIED first (default: a temporary SQLite file; for PostgreSQL pass e.g.
``postgresql://motcua:motcua-test@127.0.0.1:5432/motcua_bench``, created if missing).
Writes ``benchmarks/results/merger.json`` and ``merger.md``.

- provision: ``provision_wards`` of all 3,321 wards (catalogue lookups, merged-from lists,
  one reception point each, audit) vs bare = ``insert_many`` of the same tenant and
  reception point rows already built, in one transaction.
- import: ``import_records`` of a CSV of ``--rows`` records (parse, check, procedure and
  address lookups, code sequence, first event, audit, batches of 1000) vs bare = read the
  same CSV with ``csv.reader`` and insert minimal record rows in batches of 1000 with the
  same bulk insert (``insert_rows``).
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import subprocess
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

RESULTS_DIR = Path(__file__).resolve().parent / "results"
FORMS = Path(__file__).resolve().parents[1] / "forms"
HEADER = ["Mã hồ sơ", "Thủ tục", "Kênh", "Ngày tiếp nhận", "Ngày hẹn trả", "Trạng thái",
          "Người nộp", "Số CCCD", "Địa chỉ", "Mã đơn vị cũ"]
OLD_UNITS = ["07789", "07795", "07801", "07807"]
ADDRESSES = ["Xã Vân Trung, Huyện Việt Yên, Tỉnh Bắc Giang", "Phường Quang Châu, Thị xã Việt Yên, Tỉnh Bắc Giang",
             "Phường Tăng Tiến, Thị xã Việt Yên, Tỉnh Bắc Giang", "P. Phương Đông, TP. Uông Bí, Quảng Ninh"]
STATUSES = ["Đã tiếp nhận", "Đang xử lý", "Chờ bổ sung"]


def ensure_database(url: str) -> None:
    if not url.startswith("postgres"):
        return
    name = urlparse(url).path.lstrip("/")
    exists = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{name}'"],
        capture_output=True, text=True, check=False,
    ).stdout.strip()
    if exists != "1":
        owner = urlparse(url).username or "postgres"
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-c", f'CREATE DATABASE "{name}" OWNER "{owner}"'],
                       check=True, capture_output=True)


def reset(db: Any) -> None:
    from motcua.db.connection import is_sqlite
    from motcua.db.migrate import upgrade

    if is_sqlite(db):
        tables = [r[0] for r in db.execute_sql("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        db.execute_sql("PRAGMA foreign_keys = OFF")
        for table in tables:
            db.execute_sql(f'DROP TABLE IF EXISTS "{table}"')  # FTS shadow tables go with theirs
        db.execute_sql("PRAGMA foreign_keys = ON")
    else:
        db.execute_sql("DROP SCHEMA public CASCADE")
        db.execute_sql("CREATE SCHEMA public")
    upgrade(db)


def write_csv(path: Path, rows: int) -> None:
    start = datetime(2025, 3, 3, 8, 0)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        for i in range(rows):
            received = start + timedelta(days=i % 110, minutes=(i * 7) % 480)
            out.writerow([
                f"OLD-{i:07d}", "1.004873", "trực tiếp" if i % 3 else "trực tuyến",
                received.strftime("%d/%m/%Y %H:%M"),
                (received + timedelta(days=5)).strftime("%d/%m/%Y") if i % 2 else "",
                STATUSES[i % 3], f"Nguyễn Văn {i}", f"0240{i:08d}", ADDRESSES[i % 4], OLD_UNITS[i % 4],
            ])


def timed(action: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def bench_provision(db: Any) -> dict[str, Any]:
    from motcua import units
    from motcua.tenancy.models import ReceptionPoint, Tenant
    from motcua.tenancy.provision import _tenant_row, provision_wards

    wards = units.wards()
    ours, report = timed(lambda: provision_wards(wards, actor="bench"))
    assert len(report.created) == 3321, len(report.created)
    rows = [_tenant_row(w, set()) for w in wards]
    db.execute_sql("DELETE FROM reception_point")
    db.execute_sql("DELETE FROM audit_log")
    db.execute_sql("DELETE FROM tenant")

    def bare() -> None:
        with db.atomic():
            for start in range(0, len(rows), 500):
                Tenant.insert_many(rows[start : start + 500]).execute()
            ids = dict(Tenant.select(Tenant.code, Tenant.id).tuples())
            points = [{"tenant": ids[r["code"]], "key": "mot-cua", "name": r["name"]} for r in rows]
            for start in range(0, len(points), 500):
                ReceptionPoint.insert_many(points[start : start + 500]).execute()

    baseline, _ = timed(bare)
    return {"wards": len(wards), "ours_s": round(ours, 3), "bare_s": round(baseline, 3),
            "ratio": round(ours / baseline, 2)}


def bench_import(app: Any, db: Any, rows: int, folder: Path) -> dict[str, Any]:
    from motcua import units
    from motcua.db.connection import insert_rows
    from motcua.notebooks import read_ipynb
    from motcua.notebooks.service import import_notebook, publish
    from motcua.records.importing import import_records
    from motcua.records.models import Record, RecordEvent
    from motcua.tenancy.models import ReceptionPoint, Tenant
    from motcua.web.ward import ward_for

    tenant = Tenant.get(Tenant.code == "07795")
    ward = ward_for(app, tenant)
    import_notebook(tenant, read_ipynb(FORMS / "xac-nhan-tinh-trang-hon-nhan.ipynb"), actor="bench")
    publish(tenant, "xac-nhan-tinh-trang-hon-nhan", toolkit=ward.toolkit, actor="bench")
    assert ReceptionPoint.select().where(ReceptionPoint.tenant == tenant).count() == 1
    path = folder / "old.csv"
    write_csv(path, rows)
    ours, report = timed(lambda: import_records(ward_for(app, tenant), path, actor="bench"))
    assert not report.refused and len(report.imported) == rows, (report.refused[:3], len(report.imported))
    assert Record.select().count() == rows == RecordEvent.select().count()
    again, second = timed(lambda: import_records(ward_for(app, tenant), path, actor="bench"))
    assert not second.imported and len(second.unchanged) == rows
    other = Tenant.get(Tenant.code == "06832")
    when = datetime(2025, 3, 3, 8, 0)

    def bare() -> None:
        with path.open(encoding="utf-8") as handle:
            reader = csv.reader(handle)
            next(reader)
            batch: list[dict[str, Any]] = []
            for line in reader:
                batch.append({"tenant": other.id, "code": line[0], "procedure_key": "x", "status": "received",
                              "channel": "direct", "applicant_name": line[6], "applicant_search": line[6],
                              "received_at": when})
                if len(batch) == 1000:
                    with db.atomic():
                        insert_rows(Record, batch)
                    batch = []
            if batch:
                with db.atomic():
                    insert_rows(Record, batch)

    baseline, _ = timed(bare)
    _ = units
    return {"rows": rows, "ours_s": round(ours, 2), "bare_s": round(baseline, 2),
            "ratio": round(ours / baseline, 2), "reimport_unchanged_s": round(again, 2),
            "rows_per_s": round(rows / ours)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    from motcua.app import create_app
    from motcua.db import database

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        url = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
        ensure_database(url)
        app = create_app({"database_url": url, "data_dir": folder / "data", "secret_key": "bench",
                          "testing": True})
        database.connect(reuse_if_open=True)
        db = database.obj
        reset(db)
        with app.app_context():
            provision = bench_provision(db)
            from motcua import units
            from motcua.tenancy.provision import provision_wards

            provision_wards(units.wards(), actor="bench")
            imported = bench_import(app, db, args.rows, folder)
        database.close()
    report = {
        "when": datetime.now().isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "database": urlparse(url).scheme,
        "provision_all_wards": provision,
        "import_records": imported,
    }
    RESULTS_DIR.mkdir(exist_ok=True)
    name = "merger" if report["database"] == "sqlite" else f"merger-{report['database']}"
    (RESULTS_DIR / f"{name}.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS_DIR / f"{name}.md").write_text(markdown(report))
    print(markdown(report))


def markdown(report: dict[str, Any]) -> str:
    p, i = report["provision_all_wards"], report["import_records"]
    return "\n".join([
        f"# Merger benchmark ({report['when']}, {report['database']}, Python {report['python']})",
        "",
        "| case | ours s | bare s | ours / bare |",
        "|---|---:|---:|---:|",
        f"| provision all {p['wards']} wards | {p['ours_s']} | {p['bare_s']} | {p['ratio']} |",
        f"| import {i['rows']} records | {i['ours_s']} | {i['bare_s']} | {i['ratio']} |",
        "",
        f"Import: {i['rows_per_s']} rows/s; importing the same file again (all unchanged): "
        f"{i['reimport_unchanged_s']} s.",
        "",
        "bare provision = insert_many of the same prepared tenant and reception point rows;",
        "bare import = csv.reader + insert_rows of minimal record rows (no checks, codes, events, audit).",
        "",
    ])


if __name__ == "__main__":
    main()
