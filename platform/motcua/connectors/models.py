"""Tables of the portal connectors: the outbox, the connector settings and the online inbox."""

from __future__ import annotations

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from motcua.clock import now
from motcua.db.base import BaseModel, JSONField, TenantModel
from motcua.records.models import Record
from motcua.tenancy.models import Province, Tenant

PENDING, DELIVERED, DEAD = "pending", "delivered", "dead"
STATES = (PENDING, DELIVERED, DEAD)


class OutboxMessage(TenantModel):
    """A message for one connector, written in the transaction of the change it reports.

    ``record_key`` orders delivery: a message is due only when every earlier message of
    the same ward, connector and key (``seq`` lower) is delivered. ``claimed_until`` is the
    lease of the worker sending it: a worker killed mid-delivery leaves a lease that runs
    out, and the message is claimed again. ``idempotency_key`` goes with every try, so the
    portal applies a message sent twice only once.
    """

    tenant = ForeignKeyField(Tenant, on_delete="CASCADE")
    connector = CharField(max_length=100)
    kind = CharField(max_length=40)
    record = ForeignKeyField(Record, null=True, on_delete="SET NULL")
    record_key = CharField(max_length=120)
    seq = IntegerField()
    idempotency_key = CharField(max_length=64)
    payload = JSONField(default=dict)
    state = CharField(max_length=12, default=PENDING)
    attempts = IntegerField(default=0)
    next_attempt_at = DateTimeField(default=now)
    claimed_until = DateTimeField(null=True)
    claimed_by = CharField(max_length=64, default="")
    last_error = TextField(default="")
    reference = TextField(default="")
    created_at = DateTimeField(default=now)
    delivered_at = DateTimeField(null=True)

    class Meta:
        table_name = "outbox_message"
        indexes = (
            (("tenant", "idempotency_key"), True),
            (("tenant", "connector", "record_key", "seq"), True),
            (("state", "next_attempt_at"), False),
            (("tenant", "state", "created_at"), False),
        )


class ConnectorSetting(TenantModel):
    """A ward's settings of a connector (override the province's), e.g. its base URL."""

    tenant = ForeignKeyField(Tenant, on_delete="CASCADE")
    connector = CharField(max_length=100)
    settings = JSONField(default=dict)
    changed_at = DateTimeField(default=now)
    changed_by = TextField(default="")

    class Meta:
        table_name = "connector_setting"
        indexes = ((("tenant", "connector"), True),)


class ProvinceConnectorSetting(BaseModel):
    """A province's settings of a connector for all its wards: base URL, agency code, credentials."""

    province = ForeignKeyField(Province, column_name="province_code")
    connector = CharField(max_length=100)
    settings = JSONField(default=dict)
    changed_at = DateTimeField(default=now)
    changed_by = TextField(default="")

    class Meta:
        table_name = "province_connector_setting"
        indexes = ((("province", "connector"), True),)


NEW, ACCEPTED, REFUSED = "new", "accepted", "refused"


class InboxItem(TenantModel):
    """An online dossier submitted on a portal, waiting in the ward's online inbox.

    ``portal_ref`` is the portal's code of the dossier: the same dossier pulled twice is
    one row. Accepting it creates ``record``; refusing it keeps ``reason``.
    """

    tenant = ForeignKeyField(Tenant, on_delete="CASCADE")
    connector = CharField(max_length=100)
    portal_ref = CharField(max_length=120)
    procedure_key = CharField(max_length=80, default="")
    procedure_code = CharField(max_length=40, default="")
    applicant = JSONField(default=dict)
    form_values = JSONField(default=dict)
    files = JSONField(default=list)
    submitted_at = DateTimeField()
    pulled_at = DateTimeField(default=now)
    state = CharField(max_length=12, default=NEW)
    record = ForeignKeyField(Record, null=True, on_delete="SET NULL")
    reason = TextField(default="")
    decided_by = TextField(default="")
    decided_at = DateTimeField(null=True)

    class Meta:
        table_name = "inbox_item"
        indexes = (
            (("tenant", "connector", "portal_ref"), True),
            (("tenant", "state", "submitted_at"), False),
        )
