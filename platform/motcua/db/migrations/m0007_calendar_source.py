"""Calendar overrides remember where they came from: a tenant file (``file``) or the web page (``web``).

``motcua tenants sync`` manages only the file's days, so a day an admin added on the web
page survives the next sync.
"""

SQL = """
ALTER TABLE calendar_override ADD COLUMN source VARCHAR(8) NOT NULL DEFAULT 'file';
ALTER TABLE province_calendar_override ADD COLUMN updated_by TEXT NOT NULL DEFAULT ''
"""
