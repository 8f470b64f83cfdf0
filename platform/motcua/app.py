"""The Flask application factory."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from flask import Flask

from motcua.config import Settings, load_settings
from motcua.db import connect_database, database
from motcua.db.connection import is_sqlite

log = logging.getLogger(__name__)


def create_app(config: Mapping[str, Any] | Settings | None = None) -> Flask:
    """Build and return the motcua web app.

    ``config`` is a :class:`~motcua.config.Settings`, or a mapping of its field names that
    overrides the environment (``DATABASE_URL``, ``MOTCUA_DATA_DIR``, ``SECRET_KEY``…).
    The database is connected but not migrated: run ``motcua db upgrade`` first. Plugin
    options (``plugins``, ``plugin_entry_points``, ``plugins_strict``) are described in
    :mod:`motcua.plugins`.
    """
    from motcua.plugins import init_plugins, split_plugin_config

    config, plugin_options = split_plugin_config(config)
    settings = config if isinstance(config, Settings) else load_settings(config)
    app = Flask("motcua", instance_path=str(settings.data_dir), static_folder=None, template_folder=None)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        TESTING=settings.testing,
        SESSION_COOKIE_NAME="motcua_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=10),
        MAX_CONTENT_LENGTH=25 * 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=None,
        WTF_CSRF_SSL_STRICT=settings.secure_cookies,
        RATELIMIT_STORAGE_URI=settings.ratelimit_storage_uri,
        RATELIMIT_ENABLED=True,
        JSON_SORT_KEYS=False,
    )
    app.extensions["motcua.settings"] = settings
    db = connect_database(settings.database_url)
    app.extensions["motcua.database"] = db

    @app.before_request
    def _open_connection() -> None:
        database.connect(reuse_if_open=True)

    @app.teardown_request
    def _close_connection(_exc: BaseException | None) -> None:
        # SQLite keeps its per-thread connection (closing checkpoints the WAL every
        # request); PostgreSQL hands the connection back to the pool.
        if not is_sqlite(db) and not database.is_closed():
            database.close()

    from motcua.web import init_web

    init_web(app)
    init_plugins(app, plugin_options)
    return app


def settings_of(app: Flask) -> Settings:
    """Return the :class:`Settings` the app was built with."""
    return app.extensions["motcua.settings"]
