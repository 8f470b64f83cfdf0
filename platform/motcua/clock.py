"""The one place motcua reads the time.

Times are stored naive, in Vietnam's local time (Asia/Ho_Chi_Minh, UTC+7, no daylight
saving): legal deadlines, the 15:00 cut-off and the dates printed on slips are all local.

Tests never read the wall clock: they run under :func:`frozen`, which makes :func:`now`
and :func:`today` answer a fixed moment (the test suite freezes every test).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

# The moment the clock is frozen at, or None for the wall clock. Set only by `frozen`.
_frozen_at: list[datetime] = []


def now() -> datetime:
    """Return the current local time, naive, to the second (the frozen moment in tests)."""
    if _frozen_at:
        return _frozen_at[-1]
    return datetime.now(VIETNAM).replace(tzinfo=None, microsecond=0)


def today() -> date:
    """Return today's local date."""
    return now().date()


@contextmanager
def frozen(at: datetime) -> Iterator[datetime]:
    """Make :func:`now` answer ``at`` (naive local time) inside the ``with`` block; yield it.

    Blocks nest: the innermost moment wins, and leaving a block restores the one outside.
    """
    moment = at.replace(tzinfo=None, microsecond=0)
    _frozen_at.append(moment)
    try:
        yield moment
    finally:
        _frozen_at.pop()


def is_frozen() -> bool:
    """Return True when the clock is frozen (inside :func:`frozen`)."""
    return bool(_frozen_at)
