"""The working calendar against the real 2026 Vietnamese calendar from ``holidays``."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import holidays
import pytest

from motcua.calendar import (
    CalendarOverride,
    Limit,
    OfficeHours,
    WorkCalendar,
    compute_due,
    extend_due,
    latest_apology_day,
    outcome,
    parse_limit,
)
from motcua.errors import UserError


@pytest.fixture(scope="module")
def calendar() -> WorkCalendar:
    return WorkCalendar()


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


# --- what holidays 0.109 says about 2026 -------------------------------------------------


@pytest.mark.parametrize(
    ("day", "name"),
    [
        ("2026-01-01", "Tết Dương lịch"),
        ("2026-02-16", "Giao thừa Tết Nguyên Đán"),  # Monday, 29 Tết
        ("2026-02-17", "Tết Nguyên Đán"),
        ("2026-02-20", "Mùng bốn Tết Nguyên Đán"),
        ("2026-04-27", "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"),  # 10/3 lunar is a Sunday
        ("2026-04-30", "Ngày Chiến thắng"),
        ("2026-05-01", "Ngày Quốc tế Lao động"),
        ("2026-08-31", "Ngày nghỉ (thay cho ngày 22/08/2026)"),  # swapped with Sat 22/8
        ("2026-09-01", "Quốc khánh"),
        ("2026-09-02", "Quốc khánh"),
        ("2026-11-24", "Ngày Văn hóa Việt Nam"),  # new from 2026
    ],
)
def test_days_off_2026(calendar: WorkCalendar, day: str, name: str) -> None:
    assert calendar.holiday_name(date.fromisoformat(day)) == name
    assert not calendar.is_working_day(date.fromisoformat(day))


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2026-02-13", True),  # Friday before Tết
        ("2026-02-14", False),  # plain Saturday
        ("2026-02-23", True),  # first day back after Tết
        ("2026-04-29", True),
        ("2026-05-04", True),
        ("2026-08-22", True),  # swapped working Saturday
        ("2026-08-29", False),
        ("2026-09-03", True),
        ("2026-11-23", True),
        ("2025-04-26", True),  # 2025 swap: Saturday worked for Friday 2/5
        ("2025-05-02", False),
    ],
)
def test_working_days(calendar: WorkCalendar, day: str, working: bool) -> None:
    assert calendar.is_working_day(date.fromisoformat(day)) is working


def test_plain_weekend_and_swapped_saturday_have_no_holiday_name(calendar: WorkCalendar) -> None:
    assert calendar.holiday_name(date(2026, 2, 14)) is None
    assert calendar.holiday_name(date(2026, 8, 22)) is None
    assert calendar.holiday_name(date(2026, 3, 10)) is None


def test_swap_announced_with_next_year_is_loaded() -> None:
    # Saturday 27/12/2014 was worked for Friday 2/1/2015; a fresh calendar asked about
    # 2014 first must still know it.
    assert WorkCalendar().is_working_day(date(2014, 12, 27))
    assert not WorkCalendar().is_working_day(date(2015, 1, 2))


def test_datetime_counts_as_its_date(calendar: WorkCalendar) -> None:
    assert not calendar.is_working_day(at("2026-02-17T09:00"))


# --- days ------------------------------------------------------------------------------


def test_next_and_previous_working_day(calendar: WorkCalendar) -> None:
    assert calendar.next_working_day(date(2026, 2, 13)) == date(2026, 2, 23)
    assert calendar.next_working_day(date(2026, 8, 21)) == date(2026, 8, 22)
    assert calendar.next_working_day(date(2026, 8, 28)) == date(2026, 9, 3)
    assert calendar.previous_working_day(date(2026, 2, 23)) == date(2026, 2, 13)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        ("2026-02-12", 2, "2026-02-23"),
        ("2026-04-29", 1, "2026-05-04"),
        ("2026-04-24", 1, "2026-04-28"),
        ("2026-08-21", 2, "2026-08-24"),
        ("2026-03-10", 0, "2026-03-10"),
        ("2026-02-23", -1, "2026-02-13"),
        ("2026-09-03", -1, "2026-08-28"),
    ],
)
def test_add_workdays(calendar: WorkCalendar, start: str, days: int, expected: str) -> None:
    start_day = date.fromisoformat(start)
    assert calendar.add_workdays(start_day, days) == date.fromisoformat(expected)
    assert calendar.workdays_between(start_day, date.fromisoformat(expected)) == days


def test_workdays_between_over_tet(calendar: WorkCalendar) -> None:
    # February 2026: 20 weekdays, 5 of them Tết.
    assert calendar.workdays_between(date(2026, 1, 31), date(2026, 2, 28)) == 15
    assert calendar.workdays_between(date(2026, 2, 28), date(2026, 1, 31)) == -15
    assert calendar.workdays_between(date(2026, 3, 10), date(2026, 3, 10)) == 0


# --- office hours ----------------------------------------------------------------------


def test_office_hours_default_and_parse() -> None:
    assert OfficeHours().hours_per_day == 8.0
    assert OfficeHours.parse(["07:00-11:30", "13:30-17:00"]) == OfficeHours()
    short = OfficeHours.parse(["7h30 - 11h30", "13:00–16:30"])
    assert short.periods == ((time(7, 30), time(11, 30)), (time(13, 0), time(16, 30)))
    assert short.hours_per_day == 7.5
    assert short.opening == time(7, 30)
    assert short.closing == time(16, 30)


@pytest.mark.parametrize(
    "spec",
    [
        [],
        ["7-11"],
        ["11:30-07:00"],
        ["13:30-17:00", "07:00-11:30"],
        ["07:00-12:00", "11:00-17:00"],
        ["25:00-26:00"],
    ],
)
def test_office_hours_refused(spec: list[str]) -> None:
    with pytest.raises(UserError) as caught:
        OfficeHours.parse(spec)
    assert caught.value.text.vi and caught.value.text.en
    assert caught.value.details == {"field": "office_hours"}


def test_add_working_time_skips_lunch_nights_and_holidays(calendar: WorkCalendar) -> None:
    assert calendar.add_working_time(at("2026-03-10T11:00"), 1) == at("2026-03-10T14:00")
    assert calendar.add_working_time(at("2026-03-10T11:00"), 0.5) == at("2026-03-10T11:30")
    assert calendar.add_working_time(at("2026-03-10T16:30"), Decimal("0.75")) == at(
        "2026-03-11T07:15"
    )
    assert calendar.add_working_time(at("2026-02-13T16:00"), 2) == at("2026-02-23T08:00")
    assert calendar.add_working_time(at("2026-03-10T12:00"), 0) == at("2026-03-10T12:00")
    assert calendar.add_working_time(at("2026-03-10T07:00"), 0.1) == at("2026-03-10T07:06")
    with pytest.raises(UserError):
        calendar.add_working_time(at("2026-03-10T07:00"), -1)


def test_working_time_between(calendar: WorkCalendar) -> None:
    assert calendar.working_time_between(
        at("2026-03-10T11:00"), at("2026-03-10T14:00")
    ) == timedelta(hours=1)
    assert calendar.working_time_between(
        at("2026-03-10T11:00"), at("2026-03-11T07:30")
    ) == timedelta(hours=4.5)
    assert calendar.working_time_between(
        at("2026-02-13T16:00"), at("2026-02-23T08:00")
    ) == timedelta(hours=2)
    assert calendar.working_time_between(
        at("2026-03-10T14:00"), at("2026-03-10T11:00")
    ) == -timedelta(hours=1)
    assert (
        calendar.working_time_between(at("2026-02-16T08:00"), at("2026-02-20T16:00")) == timedelta()
    )


def test_custom_office_hours_change_the_day() -> None:
    saturday_morning_office = WorkCalendar(
        office_hours=OfficeHours.parse(["07:30-11:30", "13:00-17:00"])
    )
    # 3d = 24 h of 07:30-11:30 + 13:00-17:00.
    due = compute_due(at("2026-03-10T14:00"), Limit("days", 3), saturday_morning_office)
    assert due == at("2026-03-13T14:00")
    half_days = WorkCalendar(office_hours=OfficeHours.parse(["08:00-12:00"]))
    assert compute_due(at("2026-03-10T10:00"), Limit("days", 1), half_days) == at(
        "2026-03-11T10:00"
    )


# --- limits and due moments ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3d", Limit("days", 3)),
        (" 15 D ", Limit("days", 15)),
        ("3 ngày", Limit("days", 3)),
        ("8h", Limit("hours", 8)),
        ("8 giờ", Limit("hours", 8)),
        ("same-day", Limit("same_day", 0)),
        ("Trong ngày", Limit("same_day", 0)),
    ],
)
def test_parse_limit(text: str, expected: Limit) -> None:
    assert parse_limit(text) == expected
    assert parse_limit(expected.spec) == expected


@pytest.mark.parametrize("text", ["0.5d", "1,5d", "3", "three days", "", "3w", "0d", "-2d"])
def test_parse_limit_refused(text: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_limit(text)
    assert caught.value.details == {"field": "limit"}
    assert caught.value.text.en


def test_half_day_hint() -> None:
    with pytest.raises(UserError) as caught:
        parse_limit("0.5d")
    assert "4h" in caught.value.text.render("en")
    assert "4h" in caught.value.text.render("vi")


def test_limit_describe() -> None:
    assert Limit("days", 3).describe().as_dict() == {
        "vi": "3 ngày làm việc",
        "en": "3 working days",
    }
    assert str(Limit("same_day").describe()) == "Trong ngày"
    with pytest.raises(UserError):
        Limit("same_day", 2)
    with pytest.raises(UserError):
        Limit("weeks", 1)  # type: ignore[arg-type]


DUE_CASES = [
    # Tết 2026: Friday 13/2 is the last working day, Monday 23/2 the first one back.
    ("2026-02-13T14:30", "3d", "2026-02-25T14:30"),
    ("2026-02-13T15:30", "3d", "2026-02-25T17:00"),  # after the cut-off: from 23/2 07:00
    ("2026-02-13T14:30", "1d", "2026-02-23T14:30"),
    ("2026-02-16T09:00", "1d", "2026-02-23T17:00"),  # received on 29 Tết (online)
    ("2026-02-14T10:00", "2d", "2026-02-24T17:00"),  # received on a Saturday
    ("2026-02-12T10:00", "5d", "2026-02-26T10:00"),
    ("2026-02-13T14:00", "4h", "2026-02-23T08:00"),
    # Hùng Kings observed on Monday 27/4, then the 30/4-1/5 long weekend.
    ("2026-04-24T10:00", "2d", "2026-04-29T10:00"),
    ("2026-04-29T10:00", "1d", "2026-05-04T10:00"),
    ("2026-04-29T16:00", "1d", "2026-05-04T17:00"),
    ("2026-04-28T14:00", "3d", "2026-05-05T14:00"),
    ("2026-05-01T09:00", "same-day", "2026-05-04T17:00"),
    # National Day 2026: Saturday 22/8 worked, Monday 31/8 off, 1-2/9 off.
    ("2026-08-21T10:00", "1d", "2026-08-22T10:00"),
    ("2026-08-22T09:00", "same-day", "2026-08-22T17:00"),
    ("2026-08-22T16:00", "1d", "2026-08-24T17:00"),
    ("2026-08-28T10:00", "1d", "2026-09-03T10:00"),
    ("2026-08-28T10:00", "8h", "2026-09-03T10:00"),
    # Culture Day, Tuesday 24/11/2026.
    ("2026-11-23T10:00", "1d", "2026-11-25T10:00"),
    ("2026-11-24T08:00", "same-day", "2026-11-25T17:00"),
    # New Year 2026 (văn bản 12729/VPCP-KGVX, 25/12/2025): 1-4/1 off, Friday 2/1 swapped
    # with Saturday 10/1, which holidays 0.109 does not know (tests/test_calendar_decisions.py).
    ("2025-12-31T10:00", "1d", "2026-01-05T10:00"),
    # The 15:00 cut-off on an ordinary week (Tuesday 10/3/2026).
    ("2026-03-10T15:00", "same-day", "2026-03-10T17:00"),
    ("2026-03-10T15:01", "same-day", "2026-03-11T17:00"),
    ("2026-03-13T16:00", "same-day", "2026-03-16T17:00"),
    ("2026-03-10T06:30", "same-day", "2026-03-10T17:00"),
    ("2026-03-10T07:00", "1d", "2026-03-10T17:00"),
    ("2026-03-10T15:30", "4h", "2026-03-11T11:00"),
    # Hour limits and the lunch break.
    ("2026-03-10T10:00", "8h", "2026-03-11T10:00"),
    ("2026-03-10T11:00", "1h", "2026-03-10T14:00"),
    ("2026-03-10T12:15", "4h", "2026-03-11T07:30"),
    ("2026-03-10T06:30", "4h", "2026-03-10T11:00"),
    ("2026-03-10T14:59", "4h", "2026-03-11T08:59"),
    ("2026-03-10T09:00", "5h", "2026-03-10T16:00"),
]


@pytest.mark.parametrize(("received", "limit", "due"), DUE_CASES)
def test_compute_due(calendar: WorkCalendar, received: str, limit: str, due: str) -> None:
    assert compute_due(at(received), parse_limit(limit), calendar) == at(due)


def test_cutoff_is_a_setting(calendar: WorkCalendar) -> None:
    same_day = Limit("same_day")
    assert compute_due(at("2026-03-10T16:30"), same_day, calendar, cutoff=time(16, 45)) == at(
        "2026-03-10T17:00"
    )
    # A cut-off after closing never gives a due moment before reception.
    assert compute_due(at("2026-03-10T17:15"), same_day, calendar, cutoff=time(18, 0)) == at(
        "2026-03-11T17:00"
    )
    three_days = Limit("days", 3)
    assert compute_due(at("2026-03-10T15:30"), three_days, calendar, cutoff=time(16, 0)) == at(
        "2026-03-13T15:30"
    )
    assert compute_due(at("2026-03-10T14:30"), three_days, calendar, cutoff=time(14, 0)) == at(
        "2026-03-13T17:00"
    )


# --- overrides -------------------------------------------------------------------------


def test_overrides_later_wins_province_then_ward() -> None:
    province = [
        CalendarOverride(date(2026, 3, 9), working=False, note="Nghỉ giả định của tỉnh"),
        CalendarOverride(date(2026, 2, 21), working=True, note="Làm bù giả định"),
    ]
    ward = [CalendarOverride(date(2026, 3, 9), working=True, note="Phường vẫn mở cửa")]
    province_only = WorkCalendar(province)
    assert not province_only.is_working_day(date(2026, 3, 9))
    assert province_only.holiday_name(date(2026, 3, 9)) == "Nghỉ giả định của tỉnh"
    assert province_only.is_working_day(date(2026, 2, 21))  # a Saturday during Tết leave
    both = WorkCalendar([*province, *ward])
    assert both.is_working_day(date(2026, 3, 9))
    assert both.holiday_name(date(2026, 3, 9)) is None
    assert [o.day for o in both.overrides] == [date(2026, 2, 21), date(2026, 3, 9)]
    assert both.overrides[1].note == "Phường vẫn mở cửa"
    # The Saturday now counts: 13/2 14:30 + 1d lands on 21/2.
    assert compute_due(at("2026-02-13T14:30"), Limit("days", 1), both) == at("2026-02-21T14:30")


def test_override_opens_a_holiday_and_closes_a_swapped_saturday() -> None:
    calendar = WorkCalendar(
        [
            CalendarOverride(date(2026, 11, 24), working=True),
            CalendarOverride(date(2026, 8, 22), working=False),
        ]
    )
    assert calendar.is_working_day(date(2026, 11, 24))
    assert calendar.holiday_name(date(2026, 11, 24)) is None
    assert not calendar.is_working_day(date(2026, 8, 22))
    assert calendar.holiday_name(date(2026, 8, 22)) == "Ngày nghỉ theo quyết định của địa phương"
    assert compute_due(at("2026-11-23T10:00"), Limit("days", 1), calendar) == at("2026-11-24T10:00")


def test_injected_country_holidays() -> None:
    no_holidays = WorkCalendar(country_holidays=holidays.HolidayBase())
    assert no_holidays.is_working_day(date(2026, 2, 17))
    assert not no_holidays.is_working_day(date(2026, 2, 14))


def test_calendar_without_working_days_fails_clearly() -> None:
    every_day_off = [
        CalendarOverride(date(2026, 1, 1) + timedelta(days=n), working=False) for n in range(800)
    ]
    with pytest.raises(UserError) as caught:
        WorkCalendar(every_day_off).next_working_day(date(2026, 1, 1))
    assert "ngày làm việc" in caught.value.text.vi


# --- supplement pause ------------------------------------------------------------------


def test_extend_adds_the_waiting_office_time(calendar: WorkCalendar) -> None:
    five_days = Limit("days", 5)
    due = compute_due(at("2026-03-02T09:00"), five_days, calendar)
    assert due == at("2026-03-09T09:00")
    # Waiting 4/3 10:00 to 6/3 14:00 is 5 h + 8 h + 5 h = 18 office hours.
    extended = extend_due(
        due,
        at("2026-03-04T10:00"),
        at("2026-03-06T14:00"),
        calendar,
        rule="extend",
        limit=five_days,
    )
    assert extended == at("2026-03-11T11:00")


def test_restart_counts_the_full_limit_again(calendar: WorkCalendar) -> None:
    five_days = Limit("days", 5)
    due = at("2026-03-09T09:00")
    restarted = extend_due(
        due,
        at("2026-03-04T10:00"),
        at("2026-03-06T14:00"),
        calendar,
        rule="restart",
        limit=five_days,
    )
    assert restarted == at("2026-03-13T14:00")
    late_supplement = extend_due(
        due,
        at("2026-03-04T10:00"),
        at("2026-03-06T16:00"),
        calendar,
        rule="restart",
        limit=five_days,
    )
    assert late_supplement == at("2026-03-13T17:00")


def test_extend_over_the_long_weekend(calendar: WorkCalendar) -> None:
    # Waiting 29/4 15:00 to 4/5 09:00 is only 2 h + 2 h of office time.
    extended = extend_due(
        at("2026-05-05T10:00"),
        at("2026-04-29T15:00"),
        at("2026-05-04T09:00"),
        calendar,
        rule="extend",
        limit=Limit("days", 3),
    )
    assert extended == at("2026-05-05T16:00")


def test_pause_refused(calendar: WorkCalendar) -> None:
    with pytest.raises(UserError) as caught:
        extend_due(
            at("2026-03-09T09:00"),
            at("2026-03-06T10:00"),
            at("2026-03-04T10:00"),
            calendar,
            rule="extend",
            limit=Limit("days", 5),
        )
    assert caught.value.details == {"field": "paused_to"}
    with pytest.raises(UserError) as caught:
        extend_due(
            at("2026-03-09T09:00"),
            at("2026-03-04T10:00"),
            at("2026-03-06T10:00"),
            calendar,
            rule="pause",
            limit=Limit("days", 5),
        )  # type: ignore[arg-type]
    assert caught.value.details == {"field": "rule"}


# --- outcome and apology ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "resolved", "expected"),
    [
        ("2026-02-25T14:30", "2026-02-24T16:00", "early"),
        ("2026-02-25T14:30", "2026-02-25T08:00", "on_time"),
        ("2026-02-25T14:30", "2026-02-25T14:30", "on_time"),
        ("2026-02-25T14:30", "2026-02-25T14:31", "late"),
        ("2026-02-25T14:30", "2026-03-02T09:00", "late"),
        ("2026-05-04T10:00", "2026-04-29T16:00", "early"),
    ],
)
def test_outcome(due: str, resolved: str, expected: str) -> None:
    assert outcome(at(due), at(resolved)) == expected


@pytest.mark.parametrize(
    ("due", "apology_by"),
    [
        ("2026-02-25T14:30", "2026-02-24"),
        ("2026-02-23T14:30", "2026-02-13"),
        ("2026-05-04T10:00", "2026-04-29"),
        ("2026-09-03T10:00", "2026-08-28"),
        ("2026-08-24T17:00", "2026-08-22"),  # the swapped working Saturday counts
    ],
)
def test_latest_apology_day(calendar: WorkCalendar, due: str, apology_by: str) -> None:
    assert latest_apology_day(at(due), calendar) == date.fromisoformat(apology_by)


def test_a_long_working_time_is_counted_not_blamed_on_the_calendar():
    calendar = WorkCalendar()
    start = datetime(2026, 3, 2, 9, 0)
    far = calendar.add_working_time(start, 5000)  # more than 400 working days
    assert calendar.working_time_between(start, far) == timedelta(hours=5000)


@pytest.mark.parametrize("text", ["251d", "2001h", "99999d"])
def test_limits_longer_than_a_working_year_are_refused(text):
    with pytest.raises(UserError) as caught:
        parse_limit(text)
    assert "quá dài" in caught.value.text.render("vi")
    assert parse_limit("250d").amount == 250
