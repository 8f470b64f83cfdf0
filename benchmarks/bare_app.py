"""The floor for record creation: a bare Flask + peewee app that parses the same JSON body
as POST /api/v1/records and inserts one comparable row.

The table ``bare_record`` has the same 31 columns and the same 6 secondary indexes as
``record``; the row carries the request's values and documents as JSON (the same payload
size). No auth, validation, code counter, event, audit or idempotency: just the framework,
the driver and the database. Database settings match motcua's (SQLite: WAL,
synchronous=NORMAL, persistent per-thread connection, BEGIN IMMEDIATE; PostgreSQL:
PooledPostgresqlDatabase, the connection handed back at teardown).

``DATABASE_URL`` picks the database; :func:`create_schema` makes the table.
"""

from __future__ import annotations

import json
import os
import uuid
from datetime import datetime
from urllib.parse import urlparse

from flask import Flask, jsonify, request
from peewee import (
    BooleanField,
    CharField,
    DatabaseProxy,
    DateTimeField,
    IntegerField,
    Model,
    SqliteDatabase,
    TextField,
)
from playhouse.pool import PooledPostgresqlDatabase

database = DatabaseProxy()


class BareRecord(Model):
    tenant_id = IntegerField()
    code = CharField(max_length=64)
    procedure_key = CharField(max_length=80)
    procedure_name = TextField(default="")
    notebook_version_id = IntegerField(null=True)
    status = CharField(max_length=24)
    channel = CharField(max_length=10)
    applicant_name = TextField()
    applicant_search = TextField()
    applicant_id_number = CharField(max_length=12, default="")
    applicant_phone = CharField(max_length=20, default="")
    applicant_address = TextField(default="")
    applicant_email = TextField(default="")
    residence_ward_code = CharField(max_length=5, default="")
    non_territorial = BooleanField(default=False)
    data = TextField(default="{}")
    documents = TextField(default="[]")
    reception_point_id = IntegerField(null=True)
    counter_id = IntegerField(null=True)
    received_by = TextField(default="")
    received_at = DateTimeField()
    due_at = DateTimeField(null=True)
    limit_spec = CharField(max_length=20, default="")
    paused_at = DateTimeField(null=True)
    paused_working_time = IntegerField(default=0)
    resolved_at = DateTimeField(null=True)
    returned_at = DateTimeField(null=True)
    outcome = CharField(max_length=10, default="")
    lock_version = IntegerField(default=1)
    updated_at = DateTimeField()

    class Meta:
        database = database
        table_name = "bare_record"
        indexes = (
            (("tenant_id", "code"), True),
            (("tenant_id", "status", "due_at"), False),
            (("tenant_id", "received_at", "id"), False),
            (("tenant_id", "applicant_search"), False),
            (("tenant_id", "applicant_phone"), False),
            (("tenant_id", "applicant_id_number"), False),
        )


def open_database(url: str):  # noqa: ANN201
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        db = SqliteDatabase(
            url.removeprefix("sqlite:///"),
            pragmas={"journal_mode": "wal", "synchronous": "normal", "foreign_keys": 1,
                     "busy_timeout": 10_000, "cache_size": -16_000},
            timeout=10,
            check_same_thread=False,
        )
    else:
        db = PooledPostgresqlDatabase(parsed.path.lstrip("/"), user=parsed.username, host=parsed.hostname,
                                      port=parsed.port or 5432, max_connections=16, stale_timeout=300)
    database.initialize(db)
    return db


def create_schema(url: str) -> None:
    db = open_database(url)
    db.connect(reuse_if_open=True)
    db.drop_tables([BareRecord])
    db.create_tables([BareRecord])
    db.close()


def create_app() -> Flask:
    db = open_database(os.environ["DATABASE_URL"])
    sqlite = isinstance(db, SqliteDatabase)
    app = Flask(__name__)

    @app.before_request
    def _open() -> None:
        db.connect(reuse_if_open=True)

    @app.teardown_request
    def _close(_exc: BaseException | None) -> None:
        if not sqlite and not db.is_closed():
            db.close()

    @app.post("/api/v1/records")
    def create():  # noqa: ANN202
        body = request.get_json()
        applicant = body["applicant"]
        moment = datetime.now()
        with db.atomic("IMMEDIATE") if sqlite else db.atomic():
            row = BareRecord.create(
                tenant_id=1, code=uuid.uuid4().hex[:20], procedure_key=body["procedure"],
                procedure_name="Chứng thực bản sao từ bản chính", notebook_version_id=1,
                status="received", channel=body.get("channel", "online"),
                applicant_name=applicant["name"], applicant_search=applicant["name"].lower(),
                applicant_id_number=applicant.get("id_number", ""), applicant_phone=applicant.get("phone", ""),
                applicant_address=applicant.get("address", ""), residence_ward_code="", non_territorial=False,
                data=json.dumps(body["values"], ensure_ascii=False),
                documents=json.dumps(body.get("documents", []), ensure_ascii=False),
                reception_point_id=1, counter_id=body.get("counter"), received_by="bare",
                received_at=moment, due_at=moment, limit_spec="same-day", paused_at=None,
                paused_working_time=0, resolved_at=None, returned_at=None, outcome="", lock_version=1,
                updated_at=moment,
            )
        return jsonify(
            id=row.id, code=row.code, status=row.status, procedure=row.procedure_key,
            procedure_name=row.procedure_name, channel=row.channel,
            received_at=row.received_at.isoformat(), due_at=row.due_at.isoformat(),
            applicant={"name": row.applicant_name, "id_number": row.applicant_id_number,
                       "phone": row.applicant_phone, "address": row.applicant_address},
            data=body["values"], documents=body.get("documents", []),
        ), 201

    @app.get("/ping")
    def ping():  # noqa: ANN202
        return "ok"

    return app
