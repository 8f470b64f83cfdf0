"""The figures a province reads side by side for its wards (DOMAIN.md, "Figures").

Per ward for a period: received (and how many online), still open and how many of those
are overdue, resolved early / on time / late, and the on-time rate defined as
(early + on time) / resolved. Three grouped queries, whatever the number of wards.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from peewee import Case, fn

from motcua.records.lifecycle import FINAL_STATUSES, RESOLVED_STATUSES
from motcua.records.models import Record


@dataclass
class WardFigures:
    """One ward's figures for a period; see the module docstring for the definitions."""

    received: int = 0
    online: int = 0
    open: int = 0
    overdue: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)

    @property
    def resolved(self) -> int:
        """How many records were resolved in the period."""
        return sum(self.outcomes.values())

    @property
    def on_time_rate(self) -> Decimal | None:
        """(early + on time) / resolved, in percent with one decimal; None when nothing resolved."""
        if not self.resolved:
            return None
        good = self.outcomes.get("early", 0) + self.outcomes.get("on_time", 0)
        return (Decimal(100 * good) / self.resolved).quantize(Decimal("0.1"), ROUND_HALF_UP)


def ward_figures(
    tenant_ids: Iterable[int], start: datetime, end: datetime, now: datetime
) -> dict[int, WardFigures]:
    """Return the figures of each ward in ``tenant_ids`` for ``[start, end)`` as of ``now``."""
    ids = list(tenant_ids)
    figures = {tenant_id: WardFigures() for tenant_id in ids}
    if not ids:
        return figures
    received = (
        Record.select(
            Record.tenant,
            fn.COUNT(Record.id),
            fn.SUM(Case(None, [(Record.channel == "online", 1)], 0)),
        )
        .where(Record.tenant.in_(ids), Record.received_at >= start, Record.received_at < end)
        .group_by(Record.tenant)
        .tuples()
    )
    for tenant_id, count, online in received:
        figures[tenant_id].received, figures[tenant_id].online = count, int(online or 0)
    still_open = (
        Record.select(
            Record.tenant, fn.COUNT(Record.id), fn.SUM(Case(None, [(Record.due_at < now, 1)], 0))
        )
        .where(Record.tenant.in_(ids), Record.status.not_in(FINAL_STATUSES | RESOLVED_STATUSES))
        .group_by(Record.tenant)
        .tuples()
    )
    for tenant_id, count, overdue in still_open:
        figures[tenant_id].open, figures[tenant_id].overdue = count, int(overdue or 0)
    resolved = (
        Record.select(Record.tenant, Record.outcome, fn.COUNT(Record.id))
        .where(
            Record.tenant.in_(ids),
            Record.resolved_at >= start,
            Record.resolved_at < end,
            Record.outcome != "",
        )
        .group_by(Record.tenant, Record.outcome)
        .tuples()
    )
    for tenant_id, outcome, count in resolved:
        figures[tenant_id].outcomes[outcome] = count
    return figures
