"""Benchmark: what gap-free ticket numbers cost, and how fast the display board's poll is.

Run from the repository root::

    .venv/bin/python benchmarks/bench_queue.py                       # SQLite only
    .venv/bin/python benchmarks/bench_queue.py --pg postgresql://motcua:motcua-test@127.0.0.1:5432/motcua_bench_queue

(the PostgreSQL database is emptied: give a scratch one). Writes
``benchmarks/results/queue.json`` and ``queue.md``.

1. **tickets**: tickets per second taken by 1 and by 8 threads (kiosks) for one service:
   ours (``take_ticket``: the counter-row upsert and the ticket in one write transaction)
   against a baseline in the same run, interleaved round by round: the same code with the
   number from a process-local counter instead of the upsert (what a kiosk-local counter
   gives: no guarantee across processes). The ratio ours/baseline is the price of the
   guarantee alone. Every run checks its numbers are 1…N.
2. **board**: latency of the board's poll (``/x/queue/bang/<point>/goi?after=<id>``) in
   process, against ``/healthz`` (the app's floor) in the same rounds: p50 and p95.

The box is 2 vCPU shared and noisy: read the ratios, not the absolute numbers.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

os.environ.setdefault("MOTCUA_PASSWORD_METHOD", "scrypt:1024:8:1")
HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results"
MOMENT = datetime(2026, 12, 2, 9, 0)


def prepare(url: str, data_dir: Path):  # noqa: ANN201
    """Return (app, tenant info) on a fresh schema with Phường Nếnh and its queue services."""
    from motcua.app import create_app
    from motcua.db import database
    from motcua.db.connection import is_sqlite
    from motcua.db.migrate import upgrade, upgrade_plugins
    from motcua.plugins import plugin_host, tenant_info
    from motcua.tenancy.models import Tenant
    from motcua.tenancy.sync import ensure_provinces, sync_tenants
    from motcua_queue.setup import seed_from_counters

    app = create_app({"database_url": url, "data_dir": data_dir, "secret_key": "bench",
                      "testing": True, "secure_cookies": False, "tenants_dir": REPO / "tenants"})
    database.connect(reuse_if_open=True)
    if not is_sqlite(database.obj):
        database.execute_sql("DROP SCHEMA public CASCADE")
        database.execute_sql("CREATE SCHEMA public")
    upgrade(database.obj)
    upgrade_plugins(database.obj, plugin_host(app).migrations())
    with database.atomic():
        ensure_provinces()
    sync_tenants(REPO / "tenants")
    info = tenant_info(Tenant.get(Tenant.code == "07795"))
    seed_from_counters(info)
    return app, info


def _reset_day(tenant_id: int) -> None:
    from motcua_queue.models import Call, Sequence, Ticket

    Call.delete().where(Call.tenant_id == tenant_id).execute()
    Ticket.delete().where(Ticket.tenant_id == tenant_id).execute()
    Sequence.delete().where(Sequence.tenant_id == tenant_id).execute()


def run_tickets(info, count: int, threads: int, ours: bool) -> float:  # noqa: ANN001
    """Take ``count`` tickets from ``threads`` threads; return tickets per second."""
    from motcua import clock
    from motcua.db import database
    from motcua_queue import numbering, tickets
    from motcua_queue.tickets import take_ticket

    _reset_day(info.id)
    counter, lock = itertools.count(1), threading.Lock()

    def local_number(_tenant_id: int, _service_id: int, _day: object) -> int:
        with lock:  # unique in this process only: what a kiosk-local counter would give
            return next(counter)

    tickets.next_number = numbering.next_number if ours else local_number

    def one(_: int) -> str:
        with clock.frozen(MOMENT):
            return take_ticket(info.id, "tu-phap").ticket.number

    def worker(chunk: range) -> list[str]:
        try:
            return [one(i) for i in chunk]
        finally:
            database.close()

    per = count // threads
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        numbers = [n for part in pool.map(worker, [range(per)] * threads) for n in part]
    elapsed = time.perf_counter() - started
    seqs = sorted(int(n.split("-")[1]) for n in numbers)
    assert seqs == list(range(1, per * threads + 1)), "numbers are not 1..N"
    return per * threads / elapsed


def run_board(app, info, requests: int) -> dict[str, list[float]]:  # noqa: ANN001
    """Time the board's poll and /healthz, interleaved; return milliseconds per request."""
    from motcua import clock
    from motcua_queue.setup import desks
    from motcua_queue.tickets import call_next, take_ticket

    _reset_day(info.id)
    desk = desks(info.id)[0]
    with clock.frozen(MOMENT):
        for _ in range(20):
            take_ticket(info.id, desk.services[0])
        last = None
        for _ in range(10):
            last = call_next(info.id, desk)
    from motcua_queue.models import Call

    after = Call.select().order_by(Call.id.desc()).first().id - 1
    assert last is not None
    client = app.test_client()
    poll = f"/{info.slug}/x/queue/bang/{desk.point}/goi?after={after}"
    times: dict[str, list[float]] = {"board": [], "healthz": []}
    for _ in range(requests):
        for name, path in (("board", poll), ("healthz", "/healthz")):
            started = time.perf_counter()
            response = client.get(path)
            times[name].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
    return times


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(share * len(ordered)), len(ordered) - 1)]


def bench(url: str, label: str, rounds: int, count: int, requests: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="motcua-bench-queue-") as folder:
        app, info = prepare(url, Path(folder))
        rates: dict[str, dict[str, list[float]]] = {}
        from motcua_queue import numbering, tickets

        for threads in (1, 8):
            ours, base = [], []
            for index in range(rounds):
                order = (True, False) if index % 2 == 0 else (False, True)
                for side in order:
                    rate = run_tickets(info, count, threads, side)
                    (ours if side else base).append(rate)
            rates[str(threads)] = {"ours": ours, "baseline": base}
        tickets.next_number = numbering.next_number
        board = run_board(app, info, requests)
        from motcua.db import database

        database.close()
    return {
        "backend": label,
        "tickets": {
            threads: {
                "ours_per_s": round(statistics.median(v["ours"]), 1),
                "baseline_per_s": round(statistics.median(v["baseline"]), 1),
                "ratio_ours_to_baseline": round(statistics.median(v["ours"]) / statistics.median(v["baseline"]), 3),
            }
            for threads, v in rates.items()
        },
        "board": {
            name: {"p50_ms": round(percentile(v, 0.5), 2), "p95_ms": round(percentile(v, 0.95), 2)}
            for name, v in board.items()
        } | {"ratio_p50_board_to_healthz": round(percentile(board["board"], 0.5) / percentile(board["healthz"], 0.5), 2)},
    }


def write(results: list[dict], args: argparse.Namespace) -> None:
    RESULTS.mkdir(exist_ok=True)
    meta = {"python": sys.version.split()[0], "machine": platform.machine(), "cpus": os.cpu_count(),
            "rounds": args.rounds, "tickets_per_run": args.count, "board_requests": args.requests}
    (RESULTS / "queue.json").write_text(json.dumps({"meta": meta, "results": results}, indent=2) + "\n",
                                        encoding="utf-8")
    lines = ["# Queue benchmark", "", f"`benchmarks/bench_queue.py`; {meta['cpus']} CPUs, Python {meta['python']}; "
             f"{args.rounds} interleaved rounds of {args.count} tickets; {args.requests} board polls.", "",
             "## Tickets per second (median), ours vs the baseline without gap-free numbering", "",
             "| backend | kiosks (threads) | ours | baseline | ours / baseline |", "| --- | --- | --- | --- | --- |"]
    for result in results:
        for threads, row in result["tickets"].items():
            lines.append(f"| {result['backend']} | {threads} | {row['ours_per_s']} | {row['baseline_per_s']} | "
                         f"{row['ratio_ours_to_baseline']} |")
    lines += ["", "## Display board poll, in process (ms)", "",
              "| backend | board p50 | board p95 | /healthz p50 | board / healthz (p50) |",
              "| --- | --- | --- | --- | --- |"]
    for result in results:
        board = result["board"]
        lines.append(f"| {result['backend']} | {board['board']['p50_ms']} | {board['board']['p95_ms']} | "
                     f"{board['healthz']['p50_ms']} | {board['ratio_p50_board_to_healthz']} |")
    (RESULTS / "queue.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", help="a scratch PostgreSQL database URL (emptied)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO / "platform"))
    results = []
    with tempfile.TemporaryDirectory(prefix="motcua-bench-queue-db-") as folder:
        results.append(bench(f"sqlite:///{folder}/bench.sqlite3", "SQLite", args.rounds, args.count, args.requests))
    if args.pg:
        results.append(bench(args.pg, "PostgreSQL", args.rounds, args.count, args.requests))
    write(results, args)
    print((RESULTS / "queue.md").read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
