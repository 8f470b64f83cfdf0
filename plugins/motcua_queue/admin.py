"""The ward's queue setup (services, counters) and figures (charts, Excel export).

Setup needs ``ward.configure`` (ward admins); figures need ``reports.view`` (leaders).
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from functools import wraps
from typing import Any

from flask import g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from motcua import Forbidden, UserError
from motcua.plugin_api import T, now

from .figures import day_figures
from .kiosk import reception_points_of_ward
from .models import SCORES
from .setup import desks, save_desk, save_service, seed_from_counters, services
from .web import pages, tenant_id


def needs(permission: str) -> Any:
    """Let only users whose role has ``permission`` in the ward run the view."""

    def decorate(view: Any) -> Any:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if permission not in getattr(g, "permissions", frozenset()):
                raise Forbidden(T("Vai trò của bạn không được làm việc này", "Your role may not do this"))
            return view(*args, **kwargs)

        return wrapper

    return decorate


@pages.get("/cai-dat")
@needs("ward.configure")
def setup_page() -> ResponseReturnValue:
    """Services and counters of each reception point."""
    return render_template("queue/setup.html", points=reception_points_of_ward(),
                           services=services(tenant_id(), active_only=False), desks=desks(tenant_id()))


@pages.post("/cai-dat")
@needs("ward.configure")
def setup_save() -> ResponseReturnValue:
    """Save a service (``what=service``), a counter (``what=counter``) or the defaults."""
    form = request.form
    points = {p.key for p in reception_points_of_ward()}
    what = form.get("what")
    point = form.get("point", "")
    if what in {"service", "counter"} and point not in points:
        raise UserError(T("Chọn một điểm tiếp nhận của phường/xã", "Choose a reception point of the ward"),
                        field="point")
    if what == "service":
        try:
            minutes = int(form.get("minutes_per_ticket") or 10)
        except ValueError:
            raise UserError(T("Thời gian mỗi lượt là số phút", "Minutes per ticket is a number"),
                            field="minutes_per_ticket") from None
        save_service(tenant_id(), point=point, key=form.get("key", ""), letter=form.get("letter", ""),
                     name=form.get("name", ""), minutes_per_ticket=minutes, active=form.get("active") != "0")
    elif what == "counter":
        try:
            number = int(form.get("number") or 0)
        except ValueError:
            number = 0
        save_desk(tenant_id(), point=point, number=number, name=form.get("name", ""),
                  service_keys=form.getlist("services"))
    elif what == "defaults":
        seed_from_counters(g.tenant)
    else:
        raise UserError(T("Không rõ cần lưu gì", "Nothing to save"))
    return redirect(url_for(".setup_page"))


def _period() -> tuple[date, date]:
    today = now().date()
    try:
        start = date.fromisoformat(request.args.get("tu") or today.isoformat())
        end = date.fromisoformat(request.args.get("den") or start.isoformat())
    except ValueError:
        raise UserError(T("Ngày có dạng YYYY-MM-DD", "Dates are YYYY-MM-DD")) from None
    if end < start or end - start > timedelta(days=366):
        raise UserError(T("Khoảng ngày không hợp lệ (tối đa một năm)", "Invalid period (one year at most)"))
    return start, end


@pages.get("/so-lieu")
@needs("reports.view")
def figures_page() -> ResponseReturnValue:
    """The figures of a period (``?tu=YYYY-MM-DD&den=YYYY-MM-DD``, default today) with charts."""
    start, end = _period()
    figures = day_figures(tenant_id(), start, end)
    peak = max([row["wait_avg"] or 0 for k in ("by_service", "by_counter", "by_day") for row in figures[k]] + [1])
    return render_template("queue/figures.html", figures=figures, start=start, end=end, peak=peak,
                           scores=SCORES)


COLUMNS = (
    ("day", "Ngày"), ("service", "Dịch vụ"), ("counter", "Quầy"), ("tickets", "Số phiếu"),
    ("served", "Đã phục vụ"), ("no_shows", "Vắng mặt"), ("wait_avg", "Chờ TB (phút)"),
    ("wait_p90", "Chờ p90 (phút)"), ("service_avg", "Phục vụ TB (phút)"),
)


@pages.get("/so-lieu.xlsx")
@needs("reports.view")
def figures_xlsx() -> ResponseReturnValue:
    """The figures per day, service and counter as an Excel workbook."""
    from openpyxl import Workbook

    start, end = _period()
    figures = day_figures(tenant_id(), start, end)
    book = Workbook()
    sheet = book.active
    sheet.title = "So lieu"
    score_names = {"very_satisfied": "Rất hài lòng", "satisfied": "Hài lòng", "not_satisfied": "Không hài lòng"}
    sheet.append([label for _, label in COLUMNS] + list(score_names.values()))
    for row in figures["rows"]:
        sheet.append([row[key] if key != "day" else row[key].isoformat() for key, _ in COLUMNS]
                     + [row["ratings"][name] for name in score_names])
    total = figures["total"]
    sheet.append(["Tổng", "", ""] + [total[key] for key, _ in COLUMNS[3:]]
                 + [total["ratings"][name] for name in score_names])
    buffer = io.BytesIO()
    book.save(buffer)
    name = f"so-lieu-xep-hang-{g.tenant.slug}-{start.isoformat()}-{end.isoformat()}.xlsx"
    return buffer.getvalue(), 200, {
        "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": f'attachment; filename="{name}"',
    }
