"""Applicant name search by fragment that stays fast at a million records in a ward.

``record.applicant_search`` holds the name folded (lower case, no diacritics). A "contains"
search walks the ward's records newest first, which finds a common name at once but reads
every record for a rare one (400-650 ms at one million). A trigram index answers "which
records contain this fragment" directly: PostgreSQL's ``pg_trgm`` GIN index, SQLite's
built-in FTS5 with the trigram tokenizer (an external-content table kept in step with
``record`` by triggers). :func:`motcua.records.queries.work_list` asks the index first and
falls back to the walk when a fragment is too common to be worth it.

``pg_trgm`` is a trusted extension (PostgreSQL 13+): the database owner may create it. Where
it cannot be created, the migration says so and the search keeps working through the walk.
"""

from __future__ import annotations

import logging

from peewee import Database

from motcua.db.connection import is_sqlite

log = logging.getLogger(__name__)

SQLITE = (
    "CREATE VIRTUAL TABLE record_name_search USING fts5("
    "applicant_search, content='record', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER record_name_search_insert AFTER INSERT ON record BEGIN "
    "INSERT INTO record_name_search (rowid, applicant_search) VALUES (new.id, new.applicant_search); END",
    "CREATE TRIGGER record_name_search_delete AFTER DELETE ON record BEGIN "
    "INSERT INTO record_name_search (record_name_search, rowid, applicant_search) "
    "VALUES ('delete', old.id, old.applicant_search); END",
    "CREATE TRIGGER record_name_search_update AFTER UPDATE OF applicant_search ON record BEGIN "
    "INSERT INTO record_name_search (record_name_search, rowid, applicant_search) "
    "VALUES ('delete', old.id, old.applicant_search); "
    "INSERT INTO record_name_search (rowid, applicant_search) VALUES (new.id, new.applicant_search); END",
    "INSERT INTO record_name_search (record_name_search) VALUES ('rebuild')",
)


def upgrade(db: Database) -> None:
    """Create the trigram index of the dialect."""
    if is_sqlite(db):
        for statement in SQLITE:
            db.execute_sql(statement)
        return
    try:
        with db.atomic():  # a savepoint: a refused extension must not abort the migration
            db.execute_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as refused:  # noqa: BLE001 - any refusal: the search still works
        log.warning("pg_trgm not available (%s): name search walks the records instead", refused)
        return
    db.execute_sql(
        "CREATE INDEX IF NOT EXISTS record_applicant_search_trgm "
        "ON record USING gin (applicant_search gin_trgm_ops)"
    )
