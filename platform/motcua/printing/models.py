"""Tables of printing: template overrides of a province and of a ward, and print jobs.

Override rows are written once (a new save is a new ``number``), so the ``content_hash``
a print job records always finds the exact source it was printed with. A row with
``retired`` set hands the form back to the layer below.
"""

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
from motcua.db.base import BaseModel, TenantModel
from motcua.records.models import Record
from motcua.tenancy.models import Counter, Province, ReceptionPoint, Tenant


class ProvinceTemplate(BaseModel):
    """A province's version of a form, in force in every ward of the province."""

    province = ForeignKeyField(Province, column_name="province_code")
    form = CharField(max_length=40)
    number = IntegerField()
    source = TextField()
    paper = CharField(max_length=16)
    content_hash = CharField(max_length=64)
    retired = BooleanField(default=False)
    created_by = TextField(default="")
    created_at = DateTimeField(default=now)

    class Meta:
        table_name = "province_print_template"
        indexes = ((("province", "form", "number"), True), (("content_hash",), False))


class WardTemplate(TenantModel):
    """A ward's own version of a form (the ``ward`` layer)."""

    tenant = ForeignKeyField(Tenant, on_delete="CASCADE")
    form = CharField(max_length=40)
    number = IntegerField()
    source = TextField()
    paper = CharField(max_length=16)
    content_hash = CharField(max_length=64)
    retired = BooleanField(default=False)
    created_by = TextField(default="")
    created_at = DateTimeField(default=now)

    class Meta:
        table_name = "print_template"
        indexes = ((("tenant", "form", "number"), True), (("tenant", "content_hash"), False))


class PrintJob(TenantModel):
    """A durable request to print a form: queued, then rendered to a stored PDF.

    ``template_layer`` and ``template_hash`` name the exact template used;
    ``event_seq`` is the record event written for the print (the context is built from
    the events before it, so a late render prints what was true when it was asked for).
    ``period_start``/``period_end`` are set for the record tracking book (form 07),
    which has no record. ``lease_until`` is the time a worker's claim expires.
    """

    tenant = ForeignKeyField(Tenant, on_delete="CASCADE")
    record = ForeignKeyField(Record, null=True, on_delete="CASCADE")
    form = CharField(max_length=40)
    template_layer = CharField(max_length=16)
    template_hash = CharField(max_length=64)
    paper = CharField(max_length=16)
    copies = IntegerField(default=1)
    reception_point = ForeignKeyField(ReceptionPoint, null=True, on_delete="SET NULL")
    counter = ForeignKeyField(Counter, null=True, on_delete="SET NULL")  # whose printer owes it
    status = CharField(max_length=10, default="queued")
    reprint = BooleanField(default=False)
    event_seq = IntegerField(null=True)
    period_start = DateField(null=True)
    period_end = DateField(null=True)
    pdf_path = TextField(default="")
    pdf_sha256 = CharField(max_length=64, default="")
    error = TextField(default="")
    attempts = IntegerField(default=0)
    lease_until = DateTimeField(null=True)
    created_by = TextField(default="")
    created_at = DateTimeField(default=now)
    rendered_at = DateTimeField(null=True)

    class Meta:
        table_name = "print_job"
        indexes = ((("tenant", "record"), False), (("status", "id"), False))
