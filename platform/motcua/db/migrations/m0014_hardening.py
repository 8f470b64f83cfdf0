"""Hardening: sessions that sign-out revokes, shared rate-limit counters, a chained audit log.

- ``app_user.session_stamp``: part of every session's stamp; sign-out and a password change
  draw a new one, so a copied session cookie stops working.
- ``rate_counter``: hits per key and fixed window, shared by every worker and server that
  uses the database (login throttling by account and client when no Redis is configured).
- ``audit_log.chain_hash``: SHA-256 over the previous row's hash of the same ward and this
  row, so an edited or removed row breaks the chain (``motcua audit verify``);
  ``audit_anchor`` keeps a ward's chain head from time to time, so cutting the newest rows
  off is caught too.
"""

SQL = """
ALTER TABLE app_user ADD COLUMN session_stamp VARCHAR(32) NOT NULL DEFAULT '';
CREATE TABLE rate_counter (
    id {pk},
    key VARCHAR(200) NOT NULL,
    hits INTEGER NOT NULL,
    expires_at {ts} NOT NULL
);
CREATE UNIQUE INDEX rate_counter_key ON rate_counter (key);
CREATE INDEX rate_counter_expires_at ON rate_counter (expires_at);
ALTER TABLE audit_log ADD COLUMN chain_hash VARCHAR(64) NOT NULL DEFAULT '';
CREATE TABLE audit_anchor (
    id {pk},
    tenant_id {id} REFERENCES tenant (id) ON DELETE CASCADE,
    audit_id {id} NOT NULL,
    chain_hash VARCHAR(64) NOT NULL,
    at {ts} NOT NULL
);
CREATE INDEX audit_anchor_tenant_id_audit_id ON audit_anchor (tenant_id, audit_id);
"""
