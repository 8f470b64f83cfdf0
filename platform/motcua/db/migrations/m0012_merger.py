"""Merger tooling: records keep the code and unit of the old system they came from; a ward
absorbed by a later re-merge points at the ward that took it in.

``record.legacy_code`` is NULL for records received in motcua, so the unique index only
binds imported ones: importing the same old record twice finds it instead of copying it.
"""

SQL = """
ALTER TABLE record ADD COLUMN legacy_code VARCHAR(64);
ALTER TABLE record ADD COLUMN legacy_unit_code VARCHAR(5) NOT NULL DEFAULT '';
CREATE UNIQUE INDEX record_tenant_id_legacy_code ON record (tenant_id, legacy_code);
ALTER TABLE tenant ADD COLUMN merged_into_id {id} REFERENCES tenant (id) ON DELETE SET NULL;
"""
