"""Settings: read from environment variables, with safe defaults.

Every command and the web app build their settings here, so ``MOTCUA_DATA_DIR`` and
``DATABASE_URL`` mean the same thing everywhere.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Settings:
    """The app's settings. Build with :func:`load_settings`."""

    data_dir: Path
    database_url: str
    secret_key: str
    tenants_dir: Path
    public_url: str = "http://127.0.0.1:8000"
    secure_cookies: bool = True
    https: bool = True  # served behind HTTPS: Secure cookies and HSTS (the demo turns it off)
    ratelimit_storage_uri: str = "motcua-db://"  # shared by all workers (motcua.rate_store)
    login_max_failures: int = 5
    login_lock_minutes: int = 15
    login_rate_limit: str = "20 per minute"
    lookup_rate_limit: str = "30 per minute"
    attachment_max_bytes: int = 10 * 1024 * 1024
    # Citizen sign-in (VNeID-style OpenID Connect): the provider's issuer URL and this app's client.
    oidc_issuer: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    # Wall-clock seconds a request may spend evaluating notebooks (motcua.budget), and how
    # many heavy previews (editor runs, template PDFs) one process runs at once.
    evaluation_budget: float = 2.0
    heavy_slots: int = 1
    testing: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def with_overrides(self, **changes: Any) -> Settings:
        """Return a copy with ``changes`` applied."""
        return replace(self, **changes)


def _bool(text: str | None, default: bool) -> bool:
    if text is None or text == "":
        return default
    return text.strip().lower() in {"1", "true", "yes", "on"}


def load_settings(overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Return settings from ``environ`` (default ``os.environ``) with ``overrides`` on top.

    ``overrides`` uses the field names of :class:`Settings` (``data_dir``, ``database_url``…).
    The data folder is created if missing; a ``SECRET_KEY`` that is not given is generated
    once and kept in ``<data_dir>/secret_key`` (mode 0600) so sessions survive restarts.
    """
    env = os.environ if environ is None else environ
    given = dict(overrides or {})
    data_dir = Path(given.pop("data_dir", None) or env.get("MOTCUA_DATA_DIR") or REPO_ROOT / "var").resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    database_url = given.pop("database_url", None) or env.get("DATABASE_URL") or f"sqlite:///{data_dir / 'motcua.sqlite3'}"
    secret_key = given.pop("secret_key", None) or env.get("SECRET_KEY") or _instance_secret(data_dir)
    tenants_dir = Path(given.pop("tenants_dir", None) or env.get("MOTCUA_TENANTS_DIR") or REPO_ROOT / "tenants")
    settings = Settings(
        data_dir=data_dir,
        database_url=database_url,
        secret_key=secret_key,
        tenants_dir=tenants_dir,
        public_url=env.get("MOTCUA_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/"),
        secure_cookies=_bool(env.get("MOTCUA_SECURE_COOKIES"), _bool(env.get("MOTCUA_HTTPS"), True)),
        https=_bool(env.get("MOTCUA_HTTPS"), True),
        ratelimit_storage_uri=env.get("MOTCUA_RATELIMIT_STORAGE", "motcua-db://"),
        attachment_max_bytes=int(env.get("MOTCUA_ATTACHMENT_MAX_BYTES") or 10 * 1024 * 1024),
        oidc_issuer=env.get("MOTCUA_OIDC_ISSUER", "").rstrip("/"),
        oidc_client_id=env.get("MOTCUA_OIDC_CLIENT_ID", ""),
        oidc_client_secret=env.get("MOTCUA_OIDC_CLIENT_SECRET", ""),
        evaluation_budget=float(env.get("MOTCUA_EVALUATION_BUDGET") or 2.0),
        heavy_slots=int(env.get("MOTCUA_HEAVY_SLOTS") or 1),
    )
    return settings.with_overrides(**given) if given else settings


def _instance_secret(data_dir: Path) -> str:
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
