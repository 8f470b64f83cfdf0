"""``motcua calendar due`` and ``motcua records list``."""

from __future__ import annotations

import json
from datetime import datetime

import click

from motcua.cli import app_context, fail, user_errors
from motcua.i18n import T


def _tenant(code: str):  # noqa: ANN202 - a Tenant
    from motcua.tenancy.models import Tenant

    tenant = Tenant.get_or_none((Tenant.code == code) | (Tenant.slug == code))
    if tenant is None:
        fail(T("Không có phường/xã `{code}`", "No ward `{code}`", code=code))
    return tenant


def register(main: click.Group) -> None:
    """Add the ``calendar`` and ``records`` commands to ``main``."""

    @main.group()
    def calendar() -> None:
        """Lịch làm việc, thời hạn (working calendar, deadlines)."""

    @calendar.command()
    @click.option(
        "--tenant", "code", required=True, help="Mã hoặc slug phường/xã (ward code or slug)"
    )
    @click.option(
        "--received", required=True, help="Thời điểm nhận (received at), ví dụ 2026-02-13T14:30"
    )
    @click.option("--limit", "limit_text", required=True, help="Thời hạn (limit): 3d, 8h, same-day")
    @user_errors
    def due(code: str, received: str, limit_text: str) -> None:
        """In hạn trả theo lịch của phường/xã (print the due date-time, ISO 8601)."""
        from motcua.calendar import compute_due, parse_limit
        from motcua.records.procedures import ward_cutoff
        from motcua.tenancy.workdays import ward_calendar

        try:
            moment = datetime.fromisoformat(received)
        except ValueError:
            fail(
                T(
                    "Không đọc được thời điểm `{t}`: ghi 2026-02-13T14:30",
                    "Cannot read `{t}`: write 2026-02-13T14:30",
                    t=received,
                )
            )
        with app_context():
            tenant = _tenant(code)
            due_at = compute_due(
                moment.replace(tzinfo=None),
                parse_limit(limit_text),
                ward_calendar(tenant),
                cutoff=ward_cutoff(tenant),
            )
        click.echo(due_at.isoformat(timespec="minutes"))

    @main.group()
    def records() -> None:
        """Hồ sơ (records)."""

    @records.command("list")
    @click.option(
        "--tenant", "code", required=True, help="Mã hoặc slug phường/xã (ward code or slug)"
    )
    @click.option("--status", default=None, help="Lọc theo trạng thái (filter by status)")
    @click.option(
        "--limit", default=200, show_default=True, help="Số hồ sơ tối đa (at most this many)"
    )
    @click.option("--json", "as_json", is_flag=True, help="In JSON (print JSON)")
    @user_errors
    def list_records(code: str, status: str | None, limit: int, as_json: bool) -> None:
        """Liệt kê hồ sơ mới nhất trước (list records, newest first)."""
        from motcua.records.queries import WorkFilters, work_list

        with app_context():
            tenant = _tenant(code)
            page = work_list(tenant, WorkFilters(status=status), limit=limit)
            rows = [
                {
                    "code": r.code,
                    "status": r.status,
                    "procedure": r.procedure_key,
                    "procedure_name": r.procedure_name,
                    "applicant": r.applicant_name,
                    "channel": r.channel,
                    "received_at": r.received_at.isoformat(),
                    "due_at": r.due_at.isoformat() if r.due_at else None,
                    "outcome": r.outcome or None,
                }
                for r in page.records
            ]
        if as_json:
            click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
            return
        for row in rows:
            click.echo(
                f"{row['code']:<24} {row['status']:<22} {row['procedure']:<34} "
                f"{row['received_at']:<20} {row['due_at'] or '—'}"
            )
