"""Date functions: the clock, building and splitting dates, calendar and working days."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from motcua.expressions.context import EvalContext, WorkdayCalendar
from motcua.expressions.errors import ExpressionError
from motcua.expressions.library import FunctionInfo, builtin
from motcua.expressions.types import ValueType
from motcua.expressions.values import as_date, as_integer, as_text, is_blank
from motcua.i18n import T

N, TX, D, DT = ValueType.NUMBER, ValueType.TEXT, ValueType.DATE, ValueType.DATETIME

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_VIETNAMESE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def _day(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


def _make_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError as error:
        raise ExpressionError(
            T(
                "Ngày {day}/{month}/{year} không có thật",
                "{day}/{month}/{year} is not a real date",
                day=day,
                month=month,
                year=year,
            )
        ) from error


def make_date(*args: Any) -> date | None:
    """``date("2026-01-31")``, ``date("31/01/2026")`` or ``date(2026, 1, 31)``."""
    if len(args) == 1:
        if isinstance(args[0], date):
            return _day(args[0])
        text = as_text(args[0], "`date`")
        if text is None:
            return None
        text = text.strip()
        if match := _ISO.fullmatch(text):
            year, month, day = (int(part) for part in match.groups())
        elif match := _VIETNAMESE.fullmatch(text):
            day, month, year = (int(part) for part in match.groups())
        else:
            raise ExpressionError(
                T(
                    "`{text}` không phải ngày; viết dạng 2026-01-31 hoặc 31/01/2026",
                    "`{text}` is not a date; write it as 2026-01-31 or 31/01/2026",
                    text=text[:40],
                )
            )
        return _make_date(year, month, day)
    parts = [as_integer(arg, "`date`") for arg in args]
    if any(part is None for part in parts):
        return None
    year, month, day = parts
    return _make_date(year, month, day)  # type: ignore[arg-type]


def _part(attribute: str) -> Any:
    def part(value: Any) -> int | None:
        day = as_date(value, f"`{attribute}`")
        return None if day is None else getattr(day, attribute)

    return part


def age(context: EvalContext, birth: Any, on: Any = None) -> int | None:
    """Full years from ``birth`` to ``on`` (today by default)."""
    born = as_date(birth, "`age`")
    when = context.today if is_blank(on) else as_date(on, "`age`")
    if born is None or when is None:
        return None
    born, when = _day(born), _day(when)
    return when.year - born.year - ((when.month, when.day) < (born.month, born.day))


def days_between(start: Any, end: Any) -> int | None:
    """Calendar days from ``start`` to ``end`` (negative when ``end`` is earlier)."""
    first, last = as_date(start, "`days_between`"), as_date(end, "`days_between`")
    if first is None or last is None:
        return None
    return (_day(last) - _day(first)).days


def add_days(start: Any, days: Any) -> date | None:
    """``start`` plus ``days`` calendar days (a date-time keeps its time)."""
    first, count = as_date(start, "`add_days`"), as_integer(days, "`add_days`")
    if first is None or count is None:
        return None
    try:
        return first + timedelta(days=count)
    except OverflowError as error:
        raise _out_of_range() from error


def _out_of_range() -> ExpressionError:
    return ExpressionError(
        T("Ngày kết quả nằm ngoài khoảng cho phép", "The resulting date is out of range")
    )


def _calendar(context: EvalContext, name: str) -> WorkdayCalendar:
    if context.calendar is None:
        raise ExpressionError(
            T(
                "`{name}` cần lịch làm việc của phường, nhưng chưa có lịch nào được cấu hình",
                "`{name}` needs the ward's working calendar, but none is configured",
                name=name,
            )
        )
    return context.calendar


def add_workdays(context: EvalContext, start: Any, days: Any) -> date | None:
    """``start`` plus ``days`` working days by the tenant's calendar."""
    calendar = _calendar(context, "add_workdays")
    first, count = as_date(start, "`add_workdays`"), as_integer(days, "`add_workdays`")
    if first is None or count is None:
        return None
    try:
        return calendar.add_workdays(_day(first), count)
    except OverflowError as error:
        raise _out_of_range() from error


def workdays_between(context: EvalContext, start: Any, end: Any) -> int | None:
    """Working days from ``start`` to ``end`` by the tenant's calendar."""
    calendar = _calendar(context, "workdays_between")
    first, last = as_date(start, "`workdays_between`"), as_date(end, "`workdays_between`")
    if first is None or last is None:
        return None
    return calendar.workdays_between(_day(first), _day(last))


def date_functions() -> list[FunctionInfo]:
    """Return the built-in date functions."""
    return [
        builtin(
            "today",
            lambda context: context.today,
            [()],
            D,
            T("Ngày hôm nay (theo đồng hồ của lần tính)", "Today's date (the evaluation's clock)"),
            "today()",
            needs_context=True,
        ),
        builtin(
            "now",
            lambda context: context.now,
            [()],
            DT,
            T("Ngày giờ hiện tại", "The current date and time"),
            "now()",
            needs_context=True,
        ),
        builtin(
            "date",
            make_date,
            [(TX,), (N, N, N)],
            D,
            T(
                "Tạo ngày từ chuỗi 2026-01-31 hoặc 31/01/2026, hoặc từ năm, tháng, ngày",
                "A date from text 2026-01-31 or 31/01/2026, or from year, month, day",
            ),
            'date("2026-01-31")',
        ),
        builtin(
            "year",
            _part("year"),
            [(D,)],
            N,
            T("Năm của ngày", "The year of a date"),
            "year(ngay_sinh)",
        ),
        builtin(
            "month",
            _part("month"),
            [(D,)],
            N,
            T("Tháng của ngày", "The month of a date"),
            "month(ngay_sinh)",
        ),
        builtin(
            "day",
            _part("day"),
            [(D,)],
            N,
            T("Ngày trong tháng", "The day of the month"),
            "day(ngay_sinh)",
        ),
        builtin(
            "age",
            age,
            [(D,), (D, D)],
            N,
            T(
                "Số tuổi tròn tính đến hôm nay hoặc đến ngày thứ hai",
                "Full years of age until today, or until the second date",
            ),
            "age(ngay_sinh) >= 18",
            needs_context=True,
        ),
        builtin(
            "days_between",
            days_between,
            [(D, D)],
            N,
            T("Số ngày lịch từ a đến b", "Calendar days from a to b"),
            "days_between(ngay_cap, today())",
        ),
        builtin(
            "add_days",
            add_days,
            [(D, N)],
            D,
            T("Ngày d cộng thêm n ngày lịch", "Date d plus n calendar days"),
            "add_days(ngay_nhan, 15)",
        ),
        builtin(
            "add_workdays",
            add_workdays,
            [(D, N)],
            D,
            T(
                "Ngày d cộng thêm n ngày làm việc theo lịch của phường",
                "Date d plus n working days by the ward's calendar",
            ),
            "add_workdays(today(), 3)",
            needs_context=True,
        ),
        builtin(
            "workdays_between",
            workdays_between,
            [(D, D)],
            N,
            T(
                "Số ngày làm việc từ a đến b theo lịch của phường",
                "Working days from a to b by the ward's calendar",
            ),
            "workdays_between(ngay_nhan, ngay_hen)",
            needs_context=True,
        ),
    ]
