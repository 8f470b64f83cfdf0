"""The queue plugin's tables, as numbered steps applied by ``motcua db upgrade``.

Every table is ward-owned: ``tenant_id`` leads each key. A ticket's daily number comes
from ``queue_sequence``, one row per ward, service and day (see :mod:`.numbering`).
"""

from __future__ import annotations

from motcua.plugin_api import PluginMigration

TABLES = """
CREATE TABLE queue_service (
    id {pk},
    tenant_id {id} NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    point TEXT NOT NULL,
    key VARCHAR(40) NOT NULL,
    letter VARCHAR(3) NOT NULL,
    name TEXT NOT NULL,
    minutes_per_ticket INTEGER NOT NULL DEFAULT 10,
    position INTEGER NOT NULL DEFAULT 0,
    active {bool} NOT NULL
);
CREATE UNIQUE INDEX queue_service_tenant_id_key ON queue_service (tenant_id, key);
CREATE TABLE queue_counter (
    id {pk},
    tenant_id {id} NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    point TEXT NOT NULL,
    number INTEGER NOT NULL,
    name TEXT NOT NULL,
    services TEXT NOT NULL DEFAULT '[]',
    active {bool} NOT NULL
);
CREATE UNIQUE INDEX queue_counter_tenant_id_point_number ON queue_counter (tenant_id, point, number);
CREATE TABLE queue_sequence (
    tenant_id {id} NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    service_id {id} NOT NULL REFERENCES queue_service (id) ON DELETE CASCADE,
    day DATE NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, service_id, day)
);
CREATE TABLE queue_ticket (
    id {pk},
    tenant_id {id} NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    issued_by_id {id} NOT NULL REFERENCES queue_service (id) ON DELETE CASCADE,
    service_id {id} NOT NULL REFERENCES queue_service (id) ON DELETE CASCADE,
    day DATE NOT NULL,
    seq INTEGER NOT NULL,
    number VARCHAR(12) NOT NULL,
    priority VARCHAR(20) NOT NULL DEFAULT '',
    status VARCHAR(12) NOT NULL,
    token VARCHAR(32) NOT NULL,
    taken_at {ts} NOT NULL,
    called_at {ts},
    call_count INTEGER NOT NULL DEFAULT 0,
    counter_id {id} REFERENCES queue_counter (id) ON DELETE SET NULL,
    served_at {ts},
    finished_at {ts},
    served_by TEXT NOT NULL DEFAULT '',
    transfers INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX queue_ticket_tenant_id_issued_by_id_day_seq ON queue_ticket (tenant_id, issued_by_id, day, seq);
CREATE UNIQUE INDEX queue_ticket_tenant_id_token ON queue_ticket (tenant_id, token);
CREATE INDEX queue_ticket_tenant_id_service_id_day_status ON queue_ticket (tenant_id, service_id, day, status);
CREATE TABLE queue_call (
    id {pk},
    tenant_id {id} NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    ticket_id {id} NOT NULL REFERENCES queue_ticket (id) ON DELETE CASCADE,
    counter_id {id} NOT NULL REFERENCES queue_counter (id) ON DELETE CASCADE,
    point TEXT NOT NULL,
    at {ts} NOT NULL
);
CREATE INDEX queue_call_tenant_id_point_id ON queue_call (tenant_id, point, id);
CREATE TABLE queue_ticket_record (
    id {pk},
    tenant_id {id} NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    ticket_id {id} NOT NULL REFERENCES queue_ticket (id) ON DELETE CASCADE,
    record_code VARCHAR(80) NOT NULL,
    linked_at {ts} NOT NULL
);
CREATE UNIQUE INDEX queue_ticket_record_tenant_id_record_code ON queue_ticket_record (tenant_id, record_code);
CREATE INDEX queue_ticket_record_tenant_id_ticket_id ON queue_ticket_record (tenant_id, ticket_id);
CREATE TABLE queue_rating (
    id {pk},
    tenant_id {id} NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    ticket_id {id} REFERENCES queue_ticket (id) ON DELETE CASCADE,
    record_code VARCHAR(80),
    counter_id {id} REFERENCES queue_counter (id) ON DELETE SET NULL,
    score INTEGER NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    rated_at {ts} NOT NULL
);
CREATE UNIQUE INDEX queue_rating_tenant_id_ticket_id ON queue_rating (tenant_id, ticket_id);
CREATE UNIQUE INDEX queue_rating_tenant_id_record_code ON queue_rating (tenant_id, record_code)
"""

STEPS = [PluginMigration(1, "tables", TABLES)]
