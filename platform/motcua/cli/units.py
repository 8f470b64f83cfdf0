"""``motcua units convert``: an old (pre-merger) address to the new ward, offline."""

from __future__ import annotations

import json
from typing import Any

import click

from motcua.cli import say


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
