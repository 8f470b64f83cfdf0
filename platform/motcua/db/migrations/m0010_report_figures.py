"""Report figures: when a record left the open work, its field area, and the indexes the
period reports read (see docs/reports.md).

``closed_at`` is the moment a record stopped being open work: resolved (approved or
rejected), withdrawn at the applicant's request, or refused at reception. A period report
then reads only the records alive in the period (received before its end, not closed
before its start), whatever the size of the history. ``field_area`` is the procedure's
field (lĩnh vực) at reception, for the breakdown by field.
"""

from __future__ import annotations

import json

from peewee import Database

from motcua.db.connection import is_sqlite

SQL = """
ALTER TABLE record ADD COLUMN closed_at {ts};
ALTER TABLE record ADD COLUMN field_area VARCHAR(40) NOT NULL DEFAULT '';
UPDATE record SET closed_at = resolved_at WHERE resolved_at IS NOT NULL;
UPDATE record SET closed_at = (
    SELECT MAX(e.at) FROM record_event e
    WHERE e.tenant_id = record.tenant_id AND e.record_id = record.id
      AND e.to_status IN ('withdrawn', 'refused_at_reception')
) WHERE closed_at IS NULL AND status IN ('withdrawn', 'refused_at_reception');
UPDATE record SET closed_at = updated_at
    WHERE closed_at IS NULL AND status IN ('withdrawn', 'refused_at_reception');
CREATE INDEX record_tenant_id_closed_at ON record (tenant_id, closed_at);
CREATE INDEX record_tenant_id_resolved_at ON record (tenant_id, resolved_at);
CREATE INDEX record_tenant_id_returned_at ON record (tenant_id, returned_at)
"""


def upgrade(db: Database) -> None:
    """Fill ``field_area`` of existing records from the notebook version they pinned."""
    param = "?" if is_sqlite(db) else "%s"
    rows = db.execute_sql(
        "SELECT DISTINCT v.id, v.content FROM notebook_version v "
        "JOIN record r ON r.notebook_version_id = v.id"
    ).fetchall()
    for version_id, content in rows:
        try:
            data = json.loads(content) if isinstance(content, str) else content
            area = ((data.get("metadata") or {}).get("motcua") or {}).get("field_area") or ""
        except (ValueError, AttributeError):
            area = ""
        if area:
            db.execute_sql(
                f"UPDATE record SET field_area = {param} WHERE notebook_version_id = {param}",  # noqa: S608 - a fixed placeholder
                (str(area)[:40], version_id),
            )
