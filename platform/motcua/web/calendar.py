"""The ward's working calendar page: national, province and ward days; province settings.

Everyone in the ward sees the calendar (due dates depend on it); ward admins set the
ward's own days; province and platform admins set the province's days and settings.
"""

from __future__ import annotations

from datetime import date

from flask import Flask, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from motcua.clock import today
from motcua.errors import Forbidden, UserError
from motcua.i18n import T
from motcua.tenancy import calendar_admin as admin
from motcua.tenancy.models import CalendarOverride, ProvinceCalendarOverride
from motcua.tenancy.workdays import ward_calendar
from motcua.web.context import current_language
from motcua.web.shell import WardArea, add_ward_area
from motcua.web.tenancy import requires, tenant_blueprint

bp = tenant_blueprint("calendar", __name__, "/lich")
PROVINCE_ROLES = {"province_admin", "platform_admin"}
WEEKDAYS = {
    "vi": ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}


def _day(field: str = "day") -> date:
    text = (request.form.get(field) or "").strip()
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise UserError(
            T(
                "Ngày `{text}` không hợp lệ (dùng lịch chọn ngày)",
                "`{text}` is not a valid date",
                text=text,
            ),
            field=field,
        ) from exc


def _working() -> bool:
    value = request.form.get("working")
    if value not in {"0", "1"}:
        raise UserError(
            T("Chọn ngày làm việc hay ngày nghỉ", "Choose working day or day off"), field="working"
        )
    return value == "1"


def _require_province_admin() -> None:
    if g.role not in PROVINCE_ROLES:
        raise Forbidden(
            T(
                "Chỉ quản trị tỉnh được sửa lịch và cài đặt của tỉnh",
                "Only province admins may change the province's calendar and settings",
            )
        )


@bp.get("/")
@requires("ward.view")
def index() -> ResponseReturnValue:
    """The calendar of the coming six months and the forms to change it."""
    tenant = g.tenant
    calendar = ward_calendar(tenant)
    ward_days = (
        CalendarOverride.select()
        .where(CalendarOverride.tenant == tenant)
        .order_by(CalendarOverride.day)
    )
    province_days = (
        ProvinceCalendarOverride.select()
        .where(ProvinceCalendarOverride.province == tenant.province_code)
        .order_by(ProvinceCalendarOverride.day)
    )
    return render_template(
        "calendar/index.html",
        days=admin.special_days(calendar, tenant, today(), language=current_language()),
        weekdays=WEEKDAYS[current_language()],
        ward_days=list(ward_days),
        province_days=list(province_days),
        settings=tenant.province.settings or {},
        setting_names=admin.SETTING_NAMES,
        setting_values=admin.SETTING_VALUES,
        province_settings=admin.PROVINCE_SETTINGS,
        can_edit_ward="ward.configure" in g.permissions,
        can_edit_province=g.role in PROVINCE_ROLES,
    )


@bp.post("/ngay")
@requires("ward.configure")
def set_ward_day() -> ResponseReturnValue:
    """Set one of the ward's own days."""
    admin.set_ward_day(
        g.tenant, _day(), _working(), (request.form.get("note") or "").strip(), actor=g.user
    )
    return redirect(url_for("calendar.index"))


@bp.post("/ngay/xoa")
@requires("ward.configure")
def remove_ward_day() -> ResponseReturnValue:
    """Remove one of the ward's own days."""
    admin.remove_ward_day(g.tenant, _day(), actor=g.user)
    return redirect(url_for("calendar.index"))


@bp.post("/tinh/ngay")
@requires("ward.view")
def set_province_day() -> ResponseReturnValue:
    """Set a day for every ward of the province (province admins)."""
    _require_province_admin()
    admin.set_province_day(
        g.tenant.province,
        _day(),
        _working(),
        (request.form.get("note") or "").strip(),
        actor=g.user,
    )
    return redirect(url_for("calendar.index"))


@bp.post("/tinh/ngay/xoa")
@requires("ward.view")
def remove_province_day() -> ResponseReturnValue:
    """Remove a province day (province admins)."""
    _require_province_admin()
    admin.remove_province_day(g.tenant.province, _day(), actor=g.user)
    return redirect(url_for("calendar.index"))


@bp.post("/tinh/cai-dat")
@requires("ward.view")
def province_setting() -> ResponseReturnValue:
    """Change a province setting such as the supplement rule (province admins)."""
    _require_province_admin()
    admin.set_province_setting(
        g.tenant.province, request.form.get("name", ""), request.form.get("value", ""), actor=g.user
    )
    return redirect(url_for("calendar.index"))


def init_calendar(app: Flask) -> None:
    """Register the calendar page and its tile on the ward home."""
    app.register_blueprint(bp)
    add_ward_area(
        app,
        WardArea(
            "calendar.index",
            T("Lịch làm việc", "Working calendar"),
            T(
                "Ngày nghỉ, ngày làm bù; cách tính hạn",
                "Days off, swapped working days; deadline rules",
            ),
            "ward.view",
            order=65,
        ),
    )
