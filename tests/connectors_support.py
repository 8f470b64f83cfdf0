"""Helpers for the connector tests: the simulator process, a moving clock, the ward's portal."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from motcua.connectors.backoff import RetryPolicy
from motcua.connectors.delivery import Worker
from motcua.connectors.settings import configure
from motcua.plugins import plugin_host

# The simulator hangs this long on a "timeout" failure; the connector gives up sooner.
HANG_MS = 400
TIMEOUT = "0.25"


@dataclass
class MovingClock:
    """A clock that only moves when the worker sleeps (the test never waits for backoffs)."""

    at: datetime
    slept: float = 0.0

    def now(self) -> datetime:
        return self.at

    def sleep(self, seconds: float) -> None:
        self.slept += seconds
        self.at += timedelta(seconds=seconds)


def connect_ward(app, tenant, sim_url: str, **extra: str) -> None:  # noqa: ANN001
    """Enable the dvcqg connector in ``tenant`` against the simulator at ``sim_url``."""
    configure(
        plugin_host(app),
        tenant,
        "dvcqg",
        {
            "base_url": sim_url,
            "agency_code": f"000.00.{tenant.code[:2]}.H01",
            "timeout": TIMEOUT,
            **extra,
        },
        actor="test",
    )


def worker(app, start: datetime, **options: Any) -> tuple[Worker, MovingClock]:  # noqa: ANN001
    """Return an in-process worker on a moving clock, quick backoffs by default."""
    clock = MovingClock(start)
    policy = options.pop("policy", RetryPolicy(max_attempts=12, base_delay=1.0, max_delay=30.0))
    return (
        Worker(
            plugin_host(app), policy=policy, now=clock.now, sleep=clock.sleep, lease=5.0, **options
        ),
        clock,
    )


@dataclass
class Report:
    """What the simulator applied, checked against the messages the outbox holds."""

    applied: int
    deliveries: int
    duplicates_received: int
    duplicates_applied: int
    out_of_order: int
    lost: int
    per_record: dict[str, list[int]] = field(default_factory=dict)


def check_received(received: dict[str, Any], expected: dict[str, int]) -> Report:
    """Compare the simulator's report with ``expected`` (record code -> number of messages)."""
    seen_keys: set[str] = set()
    duplicates = 0
    per_record: dict[str, list[int]] = defaultdict(list)
    for entry in received["applied"]:
        if entry["idempotency_key"] in seen_keys:
            duplicates += 1
        seen_keys.add(entry["idempotency_key"])
        per_record[entry["record_code"]].append(entry["seq"])
    out_of_order = sum(1 for seqs in per_record.values() if seqs != sorted(seqs))
    lost = sum(
        max(0, count - len(set(per_record.get(code, [])))) for code, count in expected.items()
    )
    return Report(
        applied=len(received["applied"]),
        deliveries=received["deliveries"],
        duplicates_received=received["duplicates"],
        duplicates_applied=duplicates,
        out_of_order=out_of_order,
        lost=lost,
        per_record=dict(per_record),
    )
