"""``motcua worker``, ``motcua outbox``, ``motcua connectors``, ``motcua inbox``, ``motcua portal-sim``."""

from __future__ import annotations

import json
import sys
import time

import click

from motcua.cli import app_context, fail, say, user_errors, ward_by_code_or_slug
from motcua.i18n import T


def _host(app):  # noqa: ANN001, ANN202 - a PluginHost
    from motcua.plugins import plugin_host

    return plugin_host(app)


def message_json(message) -> dict:  # noqa: ANN001
    """Return an outbox row as the JSON of ``motcua outbox list``."""
    return {
        "id": message.id,
        "connector": message.connector,
        "kind": message.kind,
        "record": message.record_key,
        "seq": message.seq,
        "state": message.state,
        "attempts": message.attempts,
        "idempotency_key": message.idempotency_key,
        "next_attempt_at": message.next_attempt_at.isoformat() if message.next_attempt_at else None,
        "created_at": message.created_at.isoformat() if message.created_at else None,
        "delivered_at": message.delivered_at.isoformat() if message.delivered_at else None,
        "last_error": message.last_error,
        "reference": message.reference,
    }


def register(main: click.Group) -> None:
    """Add the connector commands to ``main``."""

    @main.command()
    @click.option(
        "--once",
        is_flag=True,
        help="Một lượt lệnh in và tin đến hạn rồi thoát (one round of print jobs and due messages, then exit)",
    )
    @click.option(
        "--drain",
        is_flag=True,
        help="Gửi tới khi hết tin chờ rồi thoát (deliver until no message is pending, then exit)",
    )
    @click.option(
        "--poll", default=1.0, show_default=True, help="Giây giữa hai lần kiểm tra (poll seconds)"
    )
    @click.option(
        "--lease",
        default=120.0,
        show_default=True,
        help="Giây giữ một lệnh in hay một tin khi xử lý (lease seconds)",
    )
    @click.option(
        "--max-attempts",
        default=10,
        show_default=True,
        help="Số lần thử trước khi vào hàng lỗi (tries before dead letter)",
    )
    @click.option(
        "--base-delay",
        default=2.0,
        show_default=True,
        help="Giây chờ trước lần thử thứ hai (first backoff, seconds)",
    )
    @click.option(
        "--max-delay",
        default=600.0,
        show_default=True,
        help="Giây chờ dài nhất (longest backoff, seconds)",
    )
    @click.option(
        "--threads",
        default=8,
        show_default=True,
        help="Số tin gửi cùng lúc (messages sent at once)",
    )
    @click.option(
        "--max-seconds",
        default=None,
        type=float,
        help="Dừng drain sau chừng ấy giây (stop draining after)",
    )
    @click.option(
        "--pull-every",
        default=60.0,
        show_default=True,
        help="Giây giữa hai lần lấy hồ sơ trực tuyến (seconds between pulls)",
    )
    def worker(
        once: bool,
        drain: bool,
        poll: float,
        lease: float,
        max_attempts: int,
        base_delay: float,
        max_delay: float,
        threads: int,
        max_seconds: float | None,
        pull_every: float,
    ) -> None:
        """Tạo PDF lệnh in, gửi tin outbox tới các cổng (render print jobs, deliver the outbox).

        With --drain: exit 0 when every message is delivered, 2 when some are in the dead
        letter (see `motcua outbox list --state dead`).
        """
        from functools import partial

        from motcua.connectors.backoff import RetryPolicy
        from motcua.connectors.delivery import Worker, dead_count
        from motcua.connectors.inbox import pull_all
        from motcua.printing.jobs import run_worker
        from motcua.web.ward import ward_for

        policy = RetryPolicy(max_attempts=max_attempts, base_delay=base_delay, max_delay=max_delay)
        with app_context() as app:
            runner = Worker(_host(app), policy=policy, lease=lease, threads=threads)
            wards = partial(ward_for, app)
            if once or drain:
                printed = run_worker(wards, once=True, lease_seconds=int(lease))
                tries = runner.drain(max_seconds=max_seconds) if drain else runner.run_once()
                dead = dead_count()
                say(T("Đã xử lý {n} lệnh in", "Processed {n} print jobs", n=printed))
                say(T("Đã thử gửi {n} lần", "{n} delivery tries", n=tries))
                if drain and dead:
                    say(T("{n} tin trong hàng lỗi", "{n} messages in the dead letter", n=dead))
                    sys.exit(2)
                return
            say(T("Worker đang chạy (Ctrl+C để dừng)", "Worker running (Ctrl+C to stop)"))
            last_pull = float("-inf")
            try:
                while True:
                    if time.monotonic() - last_pull >= pull_every:
                        pull_all(runner.host)
                        last_pull = time.monotonic()
                    busy = (
                        run_worker(wards, once=True, lease_seconds=int(lease)) + runner.run_once()
                    )
                    if not busy:
                        time.sleep(poll)
            except KeyboardInterrupt:
                return

    @main.group()
    def outbox() -> None:
        """Tin gửi cổng (portal outbox)."""

    @outbox.command("list")
    @click.option(
        "--tenant", "code", required=True, help="Mã hoặc slug phường/xã (ward code or slug)"
    )
    @click.option("--state", type=click.Choice(["pending", "delivered", "dead"]), default=None)
    @click.option("--limit", default=200, show_default=True)
    @click.option("--json", "as_json", is_flag=True, help="In JSON (print JSON)")
    def outbox_list(code: str, state: str | None, limit: int, as_json: bool) -> None:
        """Liệt kê tin của phường/xã, mới nhất trước (list the ward's messages, newest first)."""
        from motcua.connectors.models import OutboxMessage

        with app_context():
            tenant = ward_by_code_or_slug(code)
            query = OutboxMessage.select().where(OutboxMessage.tenant == tenant)
            if state:
                query = query.where(OutboxMessage.state == state)
            rows = [message_json(m) for m in query.order_by(OutboxMessage.id.desc()).limit(limit)]
        if as_json:
            click.echo(json.dumps({"messages": rows}, ensure_ascii=False, indent=2))
            return
        for row in rows:
            click.echo(
                f"{row['id']:>7} {row['state']:<9} {row['connector']:<10} {row['record']:<28} "
                f"#{row['seq']:<3} {row['attempts']} {row['last_error'][:60]}"
            )

    @outbox.command("retry")
    @click.argument("message_id", type=int)
    @user_errors
    def outbox_retry(message_id: int) -> None:
        """Gửi lại một tin (put a message back in line now)."""
        from motcua.connectors.delivery import retry

        with app_context():
            message = retry(None, message_id, actor="cli")
        say(T("Tin {id} sẽ được gửi lại", "Message {id} will be sent again", id=message.id))

    @main.group()
    def connectors() -> None:
        """Kết nối cổng (portal connectors)."""

    @connectors.command("configure")
    @click.option(
        "--tenant", "code", default=None, help="Mã hoặc slug phường/xã (ward code or slug)"
    )
    @click.option(
        "--province",
        default=None,
        help="Mã tỉnh: thiết lập chung cho các phường/xã (province code: settings for all its wards)",
    )
    @click.option(
        "--connector", "name", required=True, help="Tên kết nối, ví dụ dvcqg (connector name)"
    )
    @click.option(
        "--set", "pairs", multiple=True, help="KHÓA=GIÁ_TRỊ, ví dụ base_url=http://127.0.0.1:8765"
    )
    @user_errors
    def configure_command(
        code: str | None, province: str | None, name: str, pairs: tuple[str, ...]
    ) -> None:
        """Bật kết nối cho phường/xã kèm thiết lập (enable a connector with its settings)."""
        from motcua.connectors.settings import configure, configure_province, masked, parse_pairs

        if bool(code) == bool(province):
            fail(T("Ghi --tenant hoặc --province", "Give --tenant or --province"))
        values = parse_pairs(list(pairs))
        with app_context() as app:
            host = _host(app)
            if province:
                configure_province(host, province, name, values, actor="cli")
                say(
                    T("Đã lưu thiết lập tỉnh {p}", "Saved the settings of province {p}", p=province)
                )
                return
            effective = configure(host, ward_by_code_or_slug(code or ""), name, values, actor="cli")
        click.echo(json.dumps(masked(effective), ensure_ascii=False, sort_keys=True))

    @connectors.command("pull")
    @click.option(
        "--tenant", "code", required=True, help="Mã hoặc slug phường/xã (ward code or slug)"
    )
    def pull_command(code: str) -> None:
        """Lấy hồ sơ trực tuyến mới một lần (fetch new online dossiers once)."""
        from motcua.connectors.inbox import pull

        with app_context() as app:
            result = pull(_host(app), ward_by_code_or_slug(code))
        say(
            T(
                "{new} hồ sơ mới, {seen} đã có",
                "{new} new dossiers, {seen} already in the inbox",
                new=result.new,
                seen=result.seen,
            )
        )
        for error in result.errors:
            click.echo(f"Lỗi / Error: {error}", err=True)
        if result.errors:
            sys.exit(1)

    @main.group()
    def inbox() -> None:
        """Hồ sơ trực tuyến chờ tiếp nhận (online inbox)."""

    @inbox.command("list")
    @click.option(
        "--tenant", "code", required=True, help="Mã hoặc slug phường/xã (ward code or slug)"
    )
    @click.option("--state", type=click.Choice(["new", "accepted", "refused"]), default=None)
    @click.option("--json", "as_json", is_flag=True, help="In JSON (print JSON)")
    def inbox_list(code: str, state: str | None, as_json: bool) -> None:
        """Liệt kê hồ sơ trực tuyến (list online dossiers)."""
        from motcua.connectors.inbox import inbox_items, item_json

        with app_context():
            rows = [item_json(i) for i in inbox_items(ward_by_code_or_slug(code), state)]
        if as_json:
            click.echo(json.dumps({"items": rows}, ensure_ascii=False, indent=2))
            return
        for row in rows:
            click.echo(
                f"{row['id']:>6} {row['state']:<9} {row['portal_ref']:<24} {row['applicant'].get('name', '')}"
            )

    @main.command("portal-sim")
    @click.option("--host", default="127.0.0.1", show_default=True)
    @click.option("--port", default=8765, show_default=True)
    @click.option(
        "--fail-rate",
        default=0.0,
        show_default=True,
        help="Tỉ lệ lỗi cố ý 0-1 (share of failed answers)",
    )
    @click.option(
        "--latency-ms",
        default=0,
        show_default=True,
        help="Độ trễ mỗi câu trả lời (latency per answer)",
    )
    @click.option(
        "--hang-ms",
        default=3000,
        show_default=True,
        help="Độ dài một lần treo khi lỗi timeout (length of a timeout failure)",
    )
    @click.option(
        "--data",
        "data_file",
        default=None,
        type=click.Path(exists=True, dir_okay=False),
        help="Tệp JSON hồ sơ trực tuyến (JSON file of online dossiers)",
    )
    @click.option(
        "--per-ward",
        default=3,
        show_default=True,
        help="Số hồ sơ mẫu mỗi phường/xã (seeded dossiers per ward)",
    )
    @click.option("--seed", default=None, type=int, help="Hạt giống ngẫu nhiên (random seed)")
    @click.option(
        "--public-url",
        default=None,
        help="Địa chỉ công khai của trình giả lập (its public URL, for OIDC)",
    )
    @click.option(
        "--now",
        "now_text",
        default=None,
        help="Giờ của trình giả lập, ví dụ 2026-12-02T09:30 (the simulator's clock)",
    )
    def portal_sim(
        host: str,
        port: int,
        fail_rate: float,
        latency_ms: int,
        hang_ms: int,
        data_file: str | None,
        per_ward: int,
        seed: int | None,
        public_url: str | None,
        now_text: str | None,
    ) -> None:
        """Chạy trình giả lập Cổng DVC (run the portal simulator)."""
        from datetime import datetime

        from werkzeug.serving import run_simple

        from motcua.portal_sim.app import SimOptions, create_sim

        options = SimOptions(
            fail_rate=fail_rate,
            latency_ms=latency_ms,
            hang_ms=hang_ms,
            data_file=data_file,
            per_ward=per_ward,
            seed=seed,
            public_url=public_url or f"http://{host}:{port}",
            now=datetime.fromisoformat(now_text) if now_text else None,
        )
        say(T("Trình giả lập cổng ở {url}", "Portal simulator at {url}", url=options.public_url))
        run_simple(host, port, create_sim(options), threaded=True)
