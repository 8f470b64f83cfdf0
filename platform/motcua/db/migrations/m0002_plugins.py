"""Plugin enablement per ward and per province, and failures of plugin event hooks."""

SQL = """
CREATE TABLE plugin_setting (
    id {pk},
    tenant_id {id} NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    plugin VARCHAR(100) NOT NULL,
    enabled {bool} NOT NULL,
    changed_at {ts} NOT NULL,
    changed_by TEXT NOT NULL
);
CREATE UNIQUE INDEX plugin_setting_tenant_id_plugin ON plugin_setting (tenant_id, plugin);
CREATE TABLE province_plugin_setting (
    id {pk},
    province_code VARCHAR(2) NOT NULL REFERENCES province (code),
    plugin VARCHAR(100) NOT NULL,
    enabled {bool} NOT NULL,
    changed_at {ts} NOT NULL,
    changed_by TEXT NOT NULL
);
CREATE UNIQUE INDEX province_plugin_setting_province_code_plugin ON province_plugin_setting (province_code, plugin);
CREATE TABLE plugin_failure (
    id {pk},
    tenant_id {id} NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    plugin VARCHAR(100) NOT NULL,
    hook VARCHAR(64) NOT NULL,
    error TEXT NOT NULL,
    detail TEXT NOT NULL,
    at {ts} NOT NULL
);
CREATE INDEX plugin_failure_tenant_id_at ON plugin_failure (tenant_id, at);
"""
