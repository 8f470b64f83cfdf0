"""A wall-clock budget for one request's (or one job's) notebook evaluation.

The expression caps bound each expression's steps, not the time a whole request spends: a
notebook of many legal but slow cells, evaluated twice at once, could hold every worker.
The web layer opens a budget per request (:func:`time_budget`); the notebook evaluator and
the expression evaluator look at the clock between cells and every few steps
(:func:`expired`), and the evaluator turns an expiry into :class:`OverBudget`, which names
the slowest cell. Plain Python, no Flask: the deadline lives in a context variable, so a
pool thread running the work under a copy of the request's context sees the same budget.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from time import monotonic

from motcua.errors import UserError
from motcua.i18n import T

# The deadline (time.monotonic) of the work in progress, or None: no budget.
_DEADLINE: ContextVar[float | None] = ContextVar("motcua_budget_deadline", default=None)
_SECONDS: ContextVar[float] = ContextVar("motcua_budget_seconds", default=0.0)


class OverBudget(UserError):
    """The notebook took longer than the request's time budget (HTTP 422)."""

    status = 422


class Expired(Exception):  # noqa: N818 - a signal, not an error a user sees
    """Raised inside evaluation when the deadline has passed; the evaluator turns it into
    :class:`OverBudget` (it is not a UserError, so no cell swallows it as its own error)."""


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Run the block with ``seconds`` of wall-clock time for evaluation (None: no limit)."""
    token = _DEADLINE.set(None if seconds is None else monotonic() + seconds)
    size = _SECONDS.set(seconds or 0.0)
    try:
        yield
    finally:
        _DEADLINE.reset(token)
        _SECONDS.reset(size)


def start(seconds: float | None) -> None:
    """Open a budget for the rest of this context (a request); :func:`stop` closes it."""
    _DEADLINE.set(None if seconds is None else monotonic() + seconds)
    _SECONDS.set(seconds or 0.0)


def stop() -> None:
    """Close the budget opened by :func:`start`."""
    _DEADLINE.set(None)


def remaining() -> float | None:
    """Return the seconds left (never below 0), or None when no budget is open."""
    deadline = _DEADLINE.get()
    return None if deadline is None else max(0.0, deadline - monotonic())


def check() -> None:
    """Raise :class:`Expired` if the budget has run out."""
    deadline = _DEADLINE.get()
    if deadline is not None and monotonic() > deadline:
        raise Expired


def over_budget(slowest_cell: str | None, seconds: float | None) -> OverBudget:
    """Return the error for a notebook that ran out of time, naming its slowest cell."""
    limit = _SECONDS.get()
    if slowest_cell:
        return OverBudget(
            T(
                "Quy trình tính quá {limit} giây nên đã dừng; ô chậm nhất là `{cell}` ({spent} giây): hãy rút gọn công thức của ô này",
                "The notebook ran past its {limit} second budget and was stopped; the slowest cell is `{cell}` ({spent} s): simplify its formula",
                limit=f"{limit:g}",
                cell=slowest_cell,
                spent=f"{seconds or 0:.2f}",
            ),
            cell_id=slowest_cell,
        )
    return OverBudget(
        T(
            "Quy trình tính quá {limit} giây nên đã dừng: hãy rút gọn các công thức",
            "The notebook ran past its {limit} second budget and was stopped: simplify its formulas",
            limit=f"{limit:g}",
        )
    )
