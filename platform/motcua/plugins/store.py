"""The database side of plugins: per-ward and per-province enablement, and failure records.

:func:`stored_settings` is the host's resolver; :class:`FailureLog` is its failure sink;
:func:`enable_plugin` and friends are the audited service functions behind the admin
page and ``motcua plugins enable``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext
from types import MappingProxyType
from typing import Any

from flask import current_app, has_request_context, request
from peewee import Value

from motcua.audit import audit
from motcua.clock import now
from motcua.db import database, write_transaction
from motcua.errors import NotFound, UserError
from motcua.i18n import T
from motcua.plugin_api import TenantInfo
from motcua.plugins.host import FailureInfo, PluginHost, PluginInfo
from motcua.plugins.models import PluginFailure, PluginSetting, ProvincePluginSetting
from motcua.tenancy.models import Province, Tenant

log = logging.getLogger("motcua.plugins")


# Within one request the settings are read once per ward and kept in the WSGI environ (the
# request's own dict; flask.g may outlive a request when a test holds an app context).
# Nothing survives the request, so a toggle in any process counts from the next request;
# set_plugin and set_province_plugin drop the memo so it also counts later in their own.
_REQUEST_MEMO = "motcua.plugin_settings"


def stored_settings(tenant: TenantInfo) -> tuple[Mapping[str, bool], Mapping[str, bool]]:
    """Return ``(ward settings, province defaults)`` of ``tenant``: plugin name -> enabled.

    Read from the database once per request (per ward); outside a request, every call reads.
    """
    if not has_request_context():
        return _read_settings(tenant)
    memo = request.environ.setdefault(_REQUEST_MEMO, {})
    key = (tenant.code, tenant.province_code)
    if key not in memo:
        memo[key] = _read_settings(tenant)
    return memo[key]


def _forget_settings() -> None:
    if has_request_context():
        request.environ.pop(_REQUEST_MEMO, None)


def _read_settings(tenant: TenantInfo) -> tuple[Mapping[str, bool], Mapping[str, bool]]:
    # Both layers in one statement: (layer, plugin, enabled) rows, layer 0 the ward's.
    ward_rows = (
        PluginSetting.select(Value(0).alias("layer"), PluginSetting.plugin, PluginSetting.enabled)
        .join(Tenant)
        .where(Tenant.code == tenant.code)
    )
    province_rows = ProvincePluginSetting.select(
        Value(1).alias("layer"), ProvincePluginSetting.plugin, ProvincePluginSetting.enabled
    ).where(ProvincePluginSetting.province == tenant.province_code)
    layers: tuple[dict[str, bool], dict[str, bool]] = ({}, {})
    for layer, plugin, enabled in (ward_rows + province_rows).tuples():
        layers[layer][plugin] = bool(enabled)
    return MappingProxyType(layers[0]), MappingProxyType(layers[1])


def savepoint_if_in_transaction() -> AbstractContextManager[Any]:
    """Return a savepoint when the caller holds a transaction, so a plugin's failed writes
    roll back alone (on PostgreSQL a failed statement would otherwise abort the caller's)."""
    return database.atomic() if database.in_transaction() else nullcontext()


class FailureLog:
    """Writes :class:`PluginFailure` rows, never inside the caller's transaction.

    A failure raised while the caller holds a transaction is kept in memory and written
    by :meth:`flush` (the app calls it when the request ends), so the caller's commit or
    rollback never depends on it, and a rollback does not lose it.
    """

    def __init__(self) -> None:
        self._pending: list[FailureInfo] = []
        self._lock = threading.Lock()

    def __call__(self, failure: FailureInfo) -> None:
        with self._lock:
            self._pending.append(failure)
        if not database.in_transaction():
            self.flush()

    def flush(self) -> int:
        """Write the pending failures in their own transaction; return how many were written."""
        with self._lock:
            pending, self._pending = self._pending, []
        if not pending:
            return 0
        if database.in_transaction():
            with self._lock:
                self._pending[:0] = pending
            return 0
        try:
            with write_transaction():
                ids = {
                    t.code: t.id
                    for t in Tenant.select(Tenant.id, Tenant.code).where(
                        Tenant.code.in_({f.tenant.code for f in pending})
                    )
                }
                for failure in pending:
                    if failure.tenant.code in ids:
                        PluginFailure.create(
                            tenant=ids[failure.tenant.code],
                            plugin=failure.plugin,
                            hook=failure.hook,
                            error=failure.error[:2000],
                            detail=failure.detail[:8000],
                            at=failure.at,
                        )
        except Exception:  # noqa: BLE001 - the failure is already in the log
            log.exception("could not store %d plugin failure(s)", len(pending))
            return 0
        return len(pending)


def recent_failures(tenant: Tenant, limit: int = 20) -> list[PluginFailure]:
    """Return the latest event-hook failures in ``tenant``, newest first."""
    return list(
        PluginFailure.select()
        .where(PluginFailure.tenant == tenant)
        .order_by(PluginFailure.at.desc(), PluginFailure.id.desc())
        .limit(limit)
    )


def _host(host: PluginHost | None) -> PluginHost:
    if host is not None:
        return host
    from motcua.plugins import plugin_host

    return plugin_host(current_app)


def _switchable(name: str, host: PluginHost) -> PluginInfo:
    info = host.plugin(name)
    if info.builtin:
        raise UserError(
            T("Tiện ích lõi `{name}` luôn bật", "The core plugin `{name}` is always on", name=name)
        )
    return info


def _actor(actor: Any) -> tuple[Any, str]:
    """Return ``(user or None, login)`` for a User or a plain name (CLI)."""
    if actor is None or isinstance(actor, str):
        return None, actor or ""
    return actor, actor.login


def set_plugin(
    name: str,
    tenant: Tenant,
    enabled: bool,
    actor: Any = None,
    *,
    ip: str = "",
    host: PluginHost | None = None,
) -> PluginSetting:
    """Enable or disable plugin ``name`` in ``tenant``; audited; return the setting row.

    ``actor`` is the User (web) or a name (CLI). Raises NotFound for a plugin that is not
    loaded and UserError for the core plugin, which is always on.
    """
    _switchable(name, _host(host))
    user, login = _actor(actor)
    with write_transaction():
        row, before = _switch(PluginSetting, {"tenant": tenant, "plugin": name}, enabled, login)
        audit(
            "plugins.enable" if enabled else "plugins.disable",
            tenant=tenant,
            user=user,
            actor=login,
            target=name,
            ip=ip,
            before=before,
            after=enabled,
        )
    _forget_settings()
    return row


def enable_plugin(name: str, tenant: Tenant, actor: Any = None, **options: Any) -> PluginSetting:
    """Enable plugin ``name`` in ``tenant`` (see :func:`set_plugin`)."""
    return set_plugin(name, tenant, True, actor, **options)


def disable_plugin(name: str, tenant: Tenant, actor: Any = None, **options: Any) -> PluginSetting:
    """Disable plugin ``name`` in ``tenant`` (see :func:`set_plugin`)."""
    return set_plugin(name, tenant, False, actor, **options)


def set_province_plugin(
    name: str,
    province: Province | str,
    enabled: bool,
    actor: Any = None,
    *,
    ip: str = "",
    host: PluginHost | None = None,
) -> ProvincePluginSetting:
    """Set the default of plugin ``name`` for the wards of ``province`` (a Province or its code);
    audited; wards with their own setting keep it. Raises NotFound for an unknown province."""
    _switchable(name, _host(host))
    code = province if isinstance(province, str) else province.code
    if not Province.select().where(Province.code == code).exists():
        raise NotFound(T("Không có tỉnh mã `{code}`", "No province with code `{code}`", code=code))
    user, login = _actor(actor)
    with write_transaction():
        row, before = _switch(
            ProvincePluginSetting, {"province": code, "plugin": name}, enabled, login
        )
        audit(
            "plugins.province_enable" if enabled else "plugins.province_disable",
            user=user,
            actor=login,
            target=f"{code}:{name}",
            ip=ip,
            province=code,
            before=before,
            after=enabled,
        )
    _forget_settings()
    return row


def enable_plugin_in_province(
    name: str, province: Province | str, actor: Any = None, **options: Any
) -> ProvincePluginSetting:
    """Enable plugin ``name`` by default in the wards of ``province``."""
    return set_province_plugin(name, province, True, actor, **options)


def disable_plugin_in_province(
    name: str, province: Province | str, actor: Any = None, **options: Any
) -> ProvincePluginSetting:
    """Disable plugin ``name`` by default in the wards of ``province``."""
    return set_province_plugin(name, province, False, actor, **options)


def enabled_tenants(host: PluginHost) -> dict[str, list[str]]:
    """Return, for each loaded plugin, the codes of the active wards where it is enabled."""
    result: dict[str, list[str]] = {info.name: [] for info in host.plugins()}
    for tenant in Tenant.select().where(Tenant.active == True).order_by(Tenant.code):  # noqa: E712
        for name in host.enabled_names(tenant):
            result.setdefault(name, []).append(tenant.code)
    return result


def _switch(model: Any, key: dict[str, Any], enabled: bool, login: str) -> tuple[Any, bool | None]:
    """Create or update the setting row ``key`` of ``model``; return it and its value before."""
    row = model.get_or_none(*(getattr(model, name) == value for name, value in key.items()))
    if row is None:
        return model.create(**key, enabled=enabled, changed_by=login), None
    before = bool(row.enabled)
    row.enabled, row.changed_at, row.changed_by = enabled, now(), login
    row.save()
    return row, before
