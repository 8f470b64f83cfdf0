"""Tables of records (dossiers), their events (the process control sheet), code counters
and idempotency keys."""

from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from motcua.clock import now
from motcua.db.base import JSONField, TenantModel
from motcua.notebooks.store import NotebookVersion
from motcua.tenancy.models import Counter, ReceptionPoint, Tenant


class Record(TenantModel):
    """A dossier received by a ward: applicant, values, documents, status and deadline.

    ``data`` holds the values validated against the pinned notebook version
    ``notebook_version``; ``documents`` the papers received (key, form, count).
    ``applicant_search`` is the applicant's name folded (no accents, lower case) for search.
    ``paused_working_time`` is the office time (seconds) spent waiting for supplements.
    """

    tenant = ForeignKeyField(Tenant, backref="records", on_delete="CASCADE")
    code = CharField(max_length=64)
    procedure_key = CharField(max_length=80)
    procedure_name = TextField(default="")
    notebook_version = ForeignKeyField(NotebookVersion, null=True, on_delete="RESTRICT")
    status = CharField(max_length=24)
    channel = CharField(max_length=10)
    applicant_name = TextField()
    applicant_search = TextField()
    applicant_id_number = CharField(max_length=12, default="")
    applicant_phone = CharField(max_length=20, default="")
    applicant_address = TextField(default="")
    applicant_email = TextField(default="")
    residence_ward_code = CharField(max_length=5, default="")
    non_territorial = BooleanField(default=False)
    data = JSONField(default=dict)
    documents = JSONField(default=list)
    reception_point = ForeignKeyField(ReceptionPoint, null=True, on_delete="SET NULL")
    counter = ForeignKeyField(Counter, null=True, on_delete="SET NULL")
    received_by = TextField(default="")
    received_at = DateTimeField()
    due_at = DateTimeField(null=True)
    limit_spec = CharField(max_length=20, default="")
    paused_at = DateTimeField(null=True)
    paused_working_time = IntegerField(default=0)
    resolved_at = DateTimeField(null=True)
    returned_at = DateTimeField(null=True)
    # When the record left the open work: resolved, withdrawn or refused (reports read it).
    closed_at = DateTimeField(null=True)
    field_area = CharField(max_length=40, default="")
    outcome = CharField(max_length=10, default="")
    lock_version = IntegerField(default=1)
    updated_at = DateTimeField(default=now)
    # Set on records imported from an old district or commune system (mã cũ).
    legacy_code = CharField(max_length=64, null=True)
    legacy_unit_code = CharField(max_length=5, default="")

    class Meta:
        table_name = "record"
        indexes = (
            (("tenant", "code"), True),
            (("tenant", "legacy_code"), True),
            (("tenant", "status", "due_at"), False),
            (("tenant", "received_at", "id"), False),
            (("tenant", "applicant_search"), False),
            (("tenant", "applicant_phone"), False),
            (("tenant", "applicant_id_number"), False),
            (("tenant", "closed_at"), False),
            (("tenant", "resolved_at"), False),
            (("tenant", "returned_at"), False),
        )


class RecordEvent(TenantModel):
    """One row of the process control sheet: who did what to the record, when, and whether
    on time. ``seq`` numbers a record's events from 1."""

    tenant = ForeignKeyField(Tenant, on_delete="CASCADE")
    record = ForeignKeyField(Record, backref="events", on_delete="CASCADE")
    seq = IntegerField()
    action = CharField(max_length=32)
    from_status = CharField(max_length=24, default="")
    to_status = CharField(max_length=24)
    actor = TextField(default="")
    role = CharField(max_length=20, default="")
    at = DateTimeField()
    note = TextField(default="")
    details = JSONField(default=dict)
    step_outcome = CharField(max_length=10, default="")

    class Meta:
        table_name = "record_event"
        indexes = ((("tenant", "record", "seq"), True),)


class RecordCounter(TenantModel):
    """The last record number given by a ward on a day (see :mod:`motcua.records.codes`)."""

    tenant = ForeignKeyField(Tenant, on_delete="CASCADE")
    day = DateField()
    value = IntegerField()

    class Meta:
        table_name = "record_counter"
        indexes = ((("tenant", "day"), True),)


class IdempotencyKey(TenantModel):
    """A client's key for a create request: a retry with the same key returns the first record."""

    tenant = ForeignKeyField(Tenant, on_delete="CASCADE")
    key = CharField(max_length=200)
    record = ForeignKeyField(Record, on_delete="CASCADE")
    created_at = DateTimeField(default=now)

    class Meta:
        table_name = "idempotency_key"
        indexes = ((("tenant", "key"), True),)


class Attachment(TenantModel):
    """A scanned file of a record, stored as ``<data_dir>/attachments/<tenant code>/<stored_name>``.

    ``stored_name`` is random (never the uploader's file name); ``sha256`` is the checksum
    of the content, checked again when the file is served.
    """

    tenant = ForeignKeyField(Tenant, on_delete="CASCADE")
    record = ForeignKeyField(Record, backref="attachments", on_delete="CASCADE")
    name = TextField()
    content_type = CharField(max_length=40)
    size = IntegerField()
    sha256 = CharField(max_length=64)
    stored_name = CharField(max_length=80)
    uploaded_by = TextField(default="")
    uploaded_at = DateTimeField(default=now)

    class Meta:
        table_name = "attachment"
        indexes = (
            (("tenant", "stored_name"), True),
            (("tenant", "record", "id"), False),
        )
