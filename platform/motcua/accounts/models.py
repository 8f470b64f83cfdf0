"""Tables of users, ward memberships, province roles and API tokens."""

from __future__ import annotations

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from motcua.clock import now
from motcua.db.base import BaseModel, JSONField, TenantModel
from motcua.tenancy.models import Province, Tenant


class User(BaseModel):
    """A person who signs in (staff, admins). Citizens never need an account."""

    login = CharField(unique=True, max_length=64)
    full_name = TextField(default="")
    password_hash = TextField()
    is_platform_admin = BooleanField(default=False)
    active = BooleanField(default=True)
    language = CharField(max_length=2, default="vi")
    failed_logins = IntegerField(default=0)
    locked_until = DateTimeField(null=True)
    created_at = DateTimeField(default=now)
    last_login_at = DateTimeField(null=True)
    session_stamp = CharField(max_length=32, default="")  # new at sign-out: sessions end

    class Meta:
        table_name = "app_user"  # "user" is reserved in PostgreSQL


class RateCounter(BaseModel):
    """Hits of one key (e.g. ``login:account:<login>:<window>``) until ``expires_at``."""

    key = CharField(max_length=200, unique=True)
    hits = IntegerField()
    expires_at = DateTimeField(index=True)


class Membership(TenantModel):
    """A user's role in one ward: ``ward_admin``, ``leader``, ``specialist`` or ``staff``."""

    tenant = ForeignKeyField(Tenant, backref="memberships", on_delete="CASCADE")
    user = ForeignKeyField(User, backref="memberships", on_delete="CASCADE")
    role = CharField(max_length=20)
    created_at = DateTimeField(default=now)
    active = BooleanField(default=True)  # False: disabled in this ward by its admin
    counters = JSONField(default=list)  # ids of the ward's counters the user works at

    class Meta:
        indexes = ((("tenant", "user"), True),)


class ProvinceRole(BaseModel):
    """A province admin: sees every ward of the province and publishes its notebooks."""

    province = ForeignKeyField(Province, column_name="province_code", backref="admins")
    user = ForeignKeyField(User, backref="province_roles", on_delete="CASCADE")
    created_at = DateTimeField(default=now)

    class Meta:
        indexes = ((("province", "user"), True),)


class ApiToken(TenantModel):
    """A machine's token, bound to one ward and a set of permissions; only a hash is kept."""

    tenant = ForeignKeyField(Tenant, backref="api_tokens", on_delete="CASCADE")
    user = ForeignKeyField(User, backref="api_tokens", on_delete="CASCADE")
    name = TextField(default="")
    prefix = CharField(max_length=16)
    secret_hash = CharField(max_length=64)
    scopes = JSONField(default=list)
    created_at = DateTimeField(default=now)
    last_used_at = DateTimeField(null=True)
    revoked_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("tenant", "prefix"), True), (("tenant", "user"), False))
