"""``motcua reports period``: a ward's or province's figures for a period, as text, JSON,
Excel, CSV or PDF."""

from __future__ import annotations

import json
from pathlib import Path

import click

from motcua.cli import app_context, fail, say, user_errors
from motcua.i18n import T


def register(main: click.Group) -> None:
    """Add the ``reports`` commands to ``main``."""

    @main.group()
    def reports() -> None:
        """Báo cáo, số liệu (reports and figures)."""

    @reports.command()
    @click.option("--tenant", "tenant_code", default=None, help="Mã hoặc slug phường/xã (ward code or slug)")
    @click.option("--province", "province_code", default=None, help="Mã hoặc slug tỉnh (province code or slug)")
    @click.option("--from", "first", required=True, help="Ngày đầu kỳ (first day), YYYY-MM-DD")
    @click.option("--to", "last", required=True, help="Ngày cuối kỳ (last day), YYYY-MM-DD")
    @click.option("--by", type=click.Choice(["procedure", "field", "reception_point", "ward"]),
                  default=None, help="Chia theo (break down by)")
    @click.option("--json", "as_json", is_flag=True, help="In JSON (print JSON)")
    @click.option("--xlsx", "xlsx_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
                  help="Ghi tệp Excel (write an Excel file)")
    @click.option("--csv", "csv_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
                  help="Ghi tệp CSV (write a CSV file)")
    @click.option("--pdf", "pdf_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
                  help="Ghi tệp PDF (write a PDF file)")
    @user_errors
    def period(tenant_code: str | None, province_code: str | None, first: str, last: str,
               by: str | None, as_json: bool, xlsx_file: Path | None, csv_file: Path | None,
               pdf_file: Path | None) -> None:
        """Số liệu một kỳ của phường/xã hoặc tỉnh (a period's figures of a ward or province)."""
        from motcua.clock import now
        from motcua.reports.engine import BREAKDOWNS, period_report, province_scope, ward_scope
        from motcua.reports.export import csv_bytes, xlsx_bytes
        from motcua.reports.figures import COUNTS, RATES, percent
        from motcua.reports.period import parse_period
        from motcua.tenancy.models import Tenant
        from motcua.tenancy.workdays import province_calendar, ward_calendar

        if bool(tenant_code) == bool(province_code):
            fail(T("Cho đúng một trong --tenant hoặc --province", "Give exactly one of --tenant or --province"))
        moment = now()
        chosen = parse_period(first, last, today=moment.date())
        with app_context():
            if tenant_code:
                tenant = Tenant.get_or_none((Tenant.code == tenant_code) | (Tenant.slug == tenant_code))
                if tenant is None:
                    fail(T("Không có phường/xã `{code}`", "No ward `{code}`", code=tenant_code))
                if by == "ward":
                    fail(T("Báo cáo một phường/xã không chia theo phường", "A ward's report has no breakdown by ward"))
                scope, calendar = ward_scope(tenant), ward_calendar(tenant)
            else:
                scope = province_scope(province_code or "")
                calendar = province_calendar(scope.code)
            days = chosen.working_days(calendar)

            def report(kind: str | None):  # noqa: ANN202 - a Report
                return period_report(scope, chosen, by=kind, now=moment, working_days=days)

            main_report = report(by)
            if xlsx_file:
                kinds = [b for b in BREAKDOWNS if scope.kind == "province" or b != "ward"]
                xlsx_file.write_bytes(xlsx_bytes(main_report, [report(k) for k in kinds]))
                say(T("Đã ghi {path}", "Wrote {path}", path=str(xlsx_file)))
            if csv_file:
                csv_file.write_bytes(csv_bytes(main_report if by else report(
                    "ward" if scope.kind == "province" else "procedure")))
                say(T("Đã ghi {path}", "Wrote {path}", path=str(csv_file)))
            if pdf_file:
                from motcua.reports.pdf import report_pdf

                kinds = [b for b in BREAKDOWNS if scope.kind == "province" or b != "ward"]
                pdf_file.write_bytes(report_pdf(main_report, [report(k) for k in kinds], now=moment))
                say(T("Đã ghi {path}", "Wrote {path}", path=str(pdf_file)))
            if as_json:
                click.echo(json.dumps(main_report.as_dict(), ensure_ascii=False, indent=2))
            elif not (xlsx_file or csv_file or pdf_file):
                click.echo(f"{scope.name} · {chosen.label()} ({days} ngày làm việc / working days)")
                for name, label in COUNTS.items():
                    click.echo(f"  {label.vi} ({label.en}): {main_report.totals[name]}")
                for name, label in RATES.items():
                    click.echo(f"  {label.vi} ({label.en}): {percent(main_report.totals.rate(name))}")
