"""The audit log: who did what, where and when. Written in the same transaction as the change."""

from __future__ import annotations

from typing import Any

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from motcua.clock import now
from motcua.db.base import BaseModel, JSONField
from motcua.db.connection import insert_row
from motcua.tenancy.models import Tenant


class AuditLog(BaseModel):
    """One audited action. ``tenant`` is empty for platform-wide actions."""

    tenant = ForeignKeyField(Tenant, null=True, backref="audit_log", on_delete="CASCADE")
    user_id = CharField(null=True, max_length=20)
    actor = TextField(default="")
    action = CharField(max_length=64)
    target = TextField(default="")
    detail = JSONField(default=dict)
    ip = CharField(max_length=64, default="")
    at = DateTimeField(default=now)
    chain_hash = CharField(max_length=64, default="")

    class Meta:
        indexes = ((("tenant", "at"), False),)


class AuditAnchor(BaseModel):
    """A ward's audit chain head at one moment (``motcua audit anchor``)."""

    tenant = ForeignKeyField(Tenant, null=True, on_delete="CASCADE")
    audit_id = IntegerField()
    chain_hash = CharField(max_length=64)
    at = DateTimeField(default=now)

    class Meta:
        indexes = ((("tenant", "audit_id"), False),)


def audit(
    action: str,
    *,
    tenant: Tenant | int | None = None,
    user: Any = None,
    actor: str = "",
    target: str = "",
    ip: str = "",
    **detail: Any,
) -> AuditLog:
    """Record ``action`` (e.g. ``"auth.login"``) and return the row.

    ``user`` is a :class:`~motcua.accounts.models.User` or None; ``actor`` defaults to its
    login. Call inside the transaction of the change being audited.
    """
    return insert_row(
        AuditLog,
        tenant=tenant,
        user_id=str(user.id) if user is not None else None,
        actor=actor or (user.login if user is not None else ""),
        action=action,
        target=target,
        detail=detail,
        ip=ip,
    )
