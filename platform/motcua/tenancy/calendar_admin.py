"""Editing the working calendar and the province settings from the web page.

A ward's own days off and working days sit on top of the province's, which sit on top of
the national calendar (``holidays``, VN). Province settings hold the rules DOMAIN.md
leaves open per province (how a supplement request pauses the clock). Every change is
one transaction and audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from motcua.audit import audit
from motcua.calendar import WorkCalendar
from motcua.clock import today
from motcua.db import write_transaction
from motcua.errors import NotFound, UserError
from motcua.i18n import T, Text
from motcua.tenancy.models import CalendarOverride, Province, ProvinceCalendarOverride, Tenant
from motcua.tenancy.workdays import national_decisions, ward_calendar

MAX_NOTE = 200
PROVINCE_SETTINGS: dict[str, tuple[str, ...]] = {"supplement_rule": ("extend", "restart")}
SETTING_NAMES: dict[str, Text] = {
    "supplement_rule": T("Khi yêu cầu bổ sung hồ sơ", "When a supplement is requested"),
}
SETTING_VALUES: dict[str, Text] = {
    "extend": T(
        "Cộng thêm thời gian chờ bổ sung vào hạn", "Extend the due date by the waiting time"
    ),
    "restart": T(
        "Tính lại toàn bộ thời hạn từ khi nhận đủ", "Restart the full time limit once complete"
    ),
}


@dataclass(frozen=True)
class SpecialDay:
    """A day that differs from the usual week: a holiday, a swapped working Saturday, an override."""

    day: date
    working: bool
    label: str
    layer: str  # "national", "province" or "ward"


def _check_day(day: date, note: str) -> None:
    start = today()
    if not (start - timedelta(days=366) <= day <= start + timedelta(days=2 * 366)):
        raise UserError(
            T(
                "Chỉ sửa được ngày trong khoảng một năm trước đến hai năm tới",
                "Only days from a year ago to two years ahead can be set",
            ),
            field="day",
        )
    if len(note) > MAX_NOTE:
        raise UserError(
            T("Ghi chú tối đa {n} ký tự", "The note has at most {n} characters", n=MAX_NOTE),
            field="note",
        )


def set_ward_day(
    tenant: Tenant, day: date, working: bool, note: str, *, actor: Any
) -> CalendarOverride:
    """Make ``day`` a working day or a day off in ``tenant``; return the row (audited).

    :raises UserError: the day is out of range, the note too long, or the day already is
        what is asked (nothing to override).
    """
    _check_day(day, note)
    with write_transaction():
        row = CalendarOverride.get_or_none(
            CalendarOverride.tenant == tenant, CalendarOverride.day == day
        )
        if row is None:
            _refuse_if_no_change(ward_calendar(tenant), day, working)  # no ward row for the day yet
            row = CalendarOverride.create(
                tenant=tenant, day=day, working=working, note=note, source="web"
            )
        else:
            row.working, row.note, row.source = working, note, "web"
            row.save()
        audit(
            "calendar.ward_day",
            tenant=tenant,
            user=actor,
            target=day.isoformat(),
            working=working,
            note=note,
        )
    return row


def remove_ward_day(tenant: Tenant, day: date, *, actor: Any) -> None:
    """Remove ``tenant``'s own setting for ``day`` (audited); NotFound if there is none."""
    with write_transaction():
        deleted = (
            CalendarOverride.delete()
            .where(CalendarOverride.tenant == tenant, CalendarOverride.day == day)
            .execute()
        )
        if not deleted:
            raise NotFound(
                T(
                    "Phường/xã không có cài đặt riêng cho ngày {day}",
                    "The ward has no setting for {day}",
                    day=day.strftime("%d/%m/%Y"),
                )
            )
        audit("calendar.ward_day_removed", tenant=tenant, user=actor, target=day.isoformat())


def set_province_day(
    province: Province, day: date, working: bool, note: str, *, actor: Any
) -> ProvinceCalendarOverride:
    """Make ``day`` a working day or a day off in every ward of ``province`` (audited)."""
    _check_day(day, note)
    with write_transaction():
        row = ProvinceCalendarOverride.get_or_none(
            ProvinceCalendarOverride.province == province, ProvinceCalendarOverride.day == day
        )
        if row is None:
            _refuse_if_no_change(_province_calendar(province), day, working)
            row = ProvinceCalendarOverride.create(
                province=province, day=day, working=working, note=note, updated_by=actor.login
            )
        else:
            row.working, row.note, row.updated_by = working, note, actor.login
            row.save()
        audit(
            "calendar.province_day",
            user=actor,
            target=f"{province.code}:{day.isoformat()}",
            working=working,
            note=note,
        )
    return row


def remove_province_day(province: Province, day: date, *, actor: Any) -> None:
    """Remove the province's setting for ``day`` (audited); NotFound if there is none."""
    with write_transaction():
        deleted = (
            ProvinceCalendarOverride.delete()
            .where(
                ProvinceCalendarOverride.province == province, ProvinceCalendarOverride.day == day
            )
            .execute()
        )
        if not deleted:
            raise NotFound(
                T(
                    "Tỉnh không có cài đặt cho ngày {day}",
                    "The province has no setting for {day}",
                    day=day.strftime("%d/%m/%Y"),
                )
            )
        audit(
            "calendar.province_day_removed", user=actor, target=f"{province.code}:{day.isoformat()}"
        )


def set_province_setting(province: Province, name: str, value: str, *, actor: Any) -> None:
    """Set one province setting (see :data:`PROVINCE_SETTINGS`), audited.

    :raises UserError: unknown setting or value.
    """
    allowed = PROVINCE_SETTINGS.get(name)
    if allowed is None or value not in allowed:
        raise UserError(
            T(
                "Cài đặt `{name}` = `{value}` không hợp lệ",
                "Setting `{name}` = `{value}` is not valid",
                name=name,
                value=value,
            ),
            field=name,
        )
    with write_transaction():
        current = Province.get_by_id(province.code)
        settings = dict(current.settings or {})
        before = settings.get(name)
        settings[name] = value
        Province.update(settings=settings).where(Province.code == province.code).execute()
        audit(
            "province.setting",
            user=actor,
            target=f"{province.code}:{name}",
            before=before,
            after=value,
        )


def special_days(
    calendar: WorkCalendar, tenant: Tenant, start: date, days: int = 180, language: str = "vi"
) -> list[SpecialDay]:
    """Return the days in ``[start, start + days)`` that differ from the usual week, labelled
    in ``language``."""
    ward_days = {
        row.day: row for row in CalendarOverride.select().where(CalendarOverride.tenant == tenant)
    }
    province_days = {
        row.day: row
        for row in ProvinceCalendarOverride.select().where(
            ProvinceCalendarOverride.province == tenant.province_code
        )
    }
    found = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        working = calendar.is_working_day(day)
        usual = day.weekday() < 5
        if day in ward_days:
            found.append(SpecialDay(day, working, ward_days[day].note, "ward"))
        elif day in province_days:
            found.append(SpecialDay(day, working, province_days[day].note, "province"))
        elif working != usual:
            found.append(
                SpecialDay(day, working, calendar.holiday_name(day, language) or "", "national")
            )
    return found


def _province_calendar(province: Province) -> WorkCalendar:
    from motcua.calendar import CalendarOverride as Day

    rows = ProvinceCalendarOverride.select().where(ProvinceCalendarOverride.province == province)
    return WorkCalendar(
        [Day(row.day, row.working, row.note) for row in rows], decisions=national_decisions()
    )


def _refuse_if_no_change(calendar: WorkCalendar, day: date, working: bool) -> None:
    if calendar.is_working_day(day) == working:
        raise UserError(
            T(
                "Ngày {day} vốn đã là {what}; không cần đặt riêng",
                "{day} already is {what_en}; nothing to set",
                day=day.strftime("%d/%m/%Y"),
                what="ngày làm việc" if working else "ngày nghỉ",
                what_en="a working day" if working else "a day off",
            ),
            field="working",
        )
