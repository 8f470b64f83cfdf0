"""Report pages: a ward leader's dashboard and a province's, the records behind any
number, and the exports (CSV, Excel, PDF).

The same views serve both scopes: ward pages live under ``/<ward>/bao-cao/`` (role with
``reports.view`` in that ward), province pages under ``/tinh/<province>/bao-cao/`` (its
province admins and platform admins). Figures come from :mod:`motcua.reports`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import Blueprint, Flask, Response, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from motcua.clock import now
from motcua.i18n import T
from motcua.records import lifecycle
from motcua.reports import charts
from motcua.reports.drill import check_measure, drill_down, row_key
from motcua.reports.engine import (
    BREAKDOWNS,
    Report,
    Scope,
    check_breakdown,
    period_report,
    province_scope,
    trend,
    ward_scope,
)
from motcua.reports.export import csv_bytes, xlsx_bytes
from motcua.reports.figures import COUNTS, RATE_DEFINITIONS, RATES, number, percent
from motcua.reports.period import Period, month_of, parse_period
from motcua.tenancy.workdays import province_calendar, ward_calendar
from motcua.web.context import current_language
from motcua.web.shell import WardArea, add_ward_area, administered_province
from motcua.web.tenancy import requires, tenant_blueprint

ward_bp = tenant_blueprint("reports", __name__, "/bao-cao")
province_bp = Blueprint("province_reports", __name__, url_prefix="/tinh/<province_slug>/bao-cao")
AREA = WardArea(
    "reports.dashboard",
    T("Báo cáo, số liệu", "Reports and figures"),
    T("Số liệu theo kỳ, biểu đồ, xuất Excel và PDF", "Figures by period, charts, Excel and PDF"),
    "reports.view",
    order=40,
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Request:
    """What a report page was asked for: whose figures, which period, which breakdown."""

    scope: Scope
    period: Period
    by: str
    endpoint: str  # "reports" or "province_reports"
    url_args: dict[str, str]
    working_days: int

    def url(self, view: str, **args: Any) -> str:
        """Return the URL of ``view`` of this scope, with this period and breakdown."""
        return url_for(f"{self.endpoint}.{view}", **self.url_args,
                       **{"from": self.period.first.isoformat(), "to": self.period.last.isoformat(),
                          "by": self.by, **args})

    def period_url(self, period: Period) -> str:
        """Return the URL of the dashboard of this scope for another ``period``."""
        return url_for(f"{self.endpoint}.dashboard", **self.url_args,
                       **{"from": period.first.isoformat(), "to": period.last.isoformat(),
                          "by": self.by})

    def report(self, by: str | None = None) -> Report:
        """Return the report of this request, broken down ``by`` (default: the request's)."""
        return period_report(self.scope, self.period, by=by or self.by, now=now(),
                             working_days=self.working_days)


def _ward_request() -> Request:
    tenant = g.tenant
    period = parse_period(request.args.get("from"), request.args.get("to"), today=now().date())
    by = check_breakdown(request.args.get("by") or "procedure") or "procedure"
    return Request(ward_scope(tenant), period, by, "reports", {},
                   period.working_days(ward_calendar(tenant)))


def _province_request(province_slug: str) -> Request:
    province = administered_province(province_slug)
    period = parse_period(request.args.get("from"), request.args.get("to"), today=now().date())
    by = check_breakdown(request.args.get("by") or "ward") or "ward"
    return Request(province_scope(province), period, by, "province_reports",
                   {"province_slug": province_slug},
                   period.working_days(province_calendar(province.code)))


def _signed_in(view: Callable[..., ResponseReturnValue]) -> Callable[..., ResponseReturnValue]:
    def wrapper(**kwargs: Any) -> ResponseReturnValue:
        if g.user is None:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(**kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _dashboard(req: Request) -> ResponseReturnValue:
    language = current_language()
    report = req.report()
    moment = now()
    pieces = trend(req.scope, req.period, now=moment)
    trend_chart = charts.column_chart(
        [(f"{p.first:%d/%m}", (f["received"], f["resolved"], f["resolved_late"])) for p, f in pieces],
        [COUNTS[n].render(language) for n in ("received", "resolved", "resolved_late")],
        title=(T("Tiếp nhận và giải quyết theo tuần", "Received and resolved per week")
               if req.period.trend_pieces() == req.period.weeks() else
               T("Tiếp nhận và giải quyết theo tháng", "Received and resolved per month")).render(language),
    )
    channels = charts.share_bar(
        [(COUNTS[n].render(language), report.totals[n])
         for n in ("received_direct", "received_online", "received_postal")],
        title=T("Kênh tiếp nhận", "Channels").render(language),
    )
    # The on-time chart compares wards in a province, procedures in a ward.
    compared = "ward" if req.scope.kind == "province" else "procedure"
    side = report if req.by == compared else req.report(compared)
    on_time = charts.bar_chart(
        [charts.Bar(row.label.render(language), float(row.figures.rate("on_time_rate_a") or 0),
                    percent(row.figures.rate("on_time_rate_a"), language),
                    req.url("records", measure="resolved", by=side.by, key=_key_text(row.key)))
         for row in side.rows],
        title=(T("Tỷ lệ đúng hạn (A) theo phường, xã", "On-time rate (A) by ward")
               if side.by == "ward" else
               T("Tỷ lệ đúng hạn (A) theo thủ tục", "On-time rate (A) by procedure")).render(language),
        scale=1.0,
    )
    wards_chart = None
    if req.scope.kind == "province":
        wards_chart = charts.bar_chart(
            [charts.Bar(row.label.render(language), row.figures["received"],
                        number(row.figures["received"], language),
                        req.url("records", measure="received", by="ward", key=_key_text(row.key)))
             for row in side.rows],
            title=T("Tiếp nhận trong kỳ, các phường, xã", "Received, wards side by side").render(language),
        )
    last_month = month_of(req.period.first.replace(day=1) - timedelta(days=1))
    return render_template(
        "reports/dashboard.html", req=req, report=report, counts=COUNTS, rates=RATES,
        definitions=RATE_DEFINITIONS, breakdowns=BREAKDOWNS, key_text=_key_text,
        percent=lambda rate: percent(rate, language), number=lambda n: number(n, language),
        trend_chart=trend_chart, channels_chart=channels, on_time_chart=on_time,
        wards_chart=wards_chart, this_month=month_of(moment.date()), last_month=last_month,
    )


def _key_text(key: Any) -> str:
    return "" if key is None else str(key)


def _records(req: Request) -> ResponseReturnValue:
    measure = check_measure(request.args.get("measure"))
    by = req.by if "key" in request.args else None
    key = row_key(by, request.args.get("key")) if by else None
    page_text = request.args.get("page") or "1"
    drilled = drill_down(req.scope, req.period, measure, by=by, key=key, now=now(),
                         page=int(page_text) if page_text.isdigit() else 1)
    row_label = None
    if by:
        for row in req.report(by).rows:
            if row.key == key:
                row_label = row.label
    tenants = {t.id: t for t in req.scope.tenants}
    row_args = {"key": request.args["key"]} if "key" in request.args else {}

    def page_url(number: int) -> str:
        return req.url("records", measure=measure, page=number, **row_args)

    return render_template("reports/records.html", req=req, drilled=drilled, label=COUNTS[measure],
                           page_url=page_url,
                           row_label=row_label, by=by, key=key, tenants=tenants,
                           statuses=lifecycle.STATUSES, outcomes=lifecycle.OUTCOMES,
                           channels=lifecycle.CHANNELS)


def _filename(req: Request, extension: str) -> str:
    return f"bao-cao-{req.scope.code}-{req.period.first.isoformat()}-{req.period.last.isoformat()}.{extension}"


def _download(body: bytes, mimetype: str, name: str) -> Response:
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _csv(req: Request) -> Response:
    return _download(csv_bytes(req.report()), "text/csv; charset=utf-8", _filename(req, "csv"))


def _all_breakdowns(req: Request) -> list[Report]:
    return [req.report(kind) for kind in BREAKDOWNS if req.scope.kind == "province" or kind != "ward"]


def _xlsx(req: Request) -> Response:
    reports = _all_breakdowns(req)
    return _download(xlsx_bytes(reports[0], reports), XLSX, _filename(req, "xlsx"))


def _pdf(req: Request) -> Response:
    from motcua.reports.pdf import report_pdf

    reports = _all_breakdowns(req)
    return _download(report_pdf(reports[0], reports, now=now()), "application/pdf", _filename(req, "pdf"))


# Ward pages.
@ward_bp.get("/")
@requires("reports.view")
def dashboard() -> ResponseReturnValue:
    """The ward leader's dashboard: period picker, figures, charts, breakdown, exports."""
    return _dashboard(_ward_request())


@ward_bp.get("/ho-so")
@requires("reports.view")
def records() -> ResponseReturnValue:
    """The records behind one number of the ward's report."""
    return _records(_ward_request())


@ward_bp.get("/xuat.csv")
@requires("reports.view")
def export_csv() -> ResponseReturnValue:
    """The ward's report as CSV (UTF-8 with BOM)."""
    return _csv(_ward_request())


@ward_bp.get("/xuat.xlsx")
@requires("reports.view")
def export_xlsx() -> ResponseReturnValue:
    """The ward's report as an Excel workbook, a sheet per breakdown."""
    return _xlsx(_ward_request())


@ward_bp.get("/xuat.pdf")
@requires("reports.view")
def export_pdf() -> ResponseReturnValue:
    """The ward's report as a printable PDF with the official header."""
    return _pdf(_ward_request())


# Province pages.
@province_bp.get("/", endpoint="dashboard")
@_signed_in
def province_dashboard(province_slug: str) -> ResponseReturnValue:
    """The province's dashboard: its wards side by side, and the same figures and charts."""
    return _dashboard(_province_request(province_slug))


@province_bp.get("/ho-so", endpoint="records")
@_signed_in
def province_records(province_slug: str) -> ResponseReturnValue:
    """The records behind one number of the province's report."""
    return _records(_province_request(province_slug))


@province_bp.get("/xuat.csv", endpoint="export_csv")
@_signed_in
def province_csv(province_slug: str) -> ResponseReturnValue:
    """The province's report as CSV."""
    return _csv(_province_request(province_slug))


@province_bp.get("/xuat.xlsx", endpoint="export_xlsx")
@_signed_in
def province_xlsx(province_slug: str) -> ResponseReturnValue:
    """The province's report as an Excel workbook."""
    return _xlsx(_province_request(province_slug))


@province_bp.get("/xuat.pdf", endpoint="export_pdf")
@_signed_in
def province_pdf(province_slug: str) -> ResponseReturnValue:
    """The province's report as a printable PDF."""
    return _pdf(_province_request(province_slug))


def init_reports(app: Flask) -> None:
    """Register the report pages on ``app`` and add the reports area to the ward home page."""
    app.register_blueprint(ward_bp)
    app.register_blueprint(province_bp)
    add_ward_area(app, AREA)
