"""Domain data that stays current: the Government's calendar decisions loaded by province IT
(``motcua calendar update``) and the unit change sets applied to the tenants
(``motcua units apply``), each kept with who loaded it and when.

A loaded decision replaces the shipped one with the same document number; the shipped ones
(``motcua/calendar/decisions.toml``) need no row.
"""

SQL = """
CREATE TABLE calendar_decision (
    number VARCHAR(64) NOT NULL PRIMARY KEY,
    content TEXT NOT NULL,
    origin TEXT NOT NULL,
    loaded_at {ts} NOT NULL,
    loaded_by TEXT NOT NULL
);
CREATE TABLE unit_change_applied (
    key VARCHAR(80) NOT NULL PRIMARY KEY,
    effective DATE NOT NULL,
    content TEXT NOT NULL,
    applied_at {ts} NOT NULL,
    applied_by TEXT NOT NULL
)
"""
