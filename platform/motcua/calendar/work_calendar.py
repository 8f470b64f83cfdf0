"""Working days and office-hour arithmetic over the Vietnamese public-sector calendar."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from types import MappingProxyType

import holidays

from motcua.calendar.decisions import Decision, shipped_decisions
from motcua.calendar.office_hours import OfficeHours
from motcua.errors import UserError
from motcua.i18n import T

# No real calendar goes a year and more without a working day; past this a search stops
# instead of looping for ever on a misconfigured calendar.
_MAX_SEARCH_DAYS = 400
_ONE_DAY = timedelta(days=1)
# The days the calendar knows: the ``holidays`` package's lunar table (Tết and the other
# lunar holidays) covers 1901-2100, so a count outside would silently miss them. Working-day
# arithmetic refuses dates outside, which also bounds its cost (O(years), see _count).
FIRST_DAY = date(1901, 1, 1)
LAST_DAY = date(2100, 12, 31)


@dataclass(frozen=True)
class _NationalYear:
    """Vietnam's national days off in one year, and the Saturdays worked in exchange."""

    names: MappingProxyType[date, str]
    names_en: MappingProxyType[date, str]
    weekend_workdays: frozenset[date]
    weekend: frozenset[int]


@lru_cache(maxsize=64)
def _vietnam_year(year: int) -> _NationalYear:
    # A bounded cache of immutable values: a year's national days are fixed data of the
    # installed ``holidays`` package, the same for every ward, request and thread. Building
    # them cost a fresh HolidayBase plus a year's population on every request. The
    # neighbouring years are loaded too, so the days they spill over into ``year`` (an
    # observed day, a swap listed with the next year's day off) are included.
    table = holidays.country_holidays("VN", language="vi", years=range(year - 1, year + 2))
    english = holidays.country_holidays("VN", language="en_US", years=range(year - 1, year + 2))
    return _NationalYear(
        MappingProxyType({day: name for day, name in table.items() if day.year == year}),
        MappingProxyType({day: name for day, name in english.items() if day.year == year}),
        frozenset(day for day in table.weekend_workdays if day.year == year),
        frozenset(table.weekend),
    )


@lru_cache(maxsize=256)
def _national_counts(year: int) -> tuple[frozenset[date], frozenset[date], frozenset[int]]:
    # A bounded cache of immutable values (every year of FIRST_DAY..LAST_DAY fits): the
    # weekdays off and weekend days worked of Vietnam's calendar in ``year``, so a count
    # over many years costs each year once per process, not once per call.
    national = _vietnam_year(year)
    days_off = frozenset(day for day in national.names if day.weekday() not in national.weekend)
    return days_off, national.weekend_workdays, national.weekend


@dataclass(frozen=True)
class CalendarOverride:
    """A province's or ward's decision about one day.

    ``working=True`` makes the day a working day even if it is a Saturday, Sunday or
    holiday (a swapped working day); ``working=False`` makes it a day off.
    """

    day: date
    working: bool
    note: str = ""


class WorkCalendar:
    """Which days are working days, and how much office time lies between two moments.

    National holidays, observed days off and the swapped working Saturdays come from the
    ``holidays`` package (country VN, names in Vietnamese). The Government's
    ``decisions`` come over it (a swap announced after the package's release), and
    ``overrides`` are applied on top in order, a later one replacing an earlier one for the
    same day, so pass the province's list first and then the ward's.

    :param decisions: the national decisions in force; None means those shipped with
        motcua (:func:`motcua.calendar.decisions.shipped_decisions`). Later ones win.
    :param country_holidays: a ``holidays.HolidayBase`` to use instead of
        ``holidays.country_holidays("VN", language="vi")`` (tests, other weekends).
    """

    def __init__(
        self,
        overrides: Iterable[CalendarOverride] = (),
        office_hours: OfficeHours | None = None,
        country_holidays: holidays.HolidayBase | None = None,
        decisions: Iterable[Decision] | None = None,
    ) -> None:
        self.office_hours = office_hours if office_hours is not None else OfficeHours()
        self._overrides: dict[date, CalendarOverride] = {}
        for override in overrides:
            self._overrides[override.day] = override
        self.decisions = tuple(shipped_decisions() if decisions is None else decisions)
        self._national: dict[date, tuple[bool, Decision]] = {}
        for decision in self.decisions:
            for day in decision.days_off:
                self._national[day] = (False, decision)
            for day in decision.working_days:
                self._national[day] = (True, decision)
        # None: Vietnam's national days, shared by every calendar (see _vietnam_year).
        self._holidays = country_holidays
        self._years: dict[int, tuple[frozenset[date], frozenset[date], frozenset[int]]] = {}
        self._whole_years: dict[int, int] = {}  # working days of each whole year counted

    @property
    def overrides(self) -> tuple[CalendarOverride, ...]:
        """Return the overrides in effect (the last one given for each day), by date."""
        return tuple(self._overrides[day] for day in sorted(self._overrides))

    def decision_on(self, day: date) -> Decision | None:
        """Return the national decision that sets ``day``, or None (then ``holidays`` does)."""
        decided = self._national.get(_as_date(day))
        return decided[1] if decided is not None else None

    def is_working_day(self, day: date) -> bool:
        """Return True if offices are open on ``day`` (a datetime counts as its date)."""
        day = _as_date(day)
        override = self._overrides.get(day)
        if override is not None:
            return override.working
        decided = self._national.get(day)
        if decided is not None:
            return decided[0]
        if self._holidays is None:
            national = _vietnam_year(day.year)
            if day.weekday() in national.weekend:
                return day in national.weekend_workdays
            return day not in national.names
        name = self._holidays.get(day)  # also loads the year into the holiday table
        if self._holidays.is_weekend(day):
            # A swap is listed with the year of the day off, which may be the next year
            # (e.g. Saturday 27/12/2014 worked for Friday 2/1/2015): load that year too.
            self._holidays.get(date(day.year + 1, 1, 1))
            return day in self._holidays.weekend_workdays
        return name is None

    def holiday_name(self, day: date, language: str = "vi") -> str | None:
        """Return why ``day`` is a day off, or None for working days and plain weekends.

        The name comes from ``holidays`` in ``language`` ("vi": "Tết Nguyên Đán", "Ngày nghỉ
        (thay cho ngày 22/08/2026)"; "en": its English name), or is the note of a day-off
        override.
        """
        day = _as_date(day)
        override = self._overrides.get(day)
        if override is not None:
            if override.working:
                return None
            local = ("Local day off", "Ngày nghỉ theo quyết định của địa phương")
            return override.note or (local[0] if language == "en" else local[1])
        decided = self._national.get(day)
        if decided is not None:
            working, decision = decided
            if working:
                return None
            return decision.name_en if language == "en" else decision.name
        if self._holidays is None:
            national = _vietnam_year(day.year)
            return (national.names_en if language == "en" else national.names).get(day)
        return self._holidays.get(day)

    def next_working_day(self, day: date) -> date:
        """Return the first working day strictly after ``day``.

        :raises UserError: if no working day follows within a year (misconfigured calendar).
        """
        return self._step(_as_date(day), +1)

    def previous_working_day(self, day: date) -> date:
        """Return the last working day strictly before ``day``.

        :raises UserError: if no working day precedes within a year (misconfigured calendar).
        """
        return self._step(_as_date(day), -1)

    def add_workdays(self, start: date, days: int) -> date:
        """Return the working day ``days`` working days after ``start`` (before, if negative).

        ``start`` itself is not counted, as in a spreadsheet's WORKDAY: ``add_workdays(d, 0)``
        is ``d`` and ``add_workdays(d, 1)`` is the next working day after ``d``. Whole years
        are skipped by their count of working days, so the cost grows with the years
        crossed, not the days.

        :raises UserError: if the calendar has no working day within a year, or ``start``
            or the result lies outside :data:`FIRST_DAY`..:data:`LAST_DAY`.
        """
        day = _in_range(_as_date(start))
        direction = 1 if days >= 0 else -1
        remaining = abs(days)
        while remaining:
            if direction > 0:
                if day >= LAST_DAY:
                    raise _out_of_range(day)
                first = day + _ONE_DAY
                last = date(first.year, 12, 31)
            else:
                if day <= FIRST_DAY:
                    raise _out_of_range(day)
                last = day - _ONE_DAY
                first = date(last.year, 1, 1)
            available = self._count(first, last)
            if remaining <= available:
                break
            if available == 0 and (last - first).days >= 364:
                raise _no_working_day(first)
            remaining -= available
            day = last if direction > 0 else first
        for _ in range(remaining):  # within one year now
            day = self._step(day, direction)
        return day

    def workdays_between(self, start: date, end: date) -> int:
        """Return the number of working days after ``start`` up to and including ``end``.

        It is the inverse of :meth:`add_workdays`: ``workdays_between(d, add_workdays(d, n))
        == n``. It is negative when ``end`` is before ``start``. Costs O(years), not O(days).

        :raises UserError: if a date lies outside :data:`FIRST_DAY`..:data:`LAST_DAY`.
        """
        first, last = _in_range(_as_date(start)), _in_range(_as_date(end))
        if last < first:
            return -self.workdays_between(last, first)
        return self._count(first + _ONE_DAY, last) if first < last else 0

    def _count(self, first: date, last: date) -> int:
        """Return the working days in ``first``..``last`` (inclusive): per year, the days off
        the weekday formula does not see are the year's holidays, swaps and overrides."""
        total = 0
        for year in range(first.year, last.year + 1):
            low, high = max(first, date(year, 1, 1)), min(last, date(year, 12, 31))
            whole = low.month == 1 and low.day == 1 and high.month == 12 and high.day == 31
            if whole and year in self._whole_years:
                total += self._whole_years[year]
                continue
            days_off, weekend_workdays, weekend = self._year(year)
            count = _weekdays(low, high, weekend)
            count -= sum(1 for day in days_off if low <= day <= high)
            count += sum(1 for day in weekend_workdays if low <= day <= high)
            for day, override in self._overrides.items():
                if low <= day <= high:
                    usual = day in weekend_workdays if day.weekday() in weekend else day not in days_off
                    count += int(override.working) - int(usual)
            if whole:
                self._whole_years[year] = count
            total += count
        return total

    def _year(self, year: int) -> tuple[frozenset[date], frozenset[date], frozenset[int]]:
        # (weekdays off, weekend days worked, weekend weekdays) of ``year`` before the
        # overrides, exactly as is_working_day decides them.
        known = self._years.get(year)
        if known is not None:
            return known
        if self._holidays is None:
            days_off, worked, weekend = _national_counts(year)
        else:
            table = self._holidays
            table.get(date(year, 1, 1))
            table.get(date(year + 1, 1, 1))  # swaps are listed with the next year's day off
            weekend = frozenset(table.weekend)
            days_off = frozenset(day for day in list(table) if day.year == year and day.weekday() not in weekend)
            worked = frozenset(day for day in table.weekend_workdays if day.year == year)
        self._years[year] = (days_off, worked, weekend)
        return self._years[year]

    def add_working_time(self, start: datetime, hours: Decimal | float) -> datetime:
        """Return the moment ``hours`` of office time after ``start``.

        Only minutes inside office periods of working days count. A result that falls
        exactly at the end of a period is that end (11:30, not the 13:30 reopening).
        Adding zero returns ``start`` unchanged.

        :raises UserError: if ``hours`` is negative.
        """
        remaining = _hours_to_timedelta(hours)
        if remaining < timedelta():
            raise UserError(
                T("Số giờ làm việc không được âm", "Working hours cannot be negative"),
                hours=str(hours),
            )
        if not remaining:
            return start
        day = start.date()
        # Ends: every working day has office time (OfficeHours refuses empty periods) and
        # next_working_day raises on a calendar without working days. A fixed bound here
        # would wrongly blame the calendar for a long limit.
        while True:
            for opens, closes in self._periods_on(day):
                begin = max(start, opens)
                if begin >= closes:
                    continue
                available = closes - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
            day = self.next_working_day(day)

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Return the office time between two moments (negative if ``end`` is earlier)."""
        if end < start:
            return -self.working_time_between(end, start)
        total = timedelta()
        day = start.date()
        while day <= end.date():
            for opens, closes in self._periods_on(day):
                overlap = min(end, closes) - max(start, opens)
                if overlap > timedelta():
                    total += overlap
            day += _ONE_DAY
        return total

    def _periods_on(self, day: date) -> list[tuple[datetime, datetime]]:
        if not self.is_working_day(day):
            return []
        return [
            (datetime.combine(day, opens), datetime.combine(day, closes))
            for opens, closes in self.office_hours.periods
        ]

    def _step(self, day: date, direction: int) -> date:
        for _ in range(_MAX_SEARCH_DAYS):
            day += direction * _ONE_DAY
            if self.is_working_day(day):
                return day
        raise _no_working_day(day)


def _as_date(day: date) -> date:
    return day.date() if isinstance(day, datetime) else day


def _weekdays(first: date, last: date, weekend: frozenset[int]) -> int:
    # Days in first..last (inclusive) whose weekday is not a weekend day: whole weeks by
    # arithmetic, the rest (under a week) one by one.
    if last < first:
        return 0
    total = (last - first).days + 1
    weeks, rest = divmod(total, 7)
    count = weeks * (7 - len(weekend))
    for offset in range(rest):
        count += (first.weekday() + offset) % 7 not in weekend
    return count


def _in_range(day: date) -> date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise _out_of_range(day)
    return day


def _out_of_range(day: date) -> UserError:
    return UserError(
        T(
            "Ngày {day} nằm ngoài lịch làm việc ({first} đến {last}): hãy kiểm tra năm hoặc số ngày",
            "The day {day} is outside the working calendar ({first} to {last}): check the year or the number of days",
            day=day.isoformat(),
            first=FIRST_DAY.isoformat(),
            last=LAST_DAY.isoformat(),
        ),
        status=422,
    )


def _hours_to_timedelta(hours: Decimal | float) -> timedelta:
    # Through Decimal so that 0.1 h is exactly 6 minutes, not 5 min 59.999... s.
    amount = hours if isinstance(hours, Decimal) else Decimal(str(hours))
    microseconds = (amount * 3_600_000_000).to_integral_value(rounding=ROUND_HALF_UP)
    return timedelta(microseconds=int(microseconds))


def _no_working_day(day: date) -> UserError:
    return UserError(
        T(
            "Lịch làm việc không có ngày làm việc nào trong vòng một năm quanh {day}: hãy kiểm tra các ngày nghỉ đã khai báo",
            "The calendar has no working day within a year around {day}: check the declared days off",
            day=day.isoformat(),
        )
    )
