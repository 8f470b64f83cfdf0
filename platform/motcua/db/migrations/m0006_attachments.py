"""Attachments: scanned files of a record; the applicant's email on the record."""

SQL = """
ALTER TABLE record ADD COLUMN applicant_email TEXT NOT NULL DEFAULT '';
CREATE TABLE attachment (
    id {pk},
    tenant_id {id} NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    record_id {id} NOT NULL REFERENCES record (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    content_type VARCHAR(40) NOT NULL,
    size INTEGER NOT NULL,
    sha256 VARCHAR(64) NOT NULL,
    stored_name VARCHAR(80) NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at {ts} NOT NULL
);
CREATE UNIQUE INDEX attachment_tenant_id_stored_name ON attachment (tenant_id, stored_name);
CREATE INDEX attachment_tenant_id_record_id_id ON attachment (tenant_id, record_id, id);
CREATE INDEX attachment_record_id ON attachment (record_id);
"""
