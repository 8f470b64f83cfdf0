"""The index the audit chain reads the newest row of a ward by: ``audit_log (tenant_id, id)``.

It was first added to m0014 after that migration had been applied on some databases;
here it reaches those too (``IF NOT EXISTS`` leaves the others as they are).
"""

SQL = """
CREATE INDEX IF NOT EXISTS audit_log_tenant_id_id ON audit_log (tenant_id, id);
"""
