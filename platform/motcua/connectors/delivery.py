"""The outbox worker: claim due messages with a lease, send them, settle each one.

A message is *due* when it is pending, its next try has come, no live lease holds it, and
every earlier message about the same record (same ward and connector) is delivered: the
portal sees a record's statuses in the order they happened. Dead messages block the
later messages of their record until an admin retries them (``motcua outbox retry``).

A claim is a compare-and-set ``UPDATE`` (the lease must still be free), so two workers
never send the same message at once; a worker killed -9 mid-delivery leaves a lease that
runs out, after which the message is claimed again and re-sent with the same
idempotency key, which the portal applies once.

Sending happens outside any database transaction, several messages at a time (one per
record, never two of the same record) in a thread pool; all database work stays in the
calling thread.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from peewee import fn

from motcua import clock
from motcua.connectors.backoff import RetryPolicy
from motcua.connectors.models import DEAD, DELIVERED, PENDING, InboxItem, OutboxMessage
from motcua.connectors.outbox import event_from_snapshot, record_from_snapshot
from motcua.connectors.settings import effective_settings
from motcua.db import write_transaction
from motcua.i18n import T
from motcua.plugin_api import Connector, DeliveryResult, OutgoingMessage
from motcua.plugins.host import tenant_info
from motcua.tenancy.models import Tenant

if TYPE_CHECKING:
    from motcua.plugins.host import PluginHost

log = logging.getLogger(__name__)


def worker_name() -> str:
    """Return this process's name in leases: host and pid."""
    return f"{socket.gethostname()}:{os.getpid()}"[:64]


@dataclass
class Worker:
    """Delivers outbox messages through the plugins of ``host``.

    :param lease: seconds a claim holds a message (longer than a connector's timeout).
    :param batch: messages claimed and sent together (at most one per record).
    :param threads: messages sent at the same time.
    :param now: the clock (``motcua.clock.now``; tests pass a clock they move).
    :param sleep: how to wait (``time.sleep``; tests pass one that moves their clock).
    """

    host: PluginHost
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    lease: float = 60.0
    batch: int = 32
    threads: int = 8
    name: str = field(default_factory=worker_name)
    now: Callable[[], datetime] = clock.now
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = field(default_factory=random.Random)

    def run_once(self) -> int:
        """Claim the due messages, send them and settle them; return how many were tried."""
        claimed = self.claim()
        if not claimed:
            return 0
        prepared = [(message, *self._prepare(message)) for message in claimed]
        with ThreadPoolExecutor(max_workers=max(1, min(self.threads, len(prepared)))) as pool:
            results = list(pool.map(lambda item: _send(item[1], item[2]), prepared))
        for (message, _, _), result in zip(prepared, results, strict=True):
            self.settle(message, result)
        return len(claimed)

    def drain(self, *, max_seconds: float | None = None) -> int:
        """Deliver until no message is pending (each delivered or dead); return the number of tries.

        Sends as a pipeline: up to ``batch`` messages are claimed, ``threads`` of them on the
        wire at once, and the batch is topped up whenever half of it is settled, so a slow
        answer holds up only its own record. Waits for backoffs and for the leases of a killed worker to run
        out. Stops after ``max_seconds`` of the worker's clock when given.
        """
        started = self.now()
        tries = 0
        flying: dict[Future[DeliveryResult], OutboxMessage] = {}
        with ThreadPoolExecutor(max_workers=max(1, self.threads)) as pool:
            while True:
                # Refill when half the batch is settled: fewer claims, the pool kept busy.
                if len(flying) <= self.batch // 2:
                    for message in self.claim(limit=self.batch - len(flying)):
                        connector, outgoing_message = self._prepare(message)
                        flying[pool.submit(_send, connector, outgoing_message)] = message
                        tries += 1
                if flying:
                    done, _ = wait(flying, timeout=1.0, return_when=FIRST_COMPLETED)
                    for future in done:
                        self.settle(flying.pop(future), future.result())
                    continue
                wake = self.next_wake()
                if wake is None:
                    return tries
                if max_seconds is not None and (self.now() - started).total_seconds() > max_seconds:
                    return tries
                self.sleep(min(max((wake - self.now()).total_seconds(), 0.05), 5.0))

    # --- the three steps ------------------------------------------------------------------

    def claim(self, limit: int | None = None) -> list[OutboxMessage]:
        """Lease and return the due messages (at most ``limit``, default ``batch``; one per record)."""
        moment = self.now()
        until = moment + timedelta(seconds=self.lease)
        with write_transaction():
            candidates = list(due_messages(moment, limit or self.batch))
            claimed = []
            for message in candidates:
                taken = (
                    OutboxMessage.update(
                        claimed_until=until,
                        claimed_by=self.name,
                        attempts=OutboxMessage.attempts + 1,
                    )
                    .where(
                        OutboxMessage.id == message.id,
                        OutboxMessage.state == PENDING,
                        (OutboxMessage.claimed_until.is_null())
                        | (OutboxMessage.claimed_until <= moment),
                    )
                    .execute()
                )
                if taken:
                    message.attempts += 1
                    message.claimed_until, message.claimed_by = until, self.name
                    claimed.append(message)
        return claimed

    def settle(self, message: OutboxMessage, result: DeliveryResult) -> None:
        """Write what the delivery of ``message`` did: delivered, retry later, or dead."""
        moment = self.now()
        changes: dict[Any, Any] = {OutboxMessage.claimed_until: None}
        if result.delivered:
            changes.update(
                {
                    OutboxMessage.state: DELIVERED,
                    OutboxMessage.delivered_at: moment,
                    OutboxMessage.reference: result.reference[:500],
                    OutboxMessage.last_error: "",
                }
            )
        elif not result.retry or self.policy.exhausted(message.attempts):
            changes.update(
                {OutboxMessage.state: DEAD, OutboxMessage.last_error: result.error[:2000]}
            )
            log.warning(
                "outbox message %s (%s) is dead after %s tries: %s",
                message.id,
                message.record_key,
                message.attempts,
                result.error,
            )
        else:
            wait = self.policy.delay(message.attempts, self.rng)
            changes.update(
                {
                    OutboxMessage.next_attempt_at: moment + timedelta(seconds=wait),
                    OutboxMessage.last_error: result.error[:2000],
                }
            )
        with write_transaction():
            # Only the lease holder settles: a worker whose lease ran out (and whose message
            # another worker took) leaves the row to the new holder.
            OutboxMessage.update(changes).where(
                OutboxMessage.id == message.id,
                OutboxMessage.claimed_by == message.claimed_by,
                OutboxMessage.state == PENDING,
            ).execute()

    def next_wake(self) -> datetime | None:
        """Return when a pending message may next be due, or None when none can be.

        Only the first undelivered message of each record can become due by waiting (at
        the later of its next try and the end of its lease); a record whose first
        undelivered message is dead waits for an admin, so a drain does not wait for it.
        """
        heads = (
            heads_query()
            .select(OutboxMessage.next_attempt_at, OutboxMessage.claimed_until)
            .tuples()
        )
        wakes = [
            max(_as_datetime(next_try), _as_datetime(lease) if lease else _as_datetime(next_try))
            for next_try, lease in heads
        ]
        return max(min(wakes), self.now()) if wakes else None

    # --- building the message -------------------------------------------------------------

    def _prepare(self, message: OutboxMessage) -> tuple[Connector | None, OutgoingMessage]:
        tenant = Tenant.get_by_id(message.tenant_id)
        connector = next(
            (c for c in self.host.connectors(tenant) if c.name == message.connector), None
        )
        return connector, outgoing(message, tenant)


def outgoing(message: OutboxMessage, tenant: Tenant) -> OutgoingMessage:
    """Return the :class:`OutgoingMessage` a connector receives for outbox row ``message``."""
    payload = dict(message.payload or {})
    record = record_from_snapshot(payload["record"]) if payload.get("record") else None
    change = event_from_snapshot(payload.get("event"))
    if message.record_id is not None and "portal_ref" not in payload:
        item = InboxItem.get_or_none(
            InboxItem.tenant == tenant, InboxItem.record == message.record_id
        )
        if item is not None:
            payload["portal_ref"] = item.portal_ref
    return OutgoingMessage(
        kind=message.kind,
        tenant=tenant_info(tenant),
        recipient=payload.get("portal_ref", ""),
        text=T(
            "Đồng bộ trạng thái hồ sơ {code}",
            "Status sync of record {code}",
            code=message.record_key,
        ),
        record=record,
        payload=payload,
        key=message.idempotency_key,
        sequence=message.seq,
        settings=effective_settings(tenant, message.connector),
        event=change,
    )


def _send(connector: Connector | None, message: OutgoingMessage) -> DeliveryResult:
    if connector is None:
        return DeliveryResult(
            delivered=False, error="the connector is not enabled in the ward", retry=True
        )
    try:
        return connector.send(message)
    except Exception as exc:  # noqa: BLE001 - a plugin's bug is a failed try, not a dead worker
        log.exception("connector %s raised on message %s", connector.name, message.key)
        return DeliveryResult(delivered=False, error=f"{type(exc).__name__}: {exc}", retry=True)


def heads_query() -> Any:
    """Return the query of pending messages with no undelivered message before them (per record)."""
    earlier = OutboxMessage.alias("earlier")
    blocked = earlier.select(earlier.id).where(
        earlier.tenant == OutboxMessage.tenant,
        earlier.connector == OutboxMessage.connector,
        earlier.record_key == OutboxMessage.record_key,
        earlier.seq < OutboxMessage.seq,
        earlier.state != DELIVERED,
    )
    return OutboxMessage.select().where(OutboxMessage.state == PENDING, ~fn.EXISTS(blocked))


def due_messages(moment: datetime, limit: int) -> Any:
    """Return the query of messages due at ``moment``, oldest first (one per record)."""
    return (
        heads_query()
        .where(
            OutboxMessage.next_attempt_at <= moment,
            (OutboxMessage.claimed_until.is_null()) | (OutboxMessage.claimed_until <= moment),
        )
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    )


def retry(tenant: Tenant | None, message_id: int, *, actor: str = "") -> OutboxMessage:
    """Put message ``message_id`` (dead or waiting) back in line to be sent now; return it.

    With ``tenant``, only that ward's message is found (the admin page); the CLI passes None.

    :raises NotFound: no such message (in this ward).
    :raises UserError: the message is already delivered.
    """
    from motcua.audit import audit
    from motcua.errors import NotFound, UserError

    query = OutboxMessage.select().where(OutboxMessage.id == message_id)
    if tenant is not None:
        query = query.where(OutboxMessage.tenant == tenant)
    message = query.first()
    if message is None:
        raise NotFound(T("Không có tin nhắn số {id}", "No message {id}", id=message_id))
    if message.state == DELIVERED:
        raise UserError(
            T("Tin nhắn {id} đã gửi xong", "Message {id} is already delivered", id=message_id)
        )
    with write_transaction():
        OutboxMessage.update(
            state=PENDING, attempts=0, next_attempt_at=clock.now(), claimed_until=None
        ).where(OutboxMessage.id == message.id, OutboxMessage.state != DELIVERED).execute()
        audit(
            "outbox.retry",
            tenant=message.tenant_id,
            actor=actor,
            target=str(message.id),
            record=message.record_key,
            was=message.state,
        )
    return OutboxMessage.get_by_id(message.id)


def retry_failing(tenant: Tenant, *, actor: str = "") -> int:
    """Put every dead message of ``tenant`` back in line; return how many."""
    from motcua.audit import audit

    with write_transaction():
        count = (
            OutboxMessage.update(
                state=PENDING, attempts=0, next_attempt_at=clock.now(), claimed_until=None
            )
            .where(OutboxMessage.tenant == tenant, OutboxMessage.state == DEAD)
            .execute()
        )
        audit("outbox.retry_all", tenant=tenant, actor=actor, count=count)
    return int(count)


def dead_count() -> int:
    """Return the number of messages in the dead letter, all wards."""
    return OutboxMessage.select().where(OutboxMessage.state == DEAD).count()


def _as_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))
