"""Helpers shared by the plugin tests: a fresh fixture plugin, an app with chosen plugins."""

from __future__ import annotations

import importlib.util
import itertools
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any

from flask import Flask

from motcua.app import create_app
from motcua.db import database
from motcua.plugin_api import EventInfo, PrintInfo, RecordInfo

PLUGINS_DIR = Path(__file__).parent / "plugins"
_counter = itertools.count()


def load_fixture_plugin() -> ModuleType:
    """Return a fresh copy of tests/plugins/fixture_all_hooks.py (its own ``calls`` list)."""
    spec = importlib.util.spec_from_file_location(
        f"fixture_all_hooks_{next(_counter)}", PLUGINS_DIR / "fixture_all_hooks.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_app(
    database_url: str, data_dir: Path, *plugins: Any, entry_points: bool = False, **options: Any
) -> Flask:
    """Return an app on the test database with ``plugins`` (installed ones only with ``entry_points``)."""
    if not database.is_closed():
        database.close()
    app = create_app(
        {
            "database_url": database_url,
            "data_dir": data_dir,
            "secret_key": "test-secret",
            "testing": True,
            "secure_cookies": False,
            "plugins": list(plugins),
            "plugin_entry_points": entry_points,
            **options,
        }
    )
    database.connect(reuse_if_open=True)
    return app


RECORD = RecordInfo(
    code="HS-0001",
    procedure_key="dang-ky-khai-sinh",
    status="received",
    received_at=datetime(2026, 3, 2, 9, 0),
    due_at=datetime(2026, 3, 2, 17, 0),
)
EVENT = EventInfo(
    action="approve",
    from_status="processing",
    to_status="ready",
    at=datetime(2026, 3, 2, 10, 0),
    actor="lanhdao-a",
)
JOB = PrintInfo(form="ticket", copies=1, reprint=True)
