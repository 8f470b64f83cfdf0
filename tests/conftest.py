"""Shared fixtures: ``app``, ``client``, ``ward_a``/``ward_b``, users of each role, ``login``.

The database comes from ``MOTCUA_TEST_DATABASE_URL`` (PostgreSQL in CI's second pass),
else a fresh SQLite file. With ``MOTCUA_REQUIRE_POSTGRES=1`` a run that cannot reach
PostgreSQL fails instead of quietly testing SQLite.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

os.environ.setdefault("MOTCUA_PASSWORD_METHOD", "scrypt:1024:8:1")  # cheap hashes for tests only

from flask import Flask  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402

from motcua import clock as motcua_clock  # noqa: E402
from motcua.app import create_app  # noqa: E402
from motcua.db import database  # noqa: E402
from motcua.db.connection import connect_database, is_sqlite  # noqa: E402
from motcua.db.migrate import upgrade, upgrade_plugins  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
# Every test runs with motcua.clock frozen (never the wall clock): at this moment, or at
# MOTCUA_TEST_NOW (an ISO date or date-time) to run the whole suite on another day.
DEFAULT_TEST_NOW = "2026-12-02T09:30:00"
# The days the date-dependent tests also run on: today's brief, a New Year's Eve (the
# holiday's English name has an apostrophe), Tết, the 30/4-1/5 bridge, National Day, a
# Saturday, and the 24/11 Culture Day.
TEST_DAYS = ("2026-12-02", "2025-12-31", "2026-02-13", "2026-04-29", "2026-08-31",
             "2026-06-13", "2026-11-23")
PASSWORD = "mat-khau-thu-nghiem"
DB_FIXTURES = {"app", "db", "client", "ward_a", "ward_b", "users", "migrated_db"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that touches the database, so CI can rerun exactly those on PostgreSQL."""
    for item in items:
        if DB_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.db)


def _moment(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if "T" in text or " " in text else moment.replace(hour=9, minute=30)


@pytest.fixture(autouse=True)
def clock(request: pytest.FixtureRequest) -> Iterator[datetime]:
    """Freeze ``motcua.clock`` for the test; yield the moment.

    A test parametrized with ``frozen_day`` (see :data:`TEST_DAYS`) runs on that day.
    """
    callspec = getattr(request.node, "callspec", None)
    day = callspec.params.get("frozen_day") if callspec is not None else None
    text = day or os.environ.get("MOTCUA_TEST_NOW") or DEFAULT_TEST_NOW
    with motcua_clock.frozen(_moment(text)) as moment:
        yield moment


@pytest.fixture(params=TEST_DAYS)
def frozen_day(request: pytest.FixtureRequest) -> str:
    """Run the test once per day of :data:`TEST_DAYS` (the ``clock`` fixture freezes it)."""
    return request.param


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("MOTCUA_TEST_DATABASE_URL")
    if os.environ.get("MOTCUA_REQUIRE_POSTGRES") == "1" and not (url or "").startswith("postgres"):
        pytest.exit("MOTCUA_REQUIRE_POSTGRES=1 but MOTCUA_TEST_DATABASE_URL is not a PostgreSQL URL", returncode=3)
    return url or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


def _reset_schema(db) -> None:  # noqa: ANN001
    if is_sqlite(db):
        tables = [r[0] for r in db.execute_sql("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        db.execute_sql("PRAGMA foreign_keys = OFF")
        for table in tables:
            db.execute_sql(f'DROP TABLE IF EXISTS "{table}"')  # FTS shadow tables go with theirs
        db.execute_sql("PRAGMA foreign_keys = ON")
    else:
        db.execute_sql("DROP SCHEMA public CASCADE")
        db.execute_sql("CREATE SCHEMA public")


@pytest.fixture(scope="session")
def migrated_db(database_url: str) -> Iterator[str]:
    """Migrate a fresh schema once per session; return the URL."""
    db = connect_database(database_url)
    try:
        db.connect(reuse_if_open=True)
    except Exception as exc:  # noqa: BLE001
        pytest.exit(f"cannot reach the test database {database_url}: {exc}", returncode=3)
    _reset_schema(db)
    upgrade(db)
    from motcua.plugins.host import build_host

    upgrade_plugins(db, build_host().migrations())  # the installed plugins' own tables
    from motcua.tenancy.sync import ensure_provinces

    with db.atomic():
        ensure_provinces()
    db.close()
    yield database_url


def _clean(db) -> None:  # noqa: ANN001
    keep = {"province", "schema_migration", "plugin_migration"}
    db.execute_sql("UPDATE province SET settings = '{}'")  # provinces stay, their settings do not
    if is_sqlite(db):
        tables = [r[0] for r in db.execute_sql("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        db.execute_sql("PRAGMA foreign_keys = OFF")
        for table in tables:
            # The name search index (FTS5) follows the record table through its triggers;
            # its shadow tables must never be written directly.
            if table not in keep and not table.startswith("record_name_search"):
                db.execute_sql(f'DELETE FROM "{table}"')
        db.execute_sql("PRAGMA foreign_keys = ON")
    else:
        tables = [r[0] for r in db.execute_sql("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        wipe = ", ".join(f'"{t}"' for t in tables if t not in keep)
        if wipe:
            db.execute_sql(f"TRUNCATE {wipe} RESTART IDENTITY CASCADE")


@pytest.fixture
def app(migrated_db: str, tmp_path: Path) -> Iterator[Flask]:
    """A motcua app on the test database, emptied before the test (provinces kept)."""
    application = create_app({
        "database_url": migrated_db,
        "data_dir": tmp_path / "data",
        "secret_key": "test-secret",
        "testing": True,
        "secure_cookies": False,
        "tenants_dir": REPO / "tenants",
    })
    database.connect(reuse_if_open=True)
    _clean(database.obj)
    _APPS.append(application)
    # No app context is held around the test: requests must each get their own `g`.
    yield application
    _APPS.remove(application)
    if not database.is_closed():
        database.close()


_APPS: list[Flask] = []  # the test's app, for ward_of(); tests run one at a time


def ward_of(tenant, app: Flask | None = None):  # noqa: ANN001, ANN201
    """Return the ward context of ``tenant`` in ``app`` (default: the test's app), as a
    request of that ward would build it: its enabled plugins, calendar, event sink."""
    from motcua.web.ward import ward_for

    return ward_for(app or _APPS[-1], tenant)


@pytest.fixture
def db(app: Flask):  # noqa: ANN201
    """The connected database (for tests that only need tables)."""
    return database


@pytest.fixture
def cli_env(app: Flask, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """The environment a ``motcua`` command run by the test needs to reach the test's
    database and data folder; returns the app's settings."""
    settings = app.extensions["motcua.settings"]
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("SECRET_KEY", "test-secret")
    return settings


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def make_tenant(code: str):  # noqa: ANN201
    """Create the ward ``code`` from the catalogue with one reception point and counter."""
    from motcua import units
    from motcua.tenancy.models import Counter, ReceptionPoint, Tenant

    ward = units.ward(code)
    tenant = Tenant.create(code=ward.code, catalogue=units.CATALOGUE_DATE, name=ward.name, slug=ward.slug,
                           province=ward.province_code,
                           merged_from=[{"name": u.name, "code": u.code} for u in units.merged_from(code)],
                           office_hours=["07:00-11:30", "13:30-17:00"])
    point = ReceptionPoint.create(tenant=tenant, key="chinh", name=f"Trụ sở {ward.name}")
    Counter.create(tenant=tenant, reception_point=point, key="q1", name="Quầy 1", fields=["tu-phap"])
    return tenant


@pytest.fixture
def ward_a(app: Flask):  # noqa: ANN201
    """Phường Nếnh (Bắc Ninh)."""
    return make_tenant("07795")


@pytest.fixture
def ward_b(app: Flask):  # noqa: ANN201
    """Phường Yên Tử (Quảng Ninh)."""
    return make_tenant("06832")


@dataclass
class Users:
    staff_a: object
    admin_a: object
    leader_a: object
    staff_b: object
    admin_b: object
    province_admin_a: object
    platform_admin: object


@pytest.fixture
def users(ward_a, ward_b) -> Users:  # noqa: ANN001
    from motcua.accounts.service import create_user

    return Users(
        staff_a=create_user("canbo-a", PASSWORD, role="staff", tenant=ward_a),
        admin_a=create_user("quantri-a", PASSWORD, role="ward_admin", tenant=ward_a),
        leader_a=create_user("lanhdao-a", PASSWORD, role="leader", tenant=ward_a),
        staff_b=create_user("canbo-b", PASSWORD, role="staff", tenant=ward_b),
        admin_b=create_user("quantri-b", PASSWORD, role="ward_admin", tenant=ward_b),
        province_admin_a=create_user("tinh-a", PASSWORD, role="province_admin", tenant=ward_a),
        platform_admin=create_user("quantri-he-thong", PASSWORD, role="platform_admin"),
    )


CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    """Return a CSRF token for ``client``'s session, read from a page's form."""
    page = client.get(path).get_data(as_text=True)
    match = CSRF_RE.search(page)
    assert match, f"no csrf_token on {path}"
    return match.group(1)


def login(client: FlaskClient, login_name: str, password: str = PASSWORD):  # noqa: ANN201
    """Sign ``client`` in; return the response of the POST."""
    token = csrf_token(client)
    return client.post("/login", data={"login": login_name, "password": password, "csrf_token": token})


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1 now (for a server a test starts)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A private redis-server on a free port for the test, stopped after it; yields its URL."""
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)
