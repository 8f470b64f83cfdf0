"""``motcua units convert|changes|apply``: old addresses to new wards, and the unit changes
after the 2025 catalogue."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import click

from motcua.cli import app_context, fail, say, user_errors
from motcua.i18n import T


def register(main: click.Group) -> None:
    """Add the ``units`` commands to ``main``."""

    @main.group()
    def units() -> None:
        """Đơn vị hành chính 2025 (the 2025 administrative units)."""

    @units.command()
    @click.argument("address")
    @click.option("--json", "as_json", is_flag=True, help="In JSON (print JSON)")
    def convert(address: str, as_json: bool) -> None:
        """Địa chỉ cũ sang phường, xã mới (old address to the new ward).

        Exit code 0 with one new ward, 2 when the old ward was split (several
        candidates), 1 when nothing was recognised.
        """
        from motcua.units import convert_old_address, province

        conversion = convert_old_address(address)
        old = conversion.old
        report: dict[str, Any] = {
            "address": address,
            "old": None
            if old is None
            else {
                "name": old.name,
                "code": old.code,
                "district_name": old.district_name,
                "district_code": old.district_code,
                "province_name": old.province_name,
                "province_code": old.province_code,
                "whole": old.whole,
            },
            "candidates": [
                {
                    "code": w.code,
                    "name": w.name,
                    "province_code": w.province_code,
                    "province": province(w.province_code).name,
                }
                for w in conversion.candidates
            ],
            "hint": {"vi": conversion.hint.render("vi"), "en": conversion.hint.render("en")},
        }
        if as_json:
            click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            say(conversion.hint)
            if old is not None:
                click.echo(
                    f"  cũ (old):  {old.name} [{old.code or '—'}], {old.district_name}, {old.province_name}"
                )
            for candidate in report["candidates"]:
                click.echo(
                    f"  mới (new): {candidate['name']} [{candidate['code']}], {candidate['province']}"
                )
        raise SystemExit(
            0 if len(conversion.candidates) == 1 else 2 if conversion.candidates else 1
        )

    @units.command()
    @click.option("--since", required=True, help="Từ ngày (from), YYYY-MM-DD")
    @click.option("--json", "as_json", is_flag=True, help="In JSON (print JSON)")
    def changes(since: str, as_json: bool) -> None:
        """Các thay đổi đơn vị từ một ngày (unit changes effective since DATE)."""
        from motcua.tenancy.unit_changes import change_sets_in_force
        from motcua.units.changes import changes_since

        try:
            day = date.fromisoformat(since)
        except ValueError:
            fail(T("Không đọc được ngày `{d}`: ghi 2026-01-01", "Cannot read `{d}`: write 2026-01-01", d=since))
        with app_context():
            found = changes_since(day, change_sets_in_force())
        rows = [
            {
                "effective": change_set.effective.isoformat(),
                "key": change_set.key,
                "citation": change_set.citation,
                "source": change_set.source,
                "level": rename.level,
                "code": rename.code,
                "old_name": before,
                "new_name": rename.name,
            }
            for change_set, rename, before in found
        ]
        if as_json:
            click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            click.echo(
                f"{row['effective']} [{row['code']}] {row['old_name']} -> {row['new_name']}"
                f"  ({row['citation']})"
            )
        say(T("{n} thay đổi từ {d}", "{n} changes since {d}", n=len(rows), d=since))

    @units.command()
    @click.argument("source", required=False)
    @click.option("--by", "actor", default="cli", help="Người áp dụng (who applies it)")
    @user_errors
    def apply(source: str | None, actor: str) -> None:
        """Áp dụng thay đổi đơn vị (apply a unit change set file or URL; none: rename what
        became effective today)."""
        from motcua.clock import now
        from motcua.tenancy.calendar_update import read_source
        from motcua.tenancy.unit_changes import apply_change_sets
        from motcua.units.changes import parse_change_sets

        sets = parse_change_sets(read_source(source)) if source else []
        with app_context():
            result = apply_change_sets(sets, actor=actor, now=now())
        for key in result.stored:
            say(T("Đã lưu {key}", "Stored {key}", key=key))
        for move in result.renamed:
            click.echo(f"  [{move['code']}] {move['old']} -> {move['new']}")
        for move in result.pending:
            click.echo(f"  [{move['code']}] -> {move['new']} từ (from) {move['effective']}")
        say(T("{n} đơn vị đã đổi tên", "{n} units renamed", n=len(result.renamed)))
