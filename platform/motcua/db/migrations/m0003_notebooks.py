"""Procedure notebooks: ward drafts, frozen versions, province versions."""

SQL = """
CREATE TABLE province_notebook_version (
    id {pk},
    province_code VARCHAR(2) NOT NULL REFERENCES province (code),
    key VARCHAR(80) NOT NULL,
    number INTEGER NOT NULL,
    content TEXT NOT NULL,
    content_hash VARCHAR(64) NOT NULL,
    published_at {ts} NOT NULL,
    published_by TEXT NOT NULL,
    note TEXT NOT NULL
);
CREATE UNIQUE INDEX province_notebook_version_province_code_key_number ON province_notebook_version (province_code, key, number);
CREATE TABLE notebook_version (
    id {pk},
    tenant_id {id} NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    key VARCHAR(80) NOT NULL,
    number INTEGER NOT NULL,
    content TEXT NOT NULL,
    content_hash VARCHAR(64) NOT NULL,
    source VARCHAR(10) NOT NULL,
    province_version_id {id} REFERENCES province_notebook_version (id),
    overrides TEXT NOT NULL,
    published_at {ts} NOT NULL,
    published_by TEXT NOT NULL,
    note TEXT NOT NULL
);
CREATE UNIQUE INDEX notebook_version_tenant_id_key_number ON notebook_version (tenant_id, key, number);
CREATE INDEX notebook_version_province_version_id ON notebook_version (province_version_id);
CREATE TABLE notebook_draft (
    id {pk},
    tenant_id {id} NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    key VARCHAR(80) NOT NULL,
    content TEXT NOT NULL,
    lock_version INTEGER NOT NULL,
    province_based {bool} NOT NULL,
    updated_at {ts} NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE UNIQUE INDEX notebook_draft_tenant_id_key ON notebook_draft (tenant_id, key);
"""
