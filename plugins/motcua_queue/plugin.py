"""The ``queue`` plugin: tickets, counters, display board, ratings and figures (docs/queue.md).

Built on :mod:`motcua.plugin_api` and the hooks of :mod:`motcua.hookspecs` only.
"""

from __future__ import annotations

import logging
from typing import Any

from motcua.plugin_api import PluginMigration, RecordInfo, TenantInfo, hookimpl
from motcua_queue import __version__ as __version__

plugin_name = "queue"
default_enabled = True

log = logging.getLogger("motcua_queue")


@hookimpl
def register_migrations() -> list[PluginMigration]:
    """Return the plugin's tables (:mod:`motcua_queue.schema`)."""
    from motcua_queue.schema import STEPS

    return STEPS


@hookimpl
def register_blueprints() -> list[Any]:
    """Return the kiosk, counter, board, rating, admin and figures pages."""
    from motcua_queue.web import pages

    return [pages]


@hookimpl
def register_commands() -> list[Any]:
    """Return ``motcua queue`` (take, services, stats)."""
    from motcua_queue.cli import queue

    return [queue]


@hookimpl
def tenant_created(tenant: TenantInfo) -> None:
    """Give a new ward its services and counters from the counters it was created with."""
    from motcua_queue.setup import seed_from_counters

    seed_from_counters(tenant)


@hookimpl
def record_received(tenant: TenantInfo, record: RecordInfo) -> None:
    """Link a record to the ticket its receiver is serving (wait and service time per record)."""
    from motcua_queue.tickets import link_record

    if record.received_by:
        link_record(tenant.id, record.code, record.received_by, record.received_at)


@hookimpl
def record_lookup_links(tenant: TenantInfo, record: RecordInfo) -> list[Any]:
    """Offer the rating page on the record's lookup page (the slip's QR) while its visit is unrated."""
    from urllib.parse import quote

    from motcua.plugin_api import PublicLink, T
    from motcua_queue.models import TicketRecord
    from motcua_queue.ratings import rating_of_ticket

    link = TicketRecord.get_or_none(TicketRecord.tenant_id == tenant.id, TicketRecord.record_code == record.code)
    if link is None or rating_of_ticket(link.ticket) is not None:
        return []
    return [PublicLink(T("Đánh giá sự hài lòng với cán bộ tiếp nhận", "Rate the counter's service"),
                       f"/{tenant.slug}/x/queue/danh-gia/ho-so/{quote(record.code, safe='.-')}")]


@hookimpl
def register_ward_links() -> list[Any]:
    """Tiles on the ward's home page: the queue's start page, the counters, the figures."""
    from motcua.plugin_api import T, WardLink

    return [
        WardLink("queue.counters", T("Quầy: gọi số", "Counter: call numbers"),
                 T("Gọi số, tiếp nhận hồ sơ từ số thứ tự", "Call tickets, receive records from them"),
                 permission="records.receive", order=12),
        WardLink("queue.start", T("Xếp hàng lấy số", "Queue"),
                 T("Máy lấy số và bảng gọi số của từng điểm tiếp nhận", "Kiosk and display board of each reception point"),
                 order=14),
        WardLink("queue.figures_page", T("Số liệu xếp hàng, hài lòng", "Queue and satisfaction figures"),
                 T("Thời gian chờ, phục vụ, vắng mặt, đánh giá", "Waits, service time, no-shows, ratings"),
                 permission="reports.view", order=65),
        WardLink("queue.setup_page", T("Dịch vụ và quầy xếp hàng", "Queue services and counters"),
                 T("Dịch vụ, chữ cái số thứ tự, quầy gọi dịch vụ nào", "Services, ticket letters, which counter calls which"),
                 permission="ward.configure", order=75),
    ]
