"""``/healthz``: is the app up and the database reachable."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from motcua import __version__
from motcua.db import database
from motcua.db.migrate import pending

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """Answer 200 ``{"status": "ok"}`` when the database answers, 503 otherwise."""
    try:
        database.execute_sql("SELECT 1").fetchone()
        waiting = [m.version for m in pending(database.obj)]
    except Exception as exc:  # noqa: BLE001 - any database failure means "not healthy"
        return jsonify(status="error", database="unreachable", error=type(exc).__name__, version=__version__), 503
    return jsonify(status="ok", database="ok", pending_migrations=waiting, version=__version__)
