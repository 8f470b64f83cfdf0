"""Helpers of the queue plugin's tests: a ward with services, and tickets from other processes."""

from __future__ import annotations

from datetime import datetime


def seeded(tenant):  # noqa: ANN001, ANN201
    """Seed ``tenant``'s services and counters from its core counters; return its TenantInfo."""
    from motcua.plugins import tenant_info
    from motcua_queue.setup import seed_from_counters

    info = tenant_info(tenant)
    seed_from_counters(info)
    return info


def take_in_process(url: str, tenant_id: int, service_key: str, count: int, at: str) -> list[str]:
    """Run in a child process: connect to ``url`` and take ``count`` tickets; return their numbers."""
    from motcua import clock
    from motcua.db.connection import connect_database
    from motcua_queue.tickets import take_ticket

    db = connect_database(url)
    db.connect(reuse_if_open=True)
    numbers = []
    with clock.frozen(datetime.fromisoformat(at)):
        for _ in range(count):
            numbers.append(take_ticket(tenant_id, service_key).ticket.number)
    db.close()
    return numbers
