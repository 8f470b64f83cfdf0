"""``motcua queue``: take a ticket, list services, the day's figures (for operators and scripts)."""

from __future__ import annotations

import json
from datetime import date

import click

from motcua import UserError
from motcua.plugin_api import T, command_ward

from .models import PRIORITIES

PLUGIN = "queue"


def _fail(exc: UserError) -> None:
    raise click.ClickException(f"{exc.text.render('vi')} [{exc.text.render('en')}]")


@click.group("queue", help="Xếp hàng lấy số (queue tickets).")
def queue() -> None:
    pass


@queue.command("take", help="Lấy một số thứ tự (take a ticket).")
@click.option("--tenant", "code", required=True, help="Mã phường/xã (ward code).")
@click.option("--service", "key", required=True, help="Mã dịch vụ (service key).")
@click.option("--priority", default="", type=click.Choice(["", *PRIORITIES]), help="Nhóm ưu tiên.")
@click.option("--json", "as_json", is_flag=True, help="In JSON.")
def take(code: str, key: str, priority: str, as_json: bool) -> None:
    from .tickets import take_ticket

    try:
        with command_ward(code, PLUGIN) as tenant:
            taken = take_ticket(tenant.id, key, priority)
    except UserError as exc:
        _fail(exc)
        return
    data = {
        "number": taken.ticket.number,
        "service": taken.service.key,
        "service_name": taken.service.name,
        "priority": taken.ticket.priority,
        "position": taken.ahead + 1,
        "ahead": taken.ahead,
        "wait_minutes": taken.wait_minutes,
        "taken_at": taken.ticket.taken_at.isoformat(),
    }
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False))
    else:
        click.echo(f"{data['number']}  {data['service_name']}  (vị trí {data['position']}, ~{data['wait_minutes']} phút)")


@queue.command("services", help="Liệt kê dịch vụ (list the services).")
@click.option("--tenant", "code", required=True)
@click.option("--json", "as_json", is_flag=True)
def list_services(code: str, as_json: bool) -> None:
    from .setup import services

    try:
        with command_ward(code, PLUGIN) as tenant:
            rows = [
                {"key": s.key, "letter": s.letter, "name": s.name, "point": s.point,
                 "minutes_per_ticket": s.minutes_per_ticket}
                for s in services(tenant.id)
            ]
    except UserError as exc:
        _fail(exc)
        return
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False))
    else:
        for row in rows:
            click.echo(f"{row['key']:<24} {row['letter']:<3} {row['name']}")


@queue.command("stats", help="Số liệu trong ngày (the day's figures).")
@click.option("--tenant", "code", required=True)
@click.option("--date", "day", required=True, help="YYYY-MM-DD")
@click.option("--json", "as_json", is_flag=True)
def stats(code: str, day: str, as_json: bool) -> None:
    from .figures import day_figures

    try:
        when = date.fromisoformat(day)
    except ValueError:
        _fail(UserError(T("Ngày phải có dạng YYYY-MM-DD", "The date must be YYYY-MM-DD")))
        return
    try:
        with command_ward(code, PLUGIN) as tenant:
            figures = day_figures(tenant.id, when, when)
    except UserError as exc:
        _fail(exc)
        return
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False, default=str))
    else:
        total = figures["total"]
        click.echo(f"{day}: {total['tickets']} số, chờ TB {total['wait_avg']} phút, p90 {total['wait_p90']} phút")
