"""Calendar overrides and province settings edited on the web page: they change due dates,
stay within their ward or province, survive a tenants sync, and are refused to the wrong role."""

from __future__ import annotations

import shutil
from datetime import date, datetime, time, timedelta

import pytest
from markupsafe import escape

from conftest import REPO, csrf_token, login
from motcua.audit import AuditLog
from motcua.calendar import WorkCalendar, compute_due, parse_limit
from motcua.clock import today
from motcua.errors import UserError
from motcua.tenancy.calendar_admin import set_ward_day
from motcua.tenancy.models import CalendarOverride, Province, ProvinceCalendarOverride, Tenant
from motcua.tenancy.sync import sync_tenants
from motcua.tenancy.workdays import ward_calendar


def next_monday() -> date:
    """The next Monday whose Monday and Tuesday are ordinary working days nationally."""
    national = WorkCalendar()
    day = today() + timedelta(days=1)
    while not (
        day.weekday() == 0
        and national.is_working_day(day)
        and national.is_working_day(day + timedelta(days=1))
    ):
        day += timedelta(days=1)
    return day


def post(client, ward, path: str, **data: str):  # noqa: ANN001, ANN202
    token = csrf_token(client, f"/{ward.slug}/lich/")
    return client.post(f"/{ward.slug}/lich{path}", data={"csrf_token": token, **data})


def test_ward_admin_adds_a_day_off_and_the_due_date_moves(client, users, ward_a, ward_b, frozen_day):
    monday = next_monday()
    received = datetime.combine(monday, time(9, 0))
    limit = parse_limit("1d")
    before = compute_due(received, limit, ward_calendar(ward_a))
    login(client, "quantri-a")
    response = post(
        client, ward_a, "/ngay", day=monday.isoformat(), working="0", note="Nghỉ bù sáp nhập"
    )
    assert response.status_code == 302
    tuesday = monday + timedelta(days=1)
    assert (
        post(client, ward_a, "/ngay", day=tuesday.isoformat(), working="0", note="Nghỉ").status_code
        == 302
    )
    after = compute_due(received, limit, ward_calendar(ward_a))
    assert after > before
    assert compute_due(received, limit, ward_calendar(ward_b)) == before  # ward B is untouched
    page = client.get(f"/{ward_a.slug}/lich/").get_data(as_text=True)
    assert "Nghỉ bù sáp nhập" in page
    assert (
        AuditLog.select()
        .where(AuditLog.action == "calendar.ward_day", AuditLog.tenant == ward_a)
        .count()
        == 2
    )
    assert post(client, ward_a, "/ngay/xoa", day=tuesday.isoformat()).status_code == 302
    assert CalendarOverride.select().where(CalendarOverride.tenant == ward_a).count() == 1


def test_pointless_or_bad_days_are_refused_in_vietnamese(client, users, ward_a):
    login(client, "quantri-a")
    monday = next_monday()
    same = post(client, ward_a, "/ngay", day=monday.isoformat(), working="1", note="")
    assert same.status_code == 400 and "vốn đã là ngày làm việc" in same.get_data(as_text=True)
    bad = post(client, ward_a, "/ngay", day="31/02/2026", working="0", note="")
    assert bad.status_code == 400 and "không hợp lệ" in bad.get_data(as_text=True)
    far = post(client, ward_a, "/ngay", day="2031-01-01", working="0", note="")
    assert far.status_code == 400
    assert CalendarOverride.select().count() == 0


def test_staff_see_the_calendar_but_cannot_change_it(client, users, ward_a):
    login(client, "canbo-a")
    assert client.get(f"/{ward_a.slug}/lich/").status_code == 200
    assert (
        post(
            client, ward_a, "/ngay", day=next_monday().isoformat(), working="0", note=""
        ).status_code
        == 403
    )
    assert (
        post(client, ward_a, "/tinh/cai-dat", name="supplement_rule", value="restart").status_code
        == 403
    )
    assert CalendarOverride.select().count() == 0
    assert (Province.get_by_id(ward_a.province_code).settings or {}).get("supplement_rule") is None


def test_province_admin_sets_a_province_day_and_the_supplement_rule(client, users, ward_a, frozen_day):
    login(client, "tinh-a")
    monday = next_monday()
    assert (
        post(
            client, ward_a, "/tinh/ngay", day=monday.isoformat(), working="0", note="Lễ hội tỉnh"
        ).status_code
        == 302
    )
    assert not ward_calendar(ward_a).is_working_day(monday)
    other = Tenant.get_by_id(ward_a.id)  # every ward of the province reads the same row
    assert (
        ProvinceCalendarOverride.select()
        .where(ProvinceCalendarOverride.province == other.province_code)
        .count()
        == 1
    )
    assert (
        post(client, ward_a, "/tinh/cai-dat", name="supplement_rule", value="restart").status_code
        == 302
    )
    assert Province.get_by_id(ward_a.province_code).settings["supplement_rule"] == "restart"
    refused = post(client, ward_a, "/tinh/cai-dat", name="supplement_rule", value="forever")
    assert refused.status_code == 400
    assert AuditLog.select().where(AuditLog.action == "province.setting").count() == 1


def test_ward_admin_cannot_change_the_province(client, users, ward_a):
    login(client, "quantri-a")
    response = post(
        client, ward_a, "/tinh/ngay", day=next_monday().isoformat(), working="0", note=""
    )
    assert response.status_code == 403
    assert ProvinceCalendarOverride.select().count() == 0


def test_days_set_on_the_web_survive_a_tenants_sync(db, users, tmp_path):
    folder = tmp_path / "tenants"
    folder.mkdir()
    shutil.copy(REPO / "tenants" / "phuong-nenh.toml", folder)
    sync_tenants(folder)
    nenh = Tenant.get(Tenant.code == "07795")
    set_ward_day(nenh, next_monday(), False, "Nghỉ do bão", actor=users.admin_a)
    sync_tenants(folder)
    assert CalendarOverride.get(CalendarOverride.tenant == nenh).note == "Nghỉ do bão"


def test_a_note_too_long_is_refused(db, users, ward_a):
    with pytest.raises(UserError):
        set_ward_day(ward_a, next_monday(), False, "x" * 201, actor=users.admin_a)


def test_calendar_page_speaks_the_page_language(client, users, ward_a, frozen_day):
    national = WorkCalendar()
    coming = [today() + timedelta(days=n) for n in range(180)]
    holidays_ahead = [day for day in coming if national.holiday_name(day)]
    assert holidays_ahead  # six months always hold a national day off
    first = holidays_ahead[0]
    login(client, "canbo-a")
    vietnamese = client.get(f"/{ward_a.slug}/lich/").get_data(as_text=True)
    client.post(
        "/language", data={"lang": "en", "csrf_token": csrf_token(client, f"/{ward_a.slug}/lich/")}
    )
    english = client.get(f"/{ward_a.slug}/lich/").get_data(as_text=True)
    vi_name, en_name = (escape(national.holiday_name(first, lang)) for lang in ("vi", "en"))
    assert vi_name in vietnamese and "Thứ" in vietnamese
    assert en_name in english and vi_name not in english



@pytest.mark.parametrize("frozen_day", ["2025-12-20"])
def test_calendar_page_names_the_government_decision(client, users, ward_a, frozen_day):
    login(client, "quantri-a")
    page = client.get(f"/{ward_a.slug}/lich/").get_data(as_text=True)
    # Friday 2/1/2026 off and Saturday 10/1/2026 worked, both by 12729/VPCP-KGVX.
    assert page.count("12729/VPCP-KGVX") >= 2
    assert "Làm việc theo văn bản 12729/VPCP-KGVX" in page
