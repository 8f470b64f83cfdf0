"""Office hours: the periods of a working day during which deadlines run."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from motcua.errors import UserError
from motcua.i18n import T

_PERIOD = re.compile(r"^\s*(\d{1,2})[:hH](\d{2})\s*[-–—]\s*(\d{1,2})[:hH](\d{2})\s*$")

# The default of most provinces: 07:00-11:30 and 13:30-17:00, 8 hours a day (practice).
DEFAULT_PERIODS: tuple[tuple[time, time], ...] = (
    (time(7, 0), time(11, 30)),
    (time(13, 30), time(17, 0)),
)


@dataclass(frozen=True)
class OfficeHours:
    """The office periods of one working day, in order, e.g. morning and afternoon.

    :raises UserError: if there is no period, a period ends before it starts, or two
        periods overlap or are out of order.
    """

    periods: tuple[tuple[time, time], ...] = DEFAULT_PERIODS

    def __post_init__(self) -> None:
        if not self.periods:
            raise UserError(
                T("Giờ làm việc phải có ít nhất một buổi", "Office hours need at least one period"),
                field="office_hours",
            )
        previous_end: time | None = None
        for opens, closes in self.periods:
            if closes <= opens:
                raise UserError(
                    T(
                        "Buổi làm việc {opens}-{closes} kết thúc trước khi bắt đầu",
                        "The office period {opens}-{closes} ends before it starts",
                        opens=opens.strftime("%H:%M"),
                        closes=closes.strftime("%H:%M"),
                    ),
                    field="office_hours",
                )
            if previous_end is not None and opens < previous_end:
                raise UserError(
                    T(
                        "Các buổi làm việc phải theo thứ tự và không chồng lên nhau (buổi bắt đầu lúc {opens})",
                        "Office periods must be in order and must not overlap (the one starting at {opens})",
                        opens=opens.strftime("%H:%M"),
                    ),
                    field="office_hours",
                )
            previous_end = closes

    @classmethod
    def parse(cls, spec: list[str]) -> OfficeHours:
        """Return office hours read from settings such as ``["07:00-11:30", "13:30-17:00"]``.

        ``07h00-11h30`` is accepted too.

        :raises UserError: if a period is not written ``HH:MM-HH:MM`` or the periods are
            invalid (see the class).
        """
        periods = []
        for item in spec:
            match = _PERIOD.match(item)
            if match is None:
                raise UserError(
                    T(
                        "Không đọc được buổi làm việc '{item}': hãy ghi dạng 07:00-11:30",
                        "Cannot read the office period '{item}': write it like 07:00-11:30",
                        item=item,
                    ),
                    field="office_hours",
                )
            h1, m1, h2, m2 = (int(group) for group in match.groups())
            try:
                periods.append((time(h1, m1), time(h2, m2)))
            except ValueError:
                raise UserError(
                    T(
                        "Giờ không hợp lệ trong buổi làm việc '{item}'",
                        "Invalid time in the office period '{item}'",
                        item=item,
                    ),
                    field="office_hours",
                ) from None
        return cls(tuple(periods))

    @property
    def day_length(self) -> timedelta:
        """Return the working time in one working day (8 hours by default)."""
        return sum((_span(opens, closes) for opens, closes in self.periods), timedelta())

    @property
    def hours_per_day(self) -> float:
        """Return the working hours in one working day (8.0 by default)."""
        return self.day_length / timedelta(hours=1)

    @property
    def opening(self) -> time:
        """Return when the first period of the day opens."""
        return self.periods[0][0]

    @property
    def closing(self) -> time:
        """Return when the last period of the day closes (the end of office hours)."""
        return self.periods[-1][1]


def _span(opens: time, closes: time) -> timedelta:
    day = datetime(2000, 1, 1)
    return datetime.combine(day, closes) - datetime.combine(day, opens)
