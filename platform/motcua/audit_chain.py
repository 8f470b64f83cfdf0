"""The audit log as a hash chain per ward: an edited or removed row shows.

Each row carries ``chain_hash`` = SHA-256 of the previous row's hash in the same ward (or
of the platform-wide rows, ``tenant`` empty) and this row's content, so changing a row
breaks its own link and removing one breaks the next. A removed newest row leaves no
next row: ``audit_anchor`` keeps a ward's chain head from time to time (when a row's id
is a multiple of :data:`ANCHOR_EVERY`, and on ``motcua audit anchor``, e.g. nightly from
cron), and verification checks the anchors too. Rows written before migration 0014 have no hash and are reported as such.

Writers of one ward take turns for the link: SQLite's write transaction already holds
the database's write lock; on PostgreSQL a transaction-level advisory lock per ward does.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from motcua.db.base import JSONField
from motcua.db.connection import database, insert_row, is_sqlite

ANCHOR_EVERY = 100
_LOCK_SPACE = 0x6D63_6175  # "mcau": the advisory-lock namespace of the audit chain
_JSON = JSONField()


def link(previous: str, row: dict[str, Any]) -> str:
    """Return the chain hash of ``row`` (its stored columns) after ``previous``."""
    content = json.dumps(
        [previous, row["tenant_id"], row["user_id"], row["actor"], row["action"], row["target"],
         _JSON.db_value(row["detail"]), row["ip"], row["at"].isoformat(sep=" ")],
        ensure_ascii=False,
    )
    return hashlib.sha256(content.encode()).hexdigest()


def stored_detail(detail: Any) -> Any:
    """Return ``detail`` as the JSON column gives it back (so the hash is the same later)."""
    return _JSON.python_value(_JSON.db_value(detail))


def chain_head(tenant_id: int | None) -> tuple[int | None, str]:
    """Take the ward's chain lock (inside the caller's transaction); return the newest
    row's id and hash (``(None, "")`` for an empty chain)."""
    from motcua.audit import AuditLog

    if not is_sqlite():
        database.execute_sql("SELECT pg_advisory_xact_lock(%s, %s)", (_LOCK_SPACE, tenant_id or 0))
    last = (AuditLog.select(AuditLog.id, AuditLog.chain_hash)
            .where(_same_chain(tenant_id)).order_by(AuditLog.id.desc()).first())
    return (last.id, last.chain_hash) if last is not None else (None, "")


def _same_chain(tenant_id: int | None) -> Any:
    from motcua.audit import AuditLog

    return AuditLog.tenant.is_null() if tenant_id is None else AuditLog.tenant == tenant_id


def anchor(tenant_id: int | None) -> Any:
    """Record the ward's chain head now; return the anchor row (None for an empty chain)."""
    from motcua.audit import AuditAnchor

    audit_id, head = chain_head(tenant_id)
    if audit_id is None:
        return None
    return insert_row(AuditAnchor, tenant=tenant_id, audit_id=audit_id, chain_hash=head)


@dataclass(frozen=True)
class Verdict:
    """What :func:`verify` found: ``broken_at`` is the first row id whose link fails (None:
    intact); ``reason`` says why; ``checked`` counts chained rows, ``unchained`` older rows."""

    checked: int
    unchained: int
    broken_at: int | None = None
    reason: str = ""

    @property
    def intact(self) -> bool:
        """Return True when no link and no anchor fails."""
        return self.broken_at is None


def verify(tenant_id: int | None) -> Verdict:
    """Walk the ward's chain from its first row and report the first broken link."""
    from motcua.audit import AuditAnchor, AuditLog

    previous, checked, unchained, started = "", 0, 0, False
    hashes: dict[int, str] = {}
    for row in AuditLog.select().where(_same_chain(tenant_id)).order_by(AuditLog.id).iterator():
        if not row.chain_hash and not started:
            unchained += 1  # written before the chain existed (migration 0014)
            continue
        started = True
        expected = link(previous, {"tenant_id": row.tenant_id, "user_id": row.user_id, "actor": row.actor,
                                   "action": row.action, "target": row.target, "detail": row.detail,
                                   "ip": row.ip, "at": row.at})
        if row.chain_hash != expected:
            return Verdict(checked, unchained, row.id, "changed, or a row before it removed")
        hashes[row.id] = row.chain_hash
        previous = row.chain_hash
        checked += 1
    anchors = AuditAnchor.select().where(
        AuditAnchor.tenant.is_null() if tenant_id is None else AuditAnchor.tenant == tenant_id
    ).order_by(AuditAnchor.audit_id)
    for kept in anchors:
        if hashes.get(kept.audit_id) != kept.chain_hash:
            return Verdict(checked, unchained, kept.audit_id, "an anchored row was changed or removed")
    return Verdict(checked, unchained)
