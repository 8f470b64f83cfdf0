"""Devices: agent tokens bound to a counter, the devices agents report, print deliveries to a
counter's printer, scans pushed by a counter's scanner; print jobs remember their counter."""

SQL = """
CREATE TABLE agent_token (
    id {pk},
    tenant_id {id} NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    counter_id {id} NOT NULL REFERENCES counter (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    prefix VARCHAR(16) NOT NULL,
    secret_hash VARCHAR(64) NOT NULL,
    created_by TEXT NOT NULL,
    created_at {ts} NOT NULL,
    last_seen_at {ts},
    revoked_at {ts}
);
CREATE UNIQUE INDEX agent_token_tenant_id_prefix ON agent_token (tenant_id, prefix);
CREATE INDEX agent_token_counter_id ON agent_token (counter_id);
CREATE TABLE counter_device (
    id {pk},
    tenant_id {id} NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    counter_id {id} NOT NULL REFERENCES counter (id) ON DELETE CASCADE,
    name VARCHAR(80) NOT NULL,
    driver VARCHAR(60) NOT NULL,
    kind VARCHAR(16) NOT NULL,
    usb_id VARCHAR(9) NOT NULL,
    state VARCHAR(16) NOT NULL,
    detail TEXT NOT NULL,
    reported_at {ts} NOT NULL
);
CREATE UNIQUE INDEX counter_device_tenant_id_counter_id_name ON counter_device (tenant_id, counter_id, name);
CREATE INDEX counter_device_counter_id ON counter_device (counter_id);
CREATE TABLE print_delivery (
    id {pk},
    tenant_id {id} NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    job_id {id} NOT NULL REFERENCES print_job (id) ON DELETE CASCADE,
    counter_id {id} NOT NULL REFERENCES counter (id) ON DELETE CASCADE,
    status VARCHAR(10) NOT NULL,
    device VARCHAR(80) NOT NULL,
    attempts INTEGER NOT NULL,
    error_vi TEXT NOT NULL,
    error_en TEXT NOT NULL,
    updated_at {ts} NOT NULL,
    printed_at {ts}
);
CREATE UNIQUE INDEX print_delivery_tenant_id_job_id ON print_delivery (tenant_id, job_id);
CREATE INDEX print_delivery_job_id ON print_delivery (job_id);
CREATE INDEX print_delivery_counter_id ON print_delivery (counter_id);
CREATE TABLE counter_scan (
    id {pk},
    tenant_id {id} NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    counter_id {id} NOT NULL REFERENCES counter (id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    device VARCHAR(80) NOT NULL,
    scanned_at {ts} NOT NULL,
    taken_at {ts},
    taken_by TEXT NOT NULL
);
CREATE INDEX counter_scan_tenant_id_counter_id_id ON counter_scan (tenant_id, counter_id, id);
CREATE INDEX counter_scan_counter_id ON counter_scan (counter_id);
ALTER TABLE print_job ADD COLUMN counter_id {id} REFERENCES counter (id) ON DELETE SET NULL;
CREATE INDEX print_job_counter_id ON print_job (counter_id)
"""
