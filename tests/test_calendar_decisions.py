"""The Government's calendar decisions layered over ``holidays`` and under local days."""

from __future__ import annotations

from datetime import date, datetime

import holidays
import pytest

from motcua.calendar import (
    CalendarOverride,
    Decision,
    WorkCalendar,
    compute_due,
    parse_decisions,
    parse_limit,
    shipped_decisions,
)
from motcua.calendar.decisions import layered
from motcua.errors import UserError

NEW_YEAR_2026 = "12729/VPCP-KGVX"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_holidays_alone_misses_the_new_year_2026_swap() -> None:
    # Why the decisions file exists: the package treats 2/1 as working and 10/1 as a day off.
    table = holidays.country_holidays("VN", years=2026)
    assert date(2026, 1, 2) not in table
    assert date(2026, 1, 10) not in table.weekend_workdays
    plain = WorkCalendar(decisions=())
    assert plain.is_working_day(date(2026, 1, 2))
    assert not plain.is_working_day(date(2026, 1, 10))


def test_the_shipped_file_cites_the_new_year_2026_decision() -> None:
    decision = {d.number: d for d in shipped_decisions()}[NEW_YEAR_2026]
    assert decision.issued == date(2025, 12, 25)
    assert decision.days_off == (date(2026, 1, 2),)
    assert decision.working_days == (date(2026, 1, 10),)
    assert decision.source.startswith("https://")


# The three New Year 2026 cases of văn bản 12729/VPCP-KGVX (25/12/2025).
def test_new_year_2026_friday_2_january_is_a_day_off() -> None:
    calendar = WorkCalendar()
    assert not calendar.is_working_day(date(2026, 1, 2))
    assert NEW_YEAR_2026 in (calendar.holiday_name(date(2026, 1, 2)) or "")
    assert NEW_YEAR_2026 in (calendar.holiday_name(date(2026, 1, 2), "en") or "")
    assert calendar.decision_on(date(2026, 1, 2)).number == NEW_YEAR_2026  # type: ignore[union-attr]
    assert calendar.next_working_day(date(2025, 12, 31)) == date(2026, 1, 5)


def test_new_year_2026_saturday_10_january_is_a_working_day() -> None:
    calendar = WorkCalendar()
    assert calendar.is_working_day(date(2026, 1, 10))
    assert calendar.holiday_name(date(2026, 1, 10)) is None
    assert not calendar.is_working_day(date(2026, 1, 17))  # the next Saturday is plain
    assert calendar.next_working_day(date(2026, 1, 9)) == date(2026, 1, 10)


def test_new_year_2026_two_day_limit_from_31_december_1400_is_due_6_january_1400() -> None:
    calendar = WorkCalendar()
    received = at("2025-12-31T14:00")
    assert compute_due(received, parse_limit("2d"), calendar) == at("2026-01-06T14:00")
    # Without the decision it would be 5/1 14:00: the wrong, package-only answer.
    assert compute_due(received, parse_limit("2d"), WorkCalendar(decisions=())) == at(
        "2026-01-05T14:00"
    )


def test_province_and_ward_days_still_win_over_a_decision() -> None:
    local = [CalendarOverride(date(2026, 1, 2), working=True, note="trực Tết")]
    calendar = WorkCalendar(local)
    assert calendar.is_working_day(date(2026, 1, 2))
    assert calendar.is_working_day(date(2026, 1, 10))  # the decision still holds elsewhere


def test_a_later_loaded_decision_replaces_the_shipped_one_with_its_number() -> None:
    correction = Decision(
        NEW_YEAR_2026, date(2025, 12, 26), "Sửa", "Correction", "https://example.org/a",
        days_off=(date(2026, 1, 2),), working_days=(date(2026, 1, 17),),
    )
    merged = layered(shipped_decisions(), [correction])
    assert [d for d in merged if d.number == NEW_YEAR_2026] == [correction]
    calendar = WorkCalendar(decisions=merged)
    assert calendar.is_working_day(date(2026, 1, 17))
    assert not calendar.is_working_day(date(2026, 1, 10))


DECISION_TOML = """
[[decision]]
number = "1/TEST"
issued = 2026-12-01
name = "Nghỉ thử"
source = "https://example.org/1"
days_off = [2026-12-31]
working_days = [2027-01-09]
"""


def test_parse_decisions_reads_the_file_format() -> None:
    [decision] = parse_decisions(DECISION_TOML)
    assert decision.number == "1/TEST"
    assert decision.name_en == "Nghỉ thử"  # falls back to the Vietnamese name
    assert Decision.from_dict(decision.as_dict()) == decision


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not toml = [", "not valid TOML"),
        ("x = 1", "no [[decision]]"),
        (DECISION_TOML.replace('number = "1/TEST"\n', ""), "`number` is missing"),
        (DECISION_TOML.replace("issued = 2026-12-01", 'issued = "1/12"'), "is not a date"),
        (DECISION_TOML.replace("2027-01-09", "2026-12-31"), "both a day off and a working day"),
        (DECISION_TOML + DECISION_TOML, "appears twice"),
        (
            DECISION_TOML.replace("days_off = [2026-12-31]\nworking_days = [2027-01-09]", ""),
            "names no day",
        ),
    ],
)
def test_parse_decisions_refuses_bad_files(text: str, message: str) -> None:
    with pytest.raises(UserError) as raised:
        parse_decisions(text)
    assert message in raised.value.text.render("en")
