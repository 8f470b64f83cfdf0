"""A ward's working calendar: national days and decisions, then its province's days, then its own.

Read from the calendar tables on every call and never cached, so an edit on the calendar
page applies to the very next request in every worker.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from motcua.calendar import CalendarOverride, Decision, OfficeHours, WorkCalendar
from motcua.calendar.decisions import layered, shipped_decisions
from motcua.db import database
from motcua.tenancy.models import CalendarDecision, Tenant
from motcua.tenancy.models import CalendarOverride as WardDay
from motcua.tenancy.models import ProvinceCalendarOverride as ProvinceDay

# The national decisions province IT loaded, the province's days, then the ward's (a later
# override wins), in one statement: this runs on every reception. Read on every call, never
# cached, so an edit applies to the next request in every worker.
_CALENDAR_SQL = (
    "SELECT 0, NULL, NULL, content FROM calendar_decision "
    "UNION ALL SELECT 1, day, working, note FROM province_calendar_override WHERE province_code = %s "
    "UNION ALL SELECT 2, day, working, note FROM calendar_override WHERE tenant_id = %s "
    "ORDER BY 1, 2"
)


def national_decisions() -> list[Decision]:
    """Return the national calendar decisions in force: those shipped with motcua, with the
    ones province IT loaded (``motcua calendar update``) over them, by document date."""
    return _in_force(row.content for row in CalendarDecision.select())


def _in_force(loaded_json: Iterable[Any]) -> list[Decision]:
    loaded = [Decision.from_dict(content) for content in loaded_json]
    return layered(shipped_decisions(), loaded)


def ward_calendar(tenant: Tenant, decisions: Sequence[Decision] | None = None) -> WorkCalendar:
    """Return ``tenant``'s working calendar: national days and decisions (``decisions``, or
    those in force), then the province's days, then its own."""
    cursor = database.execute_sql(
        _CALENDAR_SQL.replace("%s", database.obj.param), (tenant.province_code, tenant.id)
    )
    as_day, as_working = WardDay.day.python_value, WardDay.working.python_value
    rows = cursor.fetchall()
    days = [
        CalendarOverride(as_day(day), as_working(working), note)
        for layer, day, working, note in rows
        if layer
    ]
    hours = OfficeHours.parse(tenant.office_hours) if tenant.office_hours else OfficeHours()
    if decisions is None:
        as_json = CalendarDecision.content.python_value
        decisions = _in_force(as_json(content) for layer, _, _, content in rows if not layer)
    return WorkCalendar(days, hours, decisions=decisions)


def province_calendar(province_code: str) -> WorkCalendar:
    """Return the province's working calendar: national days, then the province's (the
    calendar a province-wide report counts working days on; wards may add their own)."""
    days = [
        CalendarOverride(row.day, row.working, row.note)
        for row in ProvinceDay.select()
        .where(ProvinceDay.province == province_code)
        .order_by(ProvinceDay.day)
    ]
    return WorkCalendar(days, OfficeHours(), decisions=national_decisions())
