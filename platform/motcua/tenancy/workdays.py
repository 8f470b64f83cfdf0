"""A ward's working calendar: national days, then its province's days, then its own.

Read from the calendar tables on every call and never cached, so an edit on the calendar
page applies to the very next request in every worker.
"""

from __future__ import annotations

from motcua.calendar import CalendarOverride, OfficeHours, WorkCalendar
from motcua.db import database
from motcua.tenancy.models import CalendarOverride as WardDay
from motcua.tenancy.models import ProvinceCalendarOverride as ProvinceDay
from motcua.tenancy.models import Tenant

# The province's days, then the ward's (a later override wins), in one statement: this runs
# on every reception. Read on every call, never cached, so an edit applies to the next request.
_OVERRIDES_SQL = (
    "SELECT 0, day, working, note FROM province_calendar_override WHERE province_code = %s "
    "UNION ALL SELECT 1, day, working, note FROM calendar_override WHERE tenant_id = %s "
    "ORDER BY 1, 2"
)


def ward_calendar(tenant: Tenant) -> WorkCalendar:
    """Return ``tenant``'s working calendar: national days, then the province's, then its own."""
    cursor = database.execute_sql(
        _OVERRIDES_SQL.replace("%s", database.obj.param), (tenant.province_code, tenant.id)
    )
    as_day, as_working = WardDay.day.python_value, WardDay.working.python_value
    days = [
        CalendarOverride(as_day(day), as_working(working), note)
        for _layer, day, working, note in cursor.fetchall()
    ]
    hours = OfficeHours.parse(tenant.office_hours) if tenant.office_hours else OfficeHours()
    return WorkCalendar(days, hours)


def province_calendar(province_code: str) -> WorkCalendar:
    """Return the province's working calendar: national days, then the province's (the
    calendar a province-wide report counts working days on; wards may add their own)."""
    days = [
        CalendarOverride(row.day, row.working, row.note)
        for row in ProvinceDay.select()
        .where(ProvinceDay.province == province_code)
        .order_by(ProvinceDay.day)
    ]
    return WorkCalendar(days, OfficeHours())
