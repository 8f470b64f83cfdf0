"""Report periods: a first and a last day, both included, on the ward's calendar.

Times are naive local time (docs/architecture.md, decision 1), so a period runs from
00:00 of its first day to 00:00 of the day after its last: a record received at 23:59 on
the last day belongs to it, and "overdue at the period's end" means due before that
midnight and still open then. The ward calendar says how many working days a period has
and cuts the weekly trend (weeks start on Monday, as the official calendar does).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from motcua.calendar import WorkCalendar
from motcua.errors import UserError
from motcua.i18n import T

_INSTANT = timedelta(microseconds=1)
MAX_DAYS = 3 * 366  # three years: longer periods are several reports


@dataclass(frozen=True)
class Period:
    """The days ``first`` to ``last``, both included."""

    first: date
    last: date

    @property
    def start(self) -> datetime:
        """Return the first moment of the period (00:00 of ``first``)."""
        return datetime.combine(self.first, time.min)

    @property
    def end(self) -> datetime:
        """Return the moment just after the period (00:00 of the day after ``last``)."""
        return datetime.combine(self.last + timedelta(days=1), time.min)

    def bounds(self, now: datetime | None = None) -> tuple[datetime, datetime]:
        """Return ``(start, end)``, the end moved back to ``now`` when the period is not
        over at ``now`` (a report of the current month counts up to now, included)."""
        end = self.end if now is None else max(self.start, min(self.end, now + _INSTANT))
        return self.start, end

    @property
    def days(self) -> int:
        """Return how many calendar days the period has."""
        return (self.last - self.first).days + 1

    def working_days(self, calendar: WorkCalendar) -> int:
        """Return the working days of the period on ``calendar``."""
        return sum(
            calendar.is_working_day(self.first + timedelta(days=n)) for n in range(self.days)
        )

    def weeks(self) -> list[Period]:
        """Return the period cut at Mondays: the first and last pieces may be short."""
        pieces = []
        first = self.first
        while first <= self.last:
            sunday = first + timedelta(days=6 - first.weekday())
            pieces.append(Period(first, min(sunday, self.last)))
            first = sunday + timedelta(days=1)
        return pieces

    def months(self) -> list[Period]:
        """Return the period cut at the first of each month."""
        pieces = []
        first = self.first
        while first <= self.last:
            following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
            pieces.append(Period(first, min(following - timedelta(days=1), self.last)))
            first = following
        return pieces

    def trend_pieces(self) -> list[Period]:
        """Return the pieces of a trend chart: weeks up to 13 weeks, months beyond."""
        return self.weeks() if self.days <= 91 else self.months()

    def label(self) -> str:
        """Return the period as printed on a report: ``01/03/2026 – 31/03/2026``."""
        return f"{self.first:%d/%m/%Y} – {self.last:%d/%m/%Y}"

    def as_dict(self) -> dict[str, str]:
        """Return ``{"from": "2026-03-01", "to": "2026-03-31"}``."""
        return {"from": self.first.isoformat(), "to": self.last.isoformat()}


def month_of(day: date) -> Period:
    """Return the calendar month that contains ``day``."""
    first = day.replace(day=1)
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return Period(first, following - timedelta(days=1))


def parse_period(first: str | None, last: str | None, *, today: date) -> Period:
    """Return the period from two ISO dates (``YYYY-MM-DD``); both missing: this month.

    :raises UserError: a date cannot be read, the first day is after the last, or the
        period is longer than three years (field ``from`` or ``to``).
    """
    if not first and not last:
        return month_of(today)
    days = []
    for name, text in (("from", first), ("to", last)):
        try:
            days.append(date.fromisoformat((text or "").strip()))
        except ValueError:
            raise UserError(
                T(
                    "Ngày `{text}` không đọc được: ghi dạng 2026-03-31",
                    "Cannot read the date `{text}`: write it as 2026-03-31",
                    text=text or "",
                ),
                field=name,
            ) from None
    period = Period(days[0], days[1])
    if period.first > period.last:
        raise UserError(
            T(
                "Ngày bắt đầu {first} sau ngày kết thúc {last}",
                "The first day {first} is after the last day {last}",
                first=period.first.strftime("%d/%m/%Y"),
                last=period.last.strftime("%d/%m/%Y"),
            ),
            field="from",
        )
    if period.days > MAX_DAYS:
        raise UserError(
            T(
                "Kỳ báo cáo dài quá 3 năm; chia thành nhiều kỳ",
                "A report period may be at most 3 years; split it",
            ),
            field="to",
        )
    return period
