"""Records (dossiers), their events (process control sheet), daily code counters,
idempotency keys."""

SQL = """
CREATE TABLE record (
    id {pk},
    tenant_id {id} NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    code VARCHAR(64) NOT NULL,
    procedure_key VARCHAR(80) NOT NULL,
    procedure_name TEXT NOT NULL,
    notebook_version_id {id} REFERENCES notebook_version (id),
    status VARCHAR(24) NOT NULL,
    channel VARCHAR(10) NOT NULL,
    applicant_name TEXT NOT NULL,
    applicant_search TEXT NOT NULL,
    applicant_id_number VARCHAR(12) NOT NULL,
    applicant_phone VARCHAR(20) NOT NULL,
    applicant_address TEXT NOT NULL,
    residence_ward_code VARCHAR(5) NOT NULL,
    non_territorial {bool} NOT NULL,
    data TEXT NOT NULL,
    documents TEXT NOT NULL,
    reception_point_id {id} REFERENCES reception_point (id) ON DELETE SET NULL,
    counter_id {id} REFERENCES counter (id) ON DELETE SET NULL,
    received_by TEXT NOT NULL,
    received_at {ts} NOT NULL,
    due_at {ts},
    limit_spec VARCHAR(20) NOT NULL,
    paused_at {ts},
    paused_working_time INTEGER NOT NULL,
    resolved_at {ts},
    returned_at {ts},
    outcome VARCHAR(10) NOT NULL,
    lock_version INTEGER NOT NULL,
    updated_at {ts} NOT NULL
);
CREATE UNIQUE INDEX record_tenant_id_code ON record (tenant_id, code);
CREATE INDEX record_tenant_id_status_due_at ON record (tenant_id, status, due_at);
CREATE INDEX record_tenant_id_received_at_id ON record (tenant_id, received_at, id);
CREATE INDEX record_tenant_id_applicant_search ON record (tenant_id, applicant_search);
CREATE INDEX record_tenant_id_applicant_phone ON record (tenant_id, applicant_phone);
CREATE INDEX record_tenant_id_applicant_id_number ON record (tenant_id, applicant_id_number);
CREATE INDEX record_reception_point_id ON record (reception_point_id);
CREATE INDEX record_counter_id ON record (counter_id);
CREATE INDEX record_notebook_version_id ON record (notebook_version_id);
CREATE TABLE record_event (
    id {pk},
    tenant_id {id} NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    record_id {id} NOT NULL REFERENCES record (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    action VARCHAR(32) NOT NULL,
    from_status VARCHAR(24) NOT NULL,
    to_status VARCHAR(24) NOT NULL,
    actor TEXT NOT NULL,
    role VARCHAR(20) NOT NULL,
    at {ts} NOT NULL,
    note TEXT NOT NULL,
    details TEXT NOT NULL,
    step_outcome VARCHAR(10) NOT NULL
);
CREATE UNIQUE INDEX record_event_tenant_id_record_id_seq ON record_event (tenant_id, record_id, seq);
CREATE INDEX record_event_record_id ON record_event (record_id);
CREATE TABLE record_counter (
    id {pk},
    tenant_id {id} NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    day DATE NOT NULL,
    value INTEGER NOT NULL
);
CREATE UNIQUE INDEX record_counter_tenant_id_day ON record_counter (tenant_id, day);
CREATE TABLE idempotency_key (
    id {pk},
    tenant_id {id} NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    key VARCHAR(200) NOT NULL,
    record_id {id} NOT NULL REFERENCES record (id) ON DELETE CASCADE,
    created_at {ts} NOT NULL
);
CREATE UNIQUE INDEX idempotency_key_tenant_id_key ON idempotency_key (tenant_id, key);
CREATE INDEX idempotency_key_record_id ON idempotency_key (record_id);
"""
