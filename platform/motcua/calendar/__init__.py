"""The working calendar: legal deadlines counted in working days and office hours.

Pure logic: no Flask, no database, no I/O. The rules it implements:

1. Times are naive local Vietnam time (UTC+7, no daylight saving); never pass aware
   datetimes.
2. Working days are Monday to Friday, minus the national days off and plus the swapped
   working Saturdays, both taken from the ``holidays`` package (country VN): New Year,
   Tết, Hùng Kings, 30/4, 1/5, National Day (2 days), Culture Day 24/11 from 2026, the
   observed days for holidays falling on a weekend, and the yearly swaps announced by the
   government (a substituted day off, and the Saturday worked in exchange, which
   ``holidays`` lists in ``weekend_workdays``).
3. National decisions: the Government announces swaps (New Year, Tết, National Day) weeks
   ahead, faster than ``holidays`` releases. :class:`Decision` entries, shipped in
   ``decisions.toml`` and loadable with ``motcua calendar update``, are applied over
   ``holidays`` and under the overrides; each names its document number.
4. Overrides: provinces and wards announce their own swaps. A
   :class:`CalendarOverride` with ``working=True`` makes a day a working day even if it
   is a Saturday or a holiday; ``working=False`` makes it a day off. Later overrides win,
   so give the province's list first and the ward's after it.
5. Office hours default to 07:00-11:30 and 13:30-17:00 (8 hours a day); deadlines run
   only during them, so the lunch break and nights do not count.
6. "Nd" is N times the office day (8 h by default) of office time counted from the
   start moment: a dossier received at 14:30 on a working day with 3d is due at 14:30
   three working days later. "Nh" is N office hours counted the same way. A result that
   lands exactly at the end of a period is that end (11:30 or 17:00).
7. Start moment: a dossier received on a working day at or before the cut-off (15:00 by
   default, a setting) starts at once, or at the next opening if received outside office
   hours (before 07:00, over lunch). A dossier received after the cut-off starts at the
   opening of the next working day; one received on a day off starts at the opening of
   the next working day.
8. "same-day" (Decree 23/2015 art. 20, certification): due at the end of office hours
   the same day if received on a working day at or before the cut-off (and before
   closing), else at the end of office hours of the next working day.
9. Supplement pause (a per-province setting, DOMAIN.md "Record lifecycle" 4):
   ``extend`` adds the office time spent waiting to the due moment; ``restart`` counts
   the full limit again from the moment the supplement arrives, cut-off included.
10. Outcome: early (trước hạn) when resolved on a day before the due date; on time
   (đúng hạn) when resolved on the due date not after the due moment; late (quá hạn)
   when resolved after the due moment.
11. Apology: the processing unit issues it at least one working day before the due
    date, so the latest day is the working day before the due date.
"""

from __future__ import annotations

from motcua.calendar.deadlines import (
    DEFAULT_CUTOFF,
    Limit,
    LimitKind,
    Outcome,
    PauseRule,
    compute_due,
    extend_due,
    latest_apology_day,
    outcome,
    parse_limit,
)
from motcua.calendar.decisions import Decision, parse_decisions, shipped_decisions
from motcua.calendar.office_hours import OfficeHours
from motcua.calendar.work_calendar import CalendarOverride, WorkCalendar

__all__ = [
    "DEFAULT_CUTOFF",
    "CalendarOverride",
    "Decision",
    "Limit",
    "LimitKind",
    "OfficeHours",
    "Outcome",
    "PauseRule",
    "WorkCalendar",
    "compute_due",
    "extend_due",
    "latest_apology_day",
    "outcome",
    "parse_decisions",
    "parse_limit",
    "shipped_decisions",
]
