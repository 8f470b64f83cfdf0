"""Glue between the records service and the app: plugin events and field types."""

from __future__ import annotations

from typing import Any

from flask import Flask

from motcua.plugin_api import EventInfo, RecordInfo
from motcua.plugins import plugin_host
from motcua.records.models import Record, RecordEvent
from motcua.records.service import Notify

# The plugin API names channels as the counter sees them.
PLUGIN_CHANNELS = {"direct": "counter", "online": "online", "postal": "post"}


def record_info(record: Record) -> RecordInfo:
    """Return the plain view of ``record`` that plugins receive."""
    return RecordInfo(
        code=record.code,
        procedure_key=record.procedure_key,
        status=record.status,
        received_at=record.received_at,
        due_at=record.due_at,
        channel=PLUGIN_CHANNELS.get(record.channel, record.channel),
    )


def notifier(app: Flask) -> Notify:
    """Return the function the service calls after a commit to tell the ward's plugins."""
    host = plugin_host(app)

    def notify(hook: str, tenant: Any, record: Record, event: RecordEvent | None) -> None:
        extra: dict[str, Any] = {}
        if event is not None:
            extra["event"] = EventInfo(
                action=event.action,
                from_status=event.from_status or None,
                to_status=event.to_status,
                at=event.at,
                actor=event.actor,
                note=event.note,
            )
        host.notify(hook, tenant, record=record_info(record), **extra)

    return notify


def plugin_field_types(app: Flask, tenant: Any) -> Any:
    """Return the field types of ``tenant`` (built-ins plus its enabled plugins')."""
    return plugin_host(app).field_types(tenant)
