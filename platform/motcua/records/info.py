"""The plain views of records that plugins receive (never a database row)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from motcua.plugin_api import ApplicantInfo, EventInfo, RecordInfo

if TYPE_CHECKING:
    from motcua.records.models import Record, RecordEvent

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
        applicant=ApplicantInfo(
            name=record.applicant_name or "",
            id_number=record.applicant_id_number or "",
            phone=record.applicant_phone or "",
            email=record.applicant_email or "",
            address=record.applicant_address or "",
        ),
        procedure_name=record.procedure_name or "",
        resolved_at=record.resolved_at,
        returned_at=record.returned_at,
        received_by=record.received_by or "",
    )


def event_info(event: RecordEvent) -> EventInfo:
    """Return the plain view of a record's status change."""
    return EventInfo(
        action=event.action,
        from_status=event.from_status or None,
        to_status=event.to_status,
        at=event.at,
        actor=event.actor,
        note=event.note,
    )
