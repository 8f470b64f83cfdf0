"""The queue plugin's peewee models, bound to the core's database through the plugin API.

The tables are created by :mod:`.schema` (``motcua db upgrade``), never by
``create_tables``; ``tenant_id`` is a plain column because a plugin sees wards as
:class:`motcua.plugin_api.TenantInfo`, never as the core's rows.
"""

from __future__ import annotations

import json
from typing import Any

from peewee import (
    BooleanField,
    CompositeKey,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from motcua.plugin_api import database

# Ticket states. A ticket waits, is called to a counter, is served there, and ends done
# or as a no-show (skipped); a transfer puts it back to waiting in another service.
WAITING, CALLED, SERVING, DONE, SKIPPED = "waiting", "called", "serving", "done", "skipped"
STATUSES = (WAITING, CALLED, SERVING, DONE, SKIPPED)

# Priority groups served first (Law on the Elderly 2009 art. 10, Law on Persons with
# Disabilities 2010 art. 16, and the practice of the one-stop shops).
PRIORITIES = ("elderly", "disabled", "pregnant", "child", "merit")

# Satisfaction: the three answers of the ward's survey (Decision 766/QĐ-TTg feeds on them).
SCORES = {3: "very_satisfied", 2: "satisfied", 1: "not_satisfied"}


class ListField(TextField):
    """A JSON list stored as text."""

    def db_value(self, value: Any) -> str:
        return json.dumps(list(value or []), ensure_ascii=False)

    def python_value(self, value: Any) -> list[Any]:
        return list(json.loads(value)) if value else []


class QueueModel(Model):
    """Base of the plugin's tables: every row belongs to one ward (``tenant_id``)."""

    tenant_id = IntegerField()

    class Meta:
        database = database()
        legacy_table_names = False


class Service(QueueModel):
    """A service of a reception point (land, civil status…) with its ticket letter."""

    point = TextField()
    key = TextField()
    letter = TextField()
    name = TextField()
    minutes_per_ticket = IntegerField(default=10)
    position = IntegerField(default=0)
    active = BooleanField(default=True)

    class Meta:
        table_name = "queue_service"


class Desk(QueueModel):
    """A counter (quầy) of a reception point and the services it calls from."""

    point = TextField()
    number = IntegerField()
    name = TextField()
    services = ListField(default=list)
    active = BooleanField(default=True)

    class Meta:
        table_name = "queue_counter"


class Sequence(QueueModel):
    """The last number given by a service on a day (see :mod:`.numbering`)."""

    service = ForeignKeyField(Service, on_delete="CASCADE")
    day = DateField()
    value = IntegerField()

    class Meta:
        table_name = "queue_sequence"
        primary_key = CompositeKey("tenant_id", "service", "day")


class Ticket(QueueModel):
    """A number taken at the kiosk, e.g. ``B-023``, and what happened to it."""

    issued_by = ForeignKeyField(Service, on_delete="CASCADE", backref="issued")
    service = ForeignKeyField(Service, on_delete="CASCADE")
    day = DateField()
    seq = IntegerField()
    number = TextField()
    priority = TextField(default="")
    status = TextField(default=WAITING)
    token = TextField()
    taken_at = DateTimeField()
    called_at = DateTimeField(null=True)
    call_count = IntegerField(default=0)
    counter = ForeignKeyField(Desk, null=True, on_delete="SET NULL")
    served_at = DateTimeField(null=True)
    finished_at = DateTimeField(null=True)
    served_by = TextField(default="")
    transfers = IntegerField(default=0)

    class Meta:
        table_name = "queue_ticket"


class Call(QueueModel):
    """One call of a ticket to a counter, in order: what the display board shows and says."""

    ticket = ForeignKeyField(Ticket, on_delete="CASCADE")
    counter = ForeignKeyField(Desk, on_delete="CASCADE")
    point = TextField()
    at = DateTimeField()

    class Meta:
        table_name = "queue_call"


class TicketRecord(QueueModel):
    """A record (hồ sơ) received from a ticket: wait and service time per record."""

    ticket = ForeignKeyField(Ticket, on_delete="CASCADE")
    record_code = TextField()
    linked_at = DateTimeField()

    class Meta:
        table_name = "queue_ticket_record"


class Rating(QueueModel):
    """A citizen's satisfaction with a counter: one per ticket or per record."""

    ticket = ForeignKeyField(Ticket, null=True, on_delete="CASCADE")
    record_code = TextField(null=True)
    counter = ForeignKeyField(Desk, null=True, on_delete="SET NULL")
    score = IntegerField()
    reason = TextField(default="")
    rated_at = DateTimeField()

    class Meta:
        table_name = "queue_rating"


MODELS = (Service, Desk, Sequence, Ticket, Call, TicketRecord, Rating)
