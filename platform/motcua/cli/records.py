"""``motcua calendar due|update|decisions``, ``motcua records list`` and ``motcua records import``."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import click

from motcua.cli import app_context, fail, say, user_errors, ward_by_code_or_slug
from motcua.i18n import T


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
            tenant = ward_by_code_or_slug(code)
            due_at = compute_due(
                moment.replace(tzinfo=None),
                parse_limit(limit_text),
                ward_calendar(tenant),
                cutoff=ward_cutoff(tenant),
            )
        click.echo(due_at.isoformat(timespec="minutes"))

    @calendar.command()
    @click.argument("source")
    @click.option("--dry-run", is_flag=True, help="Chỉ in thay đổi, không ghi (show, do not apply)")
    @click.option("--by", "actor", default="cli", help="Người nạp (who loads it)")
    @click.option("--json", "as_json", is_flag=True, help="In JSON (print JSON)")
    @user_errors
    def update(source: str, dry_run: bool, actor: str, as_json: bool) -> None:
        """Nạp quyết định nghỉ lễ, hoán đổi ngày làm việc (load a national calendar decision).

        SOURCE is a file or an http(s) URL in the format of decisions.toml (docs/calendar.md).
        Prints the days that change and the open records whose due date moves.
        """
        from functools import partial

        from motcua.clock import now
        from motcua.tenancy.calendar_update import load_national_calendar
        from motcua.web.ward import ward_for

        with app_context() as app:
            result = load_national_calendar(
                source, actor=actor, now=now(), apply=not dry_run, ward_of=partial(ward_for, app)
            )
        if as_json:
            click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
            return
        for label, numbers in (
            (T("Thêm", "Added"), result.added),
            (T("Thay", "Replaced"), result.replaced),
            (T("Không đổi", "Unchanged"), result.unchanged),
        ):
            if numbers:
                say(T("{label}: {numbers}", "{label}: {numbers}", label=label, numbers=", ".join(numbers)))
        for day in result.days:
            click.echo(
                f"  {day.day.strftime('%d/%m/%Y')}: "
                f"{'làm việc' if day.was_working else 'nghỉ'} -> {'làm việc' if day.working else 'nghỉ'}"
                f" ({'working' if day.was_working else 'day off'} -> "
                f"{'working' if day.working else 'day off'}) {day.number}"
            )
        for move in result.records:
            click.echo(
                f"  {move.tenant_code} {move.record_code}: "
                f"{move.old_due.strftime('%H:%M %d/%m/%Y')} -> {move.new_due.strftime('%H:%M %d/%m/%Y')}"
            )
        say(
            T(
                "{n} hồ sơ đang giải quyết đổi hạn{dry}",
                "{n} open records change due date{dry_en}",
                n=len(result.records),
                dry=" (chạy thử, chưa ghi)" if dry_run else "",
                dry_en=" (dry run, nothing written)" if dry_run else "",
            )
        )

    @calendar.command("decisions")
    def list_decisions() -> None:
        """Các quyết định lịch nghỉ đang áp dụng (the national decisions in force)."""
        from motcua.tenancy.workdays import national_decisions

        with app_context():
            for decision in national_decisions():
                off = ", ".join(d.strftime("%d/%m/%Y") for d in decision.days_off)
                work = ", ".join(d.strftime("%d/%m/%Y") for d in decision.working_days)
                click.echo(
                    f"{decision.number} ({decision.issued.strftime('%d/%m/%Y')}): "
                    f"nghỉ (off) {off or '—'}; làm việc (working) {work or '—'}\n  {decision.source}"
                )

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
            tenant = ward_by_code_or_slug(code)
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

    @records.command("import")
    @click.option(
        "--tenant", "code", required=True, help="Mã hoặc slug phường/xã (ward code or slug)"
    )
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--dry-run", is_flag=True, help="Chỉ kiểm tra, không ghi (check only, write nothing)")
    @click.option(
        "--strict", is_flag=True, help="Một dòng lỗi thì không nhập gì (one bad row imports nothing)"
    )
    @click.option("--json", "as_json", is_flag=True, help="In JSON (print JSON)")
    @user_errors
    def import_records(code: str, file: Path, dry_run: bool, strict: bool, as_json: bool) -> None:
        """Nhập hồ sơ từ hệ thống cũ, CSV hoặc XLSX (import records of an old system).

        Cột: docs/import.md. Nhập lại cùng tệp không tạo bản sao (importing a file
        again changes nothing). Exit 1 when a row was refused.
        """
        from motcua.records.importing import import_records as run_import
        from motcua.web.ward import ward_for

        with app_context() as app:
            ward = ward_for(app, ward_by_code_or_slug(code))
            if as_json:
                report = run_import(ward, file, actor="cli", dry_run=dry_run, strict=strict)
            else:
                with click.progressbar(length=_count_lines(file), label="Nhập hồ sơ (importing)") as bar:
                    report = run_import(
                        ward, file, actor="cli", dry_run=dry_run, strict=strict, progress=bar.update
                    )
        if as_json:
            click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
        else:
            for error in report.refused:
                click.echo(
                    f"dòng (line) {error.line}, {error.column}: {error.reason.render('vi')}"
                    f"  [{error.reason.render('en')}]"
                )
            written = len(report.imported) if not (strict and report.refused) else 0
            say(
                T(
                    "{file}: {rows} dòng; {imported} hồ sơ {verb}, {unchanged} đã có, {refused} dòng bị từ chối",
                    "{file}: {rows} rows; {imported} records {verb_en}, {unchanged} already there, {refused} rows refused",
                    file=report.file,
                    rows=report.rows,
                    imported=written,
                    verb="sẽ nhập (chạy thử)" if dry_run else "đã nhập",
                    verb_en="to import (dry run)" if dry_run else "imported",
                    unchanged=len(report.unchanged),
                    refused=len(report.refused),
                )
            )
        if report.refused:
            raise SystemExit(1)


def _count_lines(file: Path) -> int:
    """Rows in the file for the progress bar (a CSV's lines; an XLSX's sheet dimension)."""
    if file.suffix.lower() == ".csv":
        with file.open("rb") as handle:
            return max(sum(1 for _ in handle) - 1, 0)
    import openpyxl

    book = openpyxl.load_workbook(file, read_only=True)
    try:
        return max((book.worksheets[0].max_row or 1) - 1, 0)
    finally:
        book.close()
