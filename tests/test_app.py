"""The app factory, configuration and /healthz."""

from __future__ import annotations

import stat
from pathlib import Path

from motcua.app import create_app, settings_of
from motcua.config import load_settings


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["pending_migrations"] == []


def test_secret_key_is_generated_once_and_private(tmp_path: Path):
    first = load_settings({"data_dir": tmp_path}, environ={})
    second = load_settings({"data_dir": tmp_path}, environ={})
    assert first.secret_key == second.secret_key
    assert len(first.secret_key) == 64
    mode = stat.S_IMODE((tmp_path / "secret_key").stat().st_mode)
    assert mode == 0o600


def test_environment_is_honoured(tmp_path: Path):
    env = {"MOTCUA_DATA_DIR": str(tmp_path / "d"), "DATABASE_URL": "sqlite:////tmp/x.sqlite3", "SECRET_KEY": "k"}
    settings = load_settings(environ=env)
    assert settings.data_dir == (tmp_path / "d").resolve()
    assert settings.database_url == "sqlite:////tmp/x.sqlite3"
    assert settings.secret_key == "k"
    default = load_settings(environ={"MOTCUA_DATA_DIR": str(tmp_path / "e")})
    assert default.database_url == f"sqlite:///{(tmp_path / 'e').resolve() / 'motcua.sqlite3'}"


def test_sqlite_runs_in_wal_mode(app, db):
    if "sqlite" not in settings_of(app).database_url:
        return
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1


def test_session_cookie_is_hardened(tmp_path: Path):
    app = create_app({"data_dir": tmp_path, "secret_key": "x"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
