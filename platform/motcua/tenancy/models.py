"""Tables of provinces, wards (tenants), reception points, counters and calendar overrides."""

from __future__ import annotations

from peewee import BooleanField, CharField, DateField, DateTimeField, ForeignKeyField, TextField

from motcua.clock import now
from motcua.db.base import BaseModel, JSONField, TenantModel


class Province(BaseModel):
    """A province or centrally-run city of the 2025 catalogue (34 of them)."""

    code = CharField(primary_key=True, max_length=2)
    name = TextField()
    short_name = TextField()
    slug = CharField(unique=True, max_length=64)
    catalogue = DateField()
    settings = JSONField(default=dict)


class Tenant(BaseModel):
    """A merged ward or commune hosted by motcua (one service center)."""

    code = CharField(unique=True, max_length=5)
    catalogue = DateField()
    name = TextField()
    slug = CharField(unique=True, max_length=80)
    province = ForeignKeyField(Province, column_name="province_code", backref="tenants")
    # For the type checker: the row id and the province's code, which peewee names after
    # the column (``tenant.province_code``) and sets without a query.
    id: int
    province_code: str
    agency_code = TextField(default="")
    address = TextField(default="")
    phone = TextField(default="")
    office_hours = JSONField(default=list)
    cutoff = CharField(max_length=5, default="15:00")
    merged_from = JSONField(default=list)
    settings = JSONField(default=dict)
    active = BooleanField(default=True)
    # Set when a later re-merge absorbed this ward into another (see tenancy/merge.py).
    merged_into = ForeignKeyField("self", null=True, on_delete="SET NULL", backref="absorbed")
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)


class ReceptionPoint(TenantModel):
    """A place where a ward receives dossiers (a merged ward may keep several)."""

    tenant = ForeignKeyField(Tenant, backref="reception_points", on_delete="CASCADE")
    key = CharField(max_length=40)
    name = TextField()
    address = TextField(default="")
    active = BooleanField(default=True)

    class Meta:
        indexes = ((("tenant", "key"), True),)


class Counter(TenantModel):
    """A counter (quầy) at a reception point, serving some fields (land, civil status…)."""

    tenant = ForeignKeyField(Tenant, backref="counters", on_delete="CASCADE")
    reception_point = ForeignKeyField(ReceptionPoint, backref="counters", on_delete="CASCADE")
    key = CharField(max_length=40)
    name = TextField()
    fields = JSONField(default=list)
    active = BooleanField(default=True)

    class Meta:
        indexes = ((("tenant", "reception_point", "key"), True),)


class CalendarOverride(TenantModel):
    """A ward's own working day or day off, on top of the national and province calendar."""

    tenant = ForeignKeyField(Tenant, backref="calendar_overrides", on_delete="CASCADE")
    day = DateField()
    working = BooleanField()
    note = TextField(default="")
    source = CharField(max_length=8, default="file")  # "file" (tenants/*.toml) or "web"

    class Meta:
        indexes = ((("tenant", "day"), True),)


class ProvinceCalendarOverride(BaseModel):
    """A province-wide working day or day off (e.g. a local holiday or a swapped Saturday)."""

    province = ForeignKeyField(Province, column_name="province_code", backref="calendar_overrides")
    day = DateField()
    working = BooleanField()
    note = TextField(default="")
    updated_by = TextField(default="")

    class Meta:
        indexes = ((("province", "day"), True),)


class CalendarDecision(BaseModel):
    """A national calendar decision loaded by ``motcua calendar update`` (see
    :mod:`motcua.calendar.decisions`); ``content`` is the decision as JSON."""

    number = CharField(primary_key=True, max_length=64)
    content = JSONField()
    origin = TextField()  # the file or URL it was loaded from
    loaded_at = DateTimeField()
    loaded_by = TextField()

    class Meta:
        table_name = "calendar_decision"


class UnitChangeApplied(BaseModel):
    """A unit change set (see :mod:`motcua.units.changes`) applied to the tenants; ``content``
    holds the change set and the names each tenant and province had before."""

    key = CharField(primary_key=True, max_length=80)
    effective = DateField()
    content = JSONField()
    applied_at = DateTimeField()
    applied_by = TextField()

    class Meta:
        table_name = "unit_change_applied"
