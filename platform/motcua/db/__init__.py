"""Database access: the connection, the model base class, schema migrations."""

from __future__ import annotations

from motcua.db.base import BaseModel as BaseModel
from motcua.db.base import JSONField as JSONField
from motcua.db.base import TenantModel as TenantModel
from motcua.db.base import database as database
from motcua.db.connection import connect_database as connect_database
from motcua.db.connection import write_transaction as write_transaction
