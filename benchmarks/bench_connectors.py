"""Benchmark: 200 records through the API, synced to the portal simulator, at fail rate 0 and 0.3.

Run (from the repository root)::

    .venv/bin/python benchmarks/bench_connectors.py                # 200 records, 3 statuses each
    .venv/bin/python benchmarks/bench_connectors.py --records 50 --fail-rate 0.5

For each fail rate (the baseline 0 first, in the same run): a fresh SQLite data folder,
Phường Nếnh synced from tenants/, xac-nhan-tinh-trang-hon-nhan published, the dvcqg
connector configured against a fresh ``motcua portal-sim`` process. The records are
created and moved (assign, request_supplement, supplement_received) through the JSON API
(Flask test client, in process), which writes 4 outbox messages per record. Then
``motcua worker --drain`` runs as its own process and is timed; the simulator's
``GET /_sim/received`` is compared with the outbox: received (deliveries that reached the
portal), applied, duplicates (received twice, applied once), out of order, lost. Out of
order, lost and duplicates applied must be 0.

Writes ``benchmarks/results/connectors.json`` and ``connectors.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS_DIR = HERE / "results"
os.environ.setdefault("MOTCUA_PASSWORD_METHOD", "scrypt:1024:8:1")

WARD = "07795"  # Phường Nếnh
PROCEDURE = "xac-nhan-tinh-trang-hon-nhan"
MOVES = ("assign", "request_supplement", "supplement_received")
WORKER_OPTIONS = (
    "--lease",
    "10",
    "--base-delay",
    "0.2",
    "--max-delay",
    "2",
    "--max-attempts",
    "20",
    "--threads",
    "8",
)


def prepare(data_dir: Path, sim_url: str) -> tuple[Any, str]:
    """Migrate a fresh database, sync the ward, publish the form, connect it; return (app, token)."""
    from motcua.accounts.service import create_token, create_user
    from motcua.app import create_app
    from motcua.connectors.settings import configure
    from motcua.db import database
    from motcua.db.migrate import upgrade
    from motcua.notebooks import read_ipynb
    from motcua.notebooks.service import import_notebook, publish
    from motcua.plugins import plugin_host
    from motcua.tenancy.models import Tenant
    from motcua.tenancy.sync import ensure_provinces, sync_tenants
    from motcua.web.ward import ward_for

    url = f"sqlite:///{data_dir / 'motcua.sqlite3'}"
    app = create_app(
        {"database_url": url, "data_dir": data_dir, "secure_cookies": False, "secret_key": "bench"}
    )
    with app.app_context():
        database.connect(reuse_if_open=True)
        upgrade(database.obj)
        with database.atomic():
            ensure_provinces()
        with tempfile.TemporaryDirectory() as folder:
            shutil.copy(REPO / "tenants" / "phuong-nenh.toml", folder)
            sync_tenants(Path(folder))
        tenant = Tenant.get(Tenant.code == WARD)
        import_notebook(tenant, read_ipynb(REPO / "forms" / f"{PROCEDURE}.ipynb"), actor="bench")
        publish(tenant, PROCEDURE, toolkit=ward_for(app, tenant).toolkit, actor="bench")
        user = create_user("quantri.bench", "mat-khau-bench-2026", role="ward_admin", tenant=tenant)
        _, token = create_token(tenant, user, name="bench")
        configure(
            plugin_host(app),
            tenant,
            "dvcqg",
            {"base_url": sim_url, "agency_code": "000.00.24.H01", "timeout": "0.5"},
            actor="bench",
        )
    return app, token


def create_records(app: Any, token: str, count: int) -> dict[str, int]:
    """Create ``count`` records and move each through MOVES via the API; return code -> messages."""
    from motcua.notebooks import read_ipynb

    values = dict(
        next(
            s.values
            for s in read_ipynb(REPO / "forms" / f"{PROCEDURE}.ipynb").samples
            if s.expect_valid
        )
    )
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    expected: dict[str, int] = {}
    for number in range(count):
        body = {
            "procedure": PROCEDURE,
            "values": values,
            "channel": "direct",
            "applicant": {
                "name": f"Nguyễn Văn Thử {number}",
                "id_number": "024096003333",
                "phone": "0977111222",
            },
        }
        created = client.post("/api/v1/records", json=body, headers=headers)
        assert created.status_code == 201, created.get_data(as_text=True)
        code, lock = created.json["code"], created.json["lock_version"]
        for action in MOVES:
            inputs = (
                {"items": [{"item": "Bản sao CCCD", "reason": "mờ"}]}
                if action == "request_supplement"
                else {}
            )
            moved = client.post(
                f"/api/v1/records/{code}/transitions",
                headers=headers,
                json={"action": action, "lock_version": lock, "inputs": inputs},
            )
            assert moved.status_code == 200, moved.get_data(as_text=True)
            lock = moved.json["lock_version"]
        expected[code] = 1 + len(MOVES)
    return expected


def compare(received: dict[str, Any], expected: dict[str, int]) -> dict[str, Any]:
    """Return the figures of the run: received, applied, duplicates, out of order, lost."""
    keys: set[str] = set()
    applied_twice = 0
    seqs: dict[str, list[int]] = defaultdict(list)
    for entry in received["applied"]:
        applied_twice += entry["idempotency_key"] in keys
        keys.add(entry["idempotency_key"])
        seqs[entry["record_code"]].append(entry["seq"])
    return {
        "messages": sum(expected.values()),
        "received": received["deliveries"],
        "applied": len(received["applied"]),
        "duplicates": received["duplicates"],
        "duplicates_applied": applied_twice,
        "out_of_order": sum(1 for s in seqs.values() if s != sorted(s)),
        "lost": sum(max(0, n - len(set(seqs.get(code, [])))) for code, n in expected.items()),
        "failures_injected": received.get("failures", {}),
    }


def run(records: int, fail_rate: float, seed: int) -> dict[str, Any]:
    """One measured run at ``fail_rate``; return its figures and drain time."""
    from motcua.db import database
    from motcua.portal_sim.process import running_sim

    with (
        tempfile.TemporaryDirectory(prefix="motcua-bench-conn-") as folder,
        running_sim("--fail-rate", str(fail_rate), "--hang-ms", "1000", "--seed", str(seed)) as sim,
    ):
        data_dir = Path(folder)
        app, token = prepare(data_dir, sim.url)
        started = time.perf_counter()
        expected = create_records(app, token, records)
        create_seconds = time.perf_counter() - started
        if not database.is_closed():
            database.close()
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{data_dir / 'motcua.sqlite3'}",
            "MOTCUA_DATA_DIR": str(data_dir),
        }
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "motcua.cli", "worker", "--drain", *WORKER_OPTIONS],  # noqa: S603
            env=env,
            capture_output=True,
            text=True,
            timeout=1800,
        )
        drain_seconds = time.perf_counter() - started
        figures = compare(sim.received(), expected)
    return {
        "fail_rate": fail_rate,
        "records": records,
        "worker_exit": done.returncode,
        "create_seconds": round(create_seconds, 2),
        "drain_seconds": round(drain_seconds, 2),
        **figures,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200)
    parser.add_argument("--fail-rate", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    baseline = run(args.records, 0.0, args.seed)
    failing = run(args.records, args.fail_rate, args.seed)
    ratio = (
        failing["drain_seconds"] / baseline["drain_seconds"] if baseline["drain_seconds"] else None
    )
    result = {
        "run_at": datetime.now().isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "script": "benchmarks/bench_connectors.py",
        "worker_options": " ".join(WORKER_OPTIONS),
        "runs": [baseline, failing],
        "drain_ratio_failing_over_baseline": round(ratio, 2) if ratio else None,
    }
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / "connectors.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    )
    rows = [
        f"| {r['fail_rate']} | {r['records']} | {r['messages']} | {r['received']} | {r['applied']} | "
        f"{r['duplicates']} | {r['duplicates_applied']} | {r['out_of_order']} | {r['lost']} | "
        f"{r['drain_seconds']} | {r['worker_exit']} |"
        for r in result["runs"]
    ]
    (RESULTS_DIR / "connectors.md").write_text(
        "# Connectors benchmark\n\n"
        f"Run {result['run_at']} on Python {result['python']}, {result['cpus']} CPUs, SQLite. "
        "Script: `benchmarks/bench_connectors.py` (method in its docstring). "
        f"Worker: `motcua worker --drain {result['worker_options']}`; simulator hang 1 s, connector timeout 0.5 s.\n\n"
        "| fail rate | records | messages | received | applied | duplicates (received twice) | "
        "applied twice | out of order | lost | drain s | worker exit |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|\n" + "\n".join(rows) + "\n\n"
        f"Drain time at fail rate {args.fail_rate} over the baseline at 0: "
        f"**{result['drain_ratio_failing_over_baseline']}**. Out of order, lost and applied twice must be 0.\n"
    )
    for r in result["runs"]:
        print(
            f"fail rate {r['fail_rate']}: received {r['received']}, applied {r['applied']}, "
            f"duplicates {r['duplicates']}, out of order {r['out_of_order']}, lost {r['lost']}, "
            f"drain {r['drain_seconds']} s (worker exit {r['worker_exit']})"
        )
    print(f"drain ratio (failing / baseline): {result['drain_ratio_failing_over_baseline']}")


if __name__ == "__main__":
    main()
