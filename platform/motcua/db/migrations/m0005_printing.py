"""Printing: ward and province template overrides (versioned), durable print jobs."""

SQL = """
CREATE TABLE province_print_template (
    id {pk},
    province_code VARCHAR(2) NOT NULL REFERENCES province (code),
    form VARCHAR(40) NOT NULL,
    number INTEGER NOT NULL,
    source TEXT NOT NULL,
    paper VARCHAR(16) NOT NULL,
    content_hash VARCHAR(64) NOT NULL,
    retired {bool} NOT NULL,
    created_by TEXT NOT NULL,
    created_at {ts} NOT NULL
);
CREATE UNIQUE INDEX province_print_template_province_code_form_number ON province_print_template (province_code, form, number);
CREATE INDEX province_print_template_content_hash ON province_print_template (content_hash);
CREATE TABLE print_template (
    id {pk},
    tenant_id {id} NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    form VARCHAR(40) NOT NULL,
    number INTEGER NOT NULL,
    source TEXT NOT NULL,
    paper VARCHAR(16) NOT NULL,
    content_hash VARCHAR(64) NOT NULL,
    retired {bool} NOT NULL,
    created_by TEXT NOT NULL,
    created_at {ts} NOT NULL
);
CREATE UNIQUE INDEX print_template_tenant_id_form_number ON print_template (tenant_id, form, number);
CREATE INDEX print_template_tenant_id_content_hash ON print_template (tenant_id, content_hash);
CREATE TABLE print_job (
    id {pk},
    tenant_id {id} NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    record_id {id} REFERENCES record (id) ON DELETE CASCADE,
    form VARCHAR(40) NOT NULL,
    template_layer VARCHAR(16) NOT NULL,
    template_hash VARCHAR(64) NOT NULL,
    paper VARCHAR(16) NOT NULL,
    copies INTEGER NOT NULL,
    reception_point_id {id} REFERENCES reception_point (id) ON DELETE SET NULL,
    status VARCHAR(10) NOT NULL,
    reprint {bool} NOT NULL,
    event_seq INTEGER,
    period_start DATE,
    period_end DATE,
    pdf_path TEXT NOT NULL,
    pdf_sha256 VARCHAR(64) NOT NULL,
    error TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    lease_until {ts},
    created_by TEXT NOT NULL,
    created_at {ts} NOT NULL,
    rendered_at {ts}
);
CREATE INDEX print_job_tenant_id_record_id ON print_job (tenant_id, record_id);
CREATE INDEX print_job_status_id ON print_job (status, id);
CREATE INDEX print_job_record_id ON print_job (record_id);
CREATE INDEX print_job_reception_point_id ON print_job (reception_point_id);
"""
