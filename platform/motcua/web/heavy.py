"""Heavy previews (editor runs, template PDFs) share a few slots per process.

A preview may legally take seconds (the template sandbox allows 10 s). Were every worker
thread able to run one, a few hostile previews would leave none for the counter's
reception or ``/healthz``. So a process runs at most ``settings.heavy_slots`` previews at
once; one more is refused at once (503 with Retry-After) rather than queued behind them.
The request's evaluation also runs under the time budget (motcua.budget).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app

from motcua import budget
from motcua.errors import UserError
from motcua.i18n import T

# How long a preview waits for a slot before it is refused.
_WAIT_SECONDS = 0.25


class Busy(UserError):
    """Every preview slot is taken (HTTP 503)."""

    status = 503


@contextmanager
def heavy_slot() -> Iterator[None]:
    """Hold one of the process's preview slots for the block, or raise :class:`Busy`."""
    slots: threading.BoundedSemaphore = current_app.extensions["motcua.heavy_slots"]
    if not slots.acquire(timeout=_WAIT_SECONDS):
        raise Busy(
            T(
                "Máy chủ đang chạy các bản xem trước khác; hãy thử lại sau vài giây",
                "The server is running other previews; try again in a few seconds",
            ),
            retry_after=2,
        )
    try:
        yield
    finally:
        slots.release()


def init_heavy(app: Flask) -> None:
    """Give ``app`` its preview slots (``settings.heavy_slots``, at least one) and open
    each request's evaluation budget (``settings.evaluation_budget`` seconds)."""
    settings = app.extensions["motcua.settings"]
    app.extensions["motcua.heavy_slots"] = threading.BoundedSemaphore(max(1, settings.heavy_slots))

    @app.before_request
    def _open_budget() -> None:
        budget.start(settings.evaluation_budget)

    @app.teardown_request
    def _close_budget(_error: BaseException | None) -> None:
        budget.stop()
