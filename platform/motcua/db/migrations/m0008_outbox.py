"""Portal connectors: the outbox, connector settings (ward and province) and the online inbox."""

SQL = """
CREATE TABLE outbox_message (
    id {pk},
    tenant_id {id} NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    connector VARCHAR(100) NOT NULL,
    kind VARCHAR(40) NOT NULL,
    record_id {id} REFERENCES record (id) ON DELETE SET NULL,
    record_key VARCHAR(120) NOT NULL,
    seq INTEGER NOT NULL,
    idempotency_key VARCHAR(64) NOT NULL,
    payload TEXT NOT NULL,
    state VARCHAR(12) NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at {ts} NOT NULL,
    claimed_until {ts},
    claimed_by VARCHAR(64) NOT NULL,
    last_error TEXT NOT NULL,
    reference TEXT NOT NULL,
    created_at {ts} NOT NULL,
    delivered_at {ts}
);
CREATE UNIQUE INDEX outbox_message_tenant_id_idempotency_key ON outbox_message (tenant_id, idempotency_key);
CREATE UNIQUE INDEX outbox_message_tenant_id_connector_record_key_seq ON outbox_message (tenant_id, connector, record_key, seq);
CREATE INDEX outbox_message_state_next_attempt_at ON outbox_message (state, next_attempt_at);
CREATE INDEX outbox_message_tenant_id_state_created_at ON outbox_message (tenant_id, state, created_at);
CREATE INDEX outbox_message_record_id ON outbox_message (record_id);
CREATE TABLE connector_setting (
    id {pk},
    tenant_id {id} NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    connector VARCHAR(100) NOT NULL,
    settings TEXT NOT NULL,
    changed_at {ts} NOT NULL,
    changed_by TEXT NOT NULL
);
CREATE UNIQUE INDEX connector_setting_tenant_id_connector ON connector_setting (tenant_id, connector);
CREATE TABLE province_connector_setting (
    id {pk},
    province_code VARCHAR(2) NOT NULL REFERENCES province (code),
    connector VARCHAR(100) NOT NULL,
    settings TEXT NOT NULL,
    changed_at {ts} NOT NULL,
    changed_by TEXT NOT NULL
);
CREATE UNIQUE INDEX province_connector_setting_province_code_connector ON province_connector_setting (province_code, connector);
CREATE TABLE inbox_item (
    id {pk},
    tenant_id {id} NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    connector VARCHAR(100) NOT NULL,
    portal_ref VARCHAR(120) NOT NULL,
    procedure_key VARCHAR(80) NOT NULL,
    procedure_code VARCHAR(40) NOT NULL,
    applicant TEXT NOT NULL,
    form_values TEXT NOT NULL,
    files TEXT NOT NULL,
    submitted_at {ts} NOT NULL,
    pulled_at {ts} NOT NULL,
    state VARCHAR(12) NOT NULL,
    record_id {id} REFERENCES record (id) ON DELETE SET NULL,
    reason TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    decided_at {ts}
);
CREATE UNIQUE INDEX inbox_item_tenant_id_connector_portal_ref ON inbox_item (tenant_id, connector, portal_ref);
CREATE INDEX inbox_item_tenant_id_state_submitted_at ON inbox_item (tenant_id, state, submitted_at);
CREATE INDEX inbox_item_record_id ON inbox_item (record_id)
"""
