"""Domain events: recorded inside a change's transaction, dispatched to plugins after commit.

A service opens its change with ``with ward.events.change():`` (one write transaction) and
records what happened with :meth:`EventSink.record`. When the outermost transaction
commits, the sink hands every event to its dispatcher, in order; when it rolls back, the
events are dropped with it, so a plugin never hears of a change that did not happen.

The one dispatcher, :class:`Dispatcher`, calls the hook for the plugins enabled in the
ward; each implementation runs isolated (logged, timed, reported to the ward's admins and
swallowed), so a plugin can neither break nor undo a committed change. Subscribers that
must write in the same transaction as the change (the portal outbox) register with
:meth:`EventSink.subscribe` and see each event as it is recorded.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from motcua.plugins.host import PluginHost
    from motcua.tenancy.models import Tenant

log = logging.getLogger(__name__)

Argument = Any  # a motcua.plugin_api dataclass, or a function returning one (built lazily)


@dataclass(frozen=True)
class DomainEvent:
    """Something that happened in a ward: the event hook's name and its arguments.

    An argument may be a function of no arguments returning the value: it is called only
    when some enabled plugin listens to the hook (a record read back after commit, say).
    """

    hook: str
    arguments: dict[str, Argument] = field(default_factory=dict)

    def resolved(self) -> dict[str, Any]:
        """Return the arguments with every lazy one computed."""
        return {name: value() if callable(value) else value for name, value in self.arguments.items()}


Dispatch = Callable[[DomainEvent], None]
Subscriber = Callable[[DomainEvent], None]


class EventSink:
    """Collects a ward's domain events during its transactions and dispatches them after commit."""

    def __init__(self, dispatch: Dispatch, in_transaction: Callable[[], bool]) -> None:
        self._dispatch = dispatch
        self._in_transaction = in_transaction
        self._pending: list[DomainEvent] = []
        self._subscribers: list[Subscriber] = []

    def subscribe(self, subscriber: Subscriber) -> None:
        """Call ``subscriber`` for each event as it is recorded, inside the change's transaction."""
        self._subscribers.append(subscriber)

    def record(self, hook: str, **arguments: Argument) -> None:
        """Record event ``hook`` of the change in progress.

        :raises RuntimeError: no change is open (record inside ``with events.change():``).
        """
        if not self._in_transaction():
            raise RuntimeError(f"event {hook!r} recorded outside a change (use events.change())")
        event = DomainEvent(hook, dict(arguments))
        for subscriber in self._subscribers:
            subscriber(event)
        self._pending.append(event)

    def emit(self, hook: str, **arguments: Argument) -> None:
        """Dispatch event ``hook`` of a change that is already committed (or wrote nothing)."""
        self._dispatch(DomainEvent(hook, dict(arguments)))

    @contextmanager
    def change(self) -> Iterator[None]:
        """Open a write transaction; dispatch its events once the outermost one commits."""
        from motcua.db import write_transaction

        mark = len(self._pending)
        try:
            with write_transaction():
                yield
        except BaseException:
            del self._pending[mark:]
            raise
        if not self._in_transaction():
            self.flush()

    def flush(self) -> None:
        """Dispatch the events of committed changes, in the order they were recorded."""
        pending, self._pending = self._pending, []
        for event in pending:
            self._dispatch(event)


class Dispatcher:
    """The one path from domain events to plugin hooks, for one ward."""

    def __init__(self, host: PluginHost | None, tenant: Tenant) -> None:
        self.host = host
        self.tenant = tenant

    def __call__(self, event: DomainEvent) -> None:
        """Call the event's hook for the ward's enabled plugins; never raises for a plugin."""
        if self.host is None or not self.host.listens(event.hook, self.tenant):
            return
        started = time.perf_counter()
        try:
            self.host.notify(event.hook, self.tenant, **event.resolved())
        except Exception:  # noqa: BLE001 - a committed change stands whatever its listeners do
            log.exception("dispatching %s for ward %s failed", event.hook, self.tenant.code)
        log.debug(
            "%s dispatched for ward %s in %.1f ms",
            event.hook,
            self.tenant.code,
            (time.perf_counter() - started) * 1000,
        )
