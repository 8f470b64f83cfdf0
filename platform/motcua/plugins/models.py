"""Tables of plugin enablement (per ward, per province) and of event-hook failures."""

from __future__ import annotations

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, TextField

from motcua.clock import now
from motcua.db.base import BaseModel, TenantModel
from motcua.tenancy.models import Province, Tenant


class PluginSetting(TenantModel):
    """A ward's choice to enable or disable an installed plugin (overrides the province)."""

    tenant = ForeignKeyField(Tenant, backref="plugin_settings", on_delete="CASCADE")
    plugin = CharField(max_length=100)
    enabled = BooleanField()
    changed_at = DateTimeField(default=now)
    changed_by = TextField(default="")

    class Meta:
        indexes = ((("tenant", "plugin"), True),)


class ProvincePluginSetting(BaseModel):
    """A province's default for its wards: enabled or disabled unless a ward says otherwise."""

    province = ForeignKeyField(Province, column_name="province_code", backref="plugin_settings")
    plugin = CharField(max_length=100)
    enabled = BooleanField()
    changed_at = DateTimeField(default=now)
    changed_by = TextField(default="")

    class Meta:
        indexes = ((("province", "plugin"), True),)


class PluginFailure(TenantModel):
    """An exception a plugin raised in an event hook, shown on the ward's plugin page."""

    tenant = ForeignKeyField(Tenant, backref="plugin_failures", on_delete="CASCADE")
    plugin = CharField(max_length=100)
    hook = CharField(max_length=64)
    error = TextField()
    detail = TextField(default="")
    at = DateTimeField(default=now)

    class Meta:
        indexes = ((("tenant", "at"), False),)
