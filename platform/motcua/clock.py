"""The one place motcua reads the time.

Times are stored naive, in Vietnam's local time (Asia/Ho_Chi_Minh, UTC+7, no daylight
saving): legal deadlines, the 15:00 cut-off and the dates printed on slips are all local.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def now() -> datetime:
    """Return the current local time, naive, to the second."""
    return datetime.now(VIETNAM).replace(tzinfo=None, microsecond=0)


def today() -> date:
    """Return today's local date."""
    return now().date()
