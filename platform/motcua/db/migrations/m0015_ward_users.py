"""Ward user management in the web UI: a membership can be disabled in its ward (the
account stays, other wards keep it) and names the counters its holder works at."""

SQL = """
ALTER TABLE membership ADD COLUMN active {bool} NOT NULL DEFAULT TRUE;
ALTER TABLE membership ADD COLUMN counters TEXT NOT NULL DEFAULT '[]';
"""
