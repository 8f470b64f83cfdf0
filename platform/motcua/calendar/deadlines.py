"""Legal time limits: reading them, computing due moments, pauses and outcomes.

The rules are written out in the package docstring (:mod:`motcua.calendar`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Literal

from motcua.calendar.work_calendar import WorkCalendar
from motcua.errors import UserError
from motcua.i18n import T, Text

LimitKind = Literal["days", "hours", "same_day"]
PauseRule = Literal["extend", "restart"]
Outcome = Literal["early", "on_time", "late"]

# The transfer cut-off of practice (DOMAIN.md "Record lifecycle" 2); a tenant setting.
DEFAULT_CUTOFF = time(15, 0)
_MICROSECONDS_PER_HOUR = Decimal(3_600_000_000)

_SAME_DAY = frozenset({"same-day", "same_day", "sameday", "trongngày", "trongngay"})
_AMOUNT = re.compile(r"^(\d+(?:[.,]\d+)?)(d|day|days|ngày|ngay|h|hour|hours|giờ|gio)$")
_DAY_UNITS = frozenset({"d", "day", "days", "ngày", "ngay"})


@dataclass(frozen=True)
class Limit:
    """A procedure's legal time limit: N working days, N working hours, or the same day.

    ``amount`` is at least 1 for days and hours, and 0 for ``same_day``.

    :raises UserError: if the amount does not suit the kind.
    """

    kind: LimitKind
    amount: int = 0

    def __post_init__(self) -> None:
        if self.kind not in ("days", "hours", "same_day"):
            raise UserError(
                T(
                    "Loại thời hạn '{kind}' không tồn tại: dùng days, hours hoặc same_day",
                    "There is no time limit kind '{kind}': use days, hours or same_day",
                    kind=self.kind,
                ),
                field="limit",
            )
        if self.kind == "same_day" and self.amount != 0:
            raise UserError(
                T(
                    "Thời hạn trong ngày không kèm số lượng",
                    "A same-day limit takes no amount",
                ),
                field="limit",
            )
        if self.kind != "same_day" and self.amount < 1:
            raise UserError(
                T(
                    "Thời hạn phải ít nhất là 1 (giải quyết ngay thì dùng same-day)",
                    "A time limit is at least 1 (use same-day for immediate handling)",
                ),
                field="limit",
            )

    @property
    def spec(self) -> str:
        """Return the text :func:`parse_limit` reads back: "3d", "8h" or "same-day"."""
        if self.kind == "same_day":
            return "same-day"
        return f"{self.amount}{'d' if self.kind == 'days' else 'h'}"

    def describe(self) -> Text:
        """Return the limit as printed on a receipt, e.g. "3 ngày làm việc"."""
        if self.kind == "same_day":
            return T("Trong ngày", "Same day")
        if self.kind == "days":
            return T("{n} ngày làm việc", "{n} working days", n=self.amount)
        return T("{n} giờ làm việc", "{n} working hours", n=self.amount)


# No administrative procedure takes a year of working days; a longer limit is a typo.
MAX_LIMIT_DAYS = 250


def parse_limit(text: str) -> Limit:
    """Return the limit written as "3d", "8h" or "same-day" (also "3 ngày", "8 giờ", "trong ngày").

    :raises UserError: for anything else, including fractions of a day ("0.5d": write the
        hours, "4h", instead, since the length of a day is a per-office setting).
    """
    compact = "".join(unicodedata.normalize("NFC", text).lower().split())
    if compact in _SAME_DAY:
        return Limit("same_day", 0)
    match = _AMOUNT.match(compact)
    if match is None:
        raise UserError(
            T(
                "Không đọc được thời hạn '{text}': ghi ví dụ 3d (3 ngày làm việc), 8h (8 giờ làm việc) hoặc same-day (trong ngày)",
                "Cannot read the time limit '{text}': write e.g. 3d (3 working days), 8h (8 working hours) or same-day",
                text=text,
            ),
            field="limit",
        )
    number, unit = match.groups()
    if not number.isdigit():
        raise UserError(
            T(
                "Thời hạn '{text}' phải là số nguyên; nửa ngày hãy ghi theo giờ, ví dụ 4h",
                "The time limit '{text}' must be a whole number; write half a day in hours, e.g. 4h",
                text=text,
            ),
            field="limit",
        )
    kind, amount = ("days" if unit in _DAY_UNITS else "hours"), int(number)
    if amount > (MAX_LIMIT_DAYS if kind == "days" else MAX_LIMIT_DAYS * 8):
        raise UserError(
            T(
                "Thời hạn '{text}' quá dài: tối đa {days} ngày làm việc ({hours} giờ)",
                "The time limit '{text}' is too long: at most {days} working days ({hours} hours)",
                text=text,
                days=MAX_LIMIT_DAYS,
                hours=MAX_LIMIT_DAYS * 8,
            ),
            field="limit",
        )
    return Limit(kind, amount)


def compute_due(
    received_at: datetime,
    limit: Limit,
    calendar: WorkCalendar,
    *,
    cutoff: time = DEFAULT_CUTOFF,
) -> datetime:
    """Return the due moment of a dossier received at ``received_at``.

    :raises UserError: if the calendar has no working day within a year.
    """
    day = received_at.date()
    in_time = calendar.is_working_day(day) and received_at.time() <= cutoff
    if limit.kind == "same_day":
        # Decree 23/2015 art. 20: certification the same day, or the next working day
        # when the request comes after the cut-off (or after closing, if the cut-off is later).
        closing = calendar.office_hours.closing
        due_day = (
            day if in_time and received_at.time() < closing else calendar.next_working_day(day)
        )
        return datetime.combine(due_day, closing)
    start = received_at
    if not in_time and calendar.is_working_day(day):
        # After the cut-off the dossier moves at the start of the next working day.
        start = datetime.combine(calendar.next_working_day(day), calendar.office_hours.opening)
    if limit.kind == "days":
        # N days are N times the office day, counted from the start moment (practice:
        # 8 h = 1 day), so 14:30 + 3d is 14:30 three working days later.
        return calendar.add_working_time(
            start, limit.amount * _hours(calendar.office_hours.day_length)
        )
    return calendar.add_working_time(start, Decimal(limit.amount))


def extend_due(
    due_at: datetime,
    paused_from: datetime,
    paused_to: datetime,
    calendar: WorkCalendar,
    *,
    rule: PauseRule,
    limit: Limit,
    cutoff: time = DEFAULT_CUTOFF,
) -> datetime:
    """Return the due moment after a pause to supplement the dossier.

    ``rule="extend"`` adds the office time spent waiting (``paused_from`` to
    ``paused_to``) to ``due_at``; ``rule="restart"`` counts the full ``limit`` again from
    ``paused_to`` as if the dossier were received then (cut-off included).

    :raises UserError: if the pause ends before it starts or the rule is unknown.
    """
    if paused_to < paused_from:
        raise UserError(
            T(
                "Thời điểm nhận bổ sung ({paused_to}) trước thời điểm yêu cầu bổ sung ({paused_from})",
                "The supplement arrived ({paused_to}) before it was requested ({paused_from})",
                paused_to=paused_to.strftime("%H:%M %d/%m/%Y"),
                paused_from=paused_from.strftime("%H:%M %d/%m/%Y"),
            ),
            field="paused_to",
        )
    if rule == "extend":
        waited = calendar.working_time_between(paused_from, paused_to)
        return calendar.add_working_time(due_at, _hours(waited))
    if rule == "restart":
        return compute_due(paused_to, limit, calendar, cutoff=cutoff)
    raise UserError(
        T(
            "Cách tính lại thời hạn '{rule}' không tồn tại: dùng extend (cộng thời gian chờ) hoặc restart (tính lại từ đầu)",
            "There is no pause rule '{rule}': use extend (add the waiting time) or restart (count the limit again)",
            rule=rule,
        ),
        field="rule",
    )


def outcome(due_at: datetime, resolved_at: datetime) -> Outcome:
    """Return "early" if resolved before the due date, "late" if after ``due_at``, else "on_time"."""
    if resolved_at > due_at:
        return "late"
    if resolved_at.date() < due_at.date():
        return "early"
    return "on_time"


def latest_apology_day(due_at: datetime, calendar: WorkCalendar) -> date:
    """Return the last day the apology may be issued: the working day before the due date.

    The processing unit must issue the apology (Circular 03/2025 form 04, apology and
    request to extend) at least one working day before the due date.

    :raises UserError: if the calendar has no working day within a year.
    """
    return calendar.previous_working_day(due_at.date())


def _hours(span: timedelta) -> Decimal:
    return Decimal(span // timedelta(microseconds=1)) / _MICROSECONDS_PER_HOUR
