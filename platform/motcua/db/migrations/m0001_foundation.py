"""Provinces, wards, reception points, counters, calendars, users, roles, tokens, audit log."""

SQL = """
CREATE TABLE province (
    code VARCHAR(2) PRIMARY KEY,
    name TEXT NOT NULL,
    short_name TEXT NOT NULL,
    slug VARCHAR(64) NOT NULL UNIQUE,
    catalogue DATE NOT NULL,
    settings TEXT NOT NULL
);
CREATE TABLE tenant (
    id {pk},
    code VARCHAR(5) NOT NULL UNIQUE,
    catalogue DATE NOT NULL,
    name TEXT NOT NULL,
    slug VARCHAR(80) NOT NULL UNIQUE,
    province_code VARCHAR(2) NOT NULL REFERENCES province (code),
    agency_code TEXT NOT NULL,
    address TEXT NOT NULL,
    phone TEXT NOT NULL,
    office_hours TEXT NOT NULL,
    cutoff VARCHAR(5) NOT NULL,
    merged_from TEXT NOT NULL,
    settings TEXT NOT NULL,
    active {bool} NOT NULL,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL
);
CREATE INDEX tenant_province_code ON tenant (province_code);
CREATE TABLE reception_point (
    id {pk},
    tenant_id {id} NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    key VARCHAR(40) NOT NULL,
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    active {bool} NOT NULL
);
CREATE UNIQUE INDEX reception_point_tenant_id_key ON reception_point (tenant_id, key);
CREATE TABLE counter (
    id {pk},
    tenant_id {id} NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    reception_point_id {id} NOT NULL REFERENCES reception_point (id) ON DELETE CASCADE,
    key VARCHAR(40) NOT NULL,
    name TEXT NOT NULL,
    fields TEXT NOT NULL,
    active {bool} NOT NULL
);
CREATE UNIQUE INDEX counter_tenant_id_reception_point_id_key ON counter (tenant_id, reception_point_id, key);
CREATE INDEX counter_reception_point_id ON counter (reception_point_id);
CREATE TABLE calendar_override (
    id {pk},
    tenant_id {id} NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    day DATE NOT NULL,
    working {bool} NOT NULL,
    note TEXT NOT NULL
);
CREATE UNIQUE INDEX calendar_override_tenant_id_day ON calendar_override (tenant_id, day);
CREATE TABLE province_calendar_override (
    id {pk},
    province_code VARCHAR(2) NOT NULL REFERENCES province (code),
    day DATE NOT NULL,
    working {bool} NOT NULL,
    note TEXT NOT NULL
);
CREATE UNIQUE INDEX province_calendar_override_province_code_day ON province_calendar_override (province_code, day);
CREATE TABLE app_user (
    id {pk},
    login VARCHAR(64) NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    is_platform_admin {bool} NOT NULL,
    active {bool} NOT NULL,
    language VARCHAR(2) NOT NULL,
    failed_logins INTEGER NOT NULL,
    locked_until {ts},
    created_at {ts} NOT NULL,
    last_login_at {ts}
);
CREATE TABLE membership (
    id {pk},
    tenant_id {id} NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    user_id {id} NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    role VARCHAR(20) NOT NULL,
    created_at {ts} NOT NULL
);
CREATE UNIQUE INDEX membership_tenant_id_user_id ON membership (tenant_id, user_id);
CREATE INDEX membership_user_id ON membership (user_id);
CREATE TABLE province_role (
    id {pk},
    province_code VARCHAR(2) NOT NULL REFERENCES province (code),
    user_id {id} NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    created_at {ts} NOT NULL
);
CREATE UNIQUE INDEX province_role_province_code_user_id ON province_role (province_code, user_id);
CREATE TABLE api_token (
    id {pk},
    tenant_id {id} NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    user_id {id} NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    prefix VARCHAR(16) NOT NULL,
    secret_hash VARCHAR(64) NOT NULL,
    scopes TEXT NOT NULL,
    created_at {ts} NOT NULL,
    last_used_at {ts},
    revoked_at {ts}
);
CREATE UNIQUE INDEX api_token_tenant_id_prefix ON api_token (tenant_id, prefix);
CREATE INDEX api_token_tenant_id_user_id ON api_token (tenant_id, user_id);
CREATE TABLE audit_log (
    id {pk},
    tenant_id {id} REFERENCES tenant (id) ON DELETE CASCADE,
    user_id VARCHAR(20),
    actor TEXT NOT NULL,
    action VARCHAR(64) NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL,
    ip VARCHAR(64) NOT NULL,
    at {ts} NOT NULL
);
CREATE INDEX audit_log_tenant_id_at ON audit_log (tenant_id, at);
"""
