"""Tables of devices: agent tokens, reported devices, print deliveries and scans."""

from __future__ import annotations

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from motcua.clock import now
from motcua.db.base import TenantModel
from motcua.printing.models import PrintJob
from motcua.tenancy.models import Counter, Tenant


class AgentToken(TenantModel):
    """The token of one counter PC's agent: bound to a ward and a counter (so to its
    reception point); only a hash of the secret is kept."""

    tenant = ForeignKeyField(Tenant, on_delete="CASCADE")
    counter = ForeignKeyField(Counter, on_delete="CASCADE")
    name = TextField(default="")
    prefix = CharField(max_length=16)
    secret_hash = CharField(max_length=64)
    created_by = TextField(default="")
    created_at = DateTimeField(default=now)
    last_seen_at = DateTimeField(null=True)
    revoked_at = DateTimeField(null=True)

    class Meta:
        table_name = "agent_token"
        indexes = ((("tenant", "prefix"), True),)


class CounterDevice(TenantModel):
    """A device an agent reported at a counter, with its last health state."""

    tenant = ForeignKeyField(Tenant, on_delete="CASCADE")
    counter = ForeignKeyField(Counter, on_delete="CASCADE")
    name = CharField(max_length=80)
    driver = CharField(max_length=60)
    kind = CharField(max_length=16)
    usb_id = CharField(max_length=9, default="")
    state = CharField(max_length=16)
    detail = TextField(default="")
    reported_at = DateTimeField(default=now)

    class Meta:
        table_name = "counter_device"
        indexes = ((("tenant", "counter", "name"), True),)


class PrintDelivery(TenantModel):
    """Where a print job went: the counter, the device, and whether it came out.

    ``status`` is ``printed`` (acknowledged by the agent: the printer took every byte and
    reported no fault) or ``failed`` (the reason is kept, the agent retries when the device
    is back). A job of a counter without a ``printed`` delivery is still owed.
    """

    tenant = ForeignKeyField(Tenant, on_delete="CASCADE")
    job = ForeignKeyField(PrintJob, on_delete="CASCADE")
    counter = ForeignKeyField(Counter, on_delete="CASCADE")
    status = CharField(max_length=10)
    device = CharField(max_length=80, default="")
    attempts = IntegerField(default=0)
    error_vi = TextField(default="")
    error_en = TextField(default="")
    updated_at = DateTimeField(default=now)
    printed_at = DateTimeField(null=True)

    class Meta:
        table_name = "print_delivery"
        indexes = ((("tenant", "job"), True),)


class CounterScan(TenantModel):
    """A code read by a counter's scanner, waiting for that counter's reception form."""

    tenant = ForeignKeyField(Tenant, on_delete="CASCADE")
    counter = ForeignKeyField(Counter, on_delete="CASCADE")
    text = TextField()
    device = CharField(max_length=80, default="")
    scanned_at = DateTimeField(default=now)
    taken_at = DateTimeField(null=True)
    taken_by = TextField(default="")

    class Meta:
        table_name = "counter_scan"
        indexes = ((("tenant", "counter", "id"), False),)
