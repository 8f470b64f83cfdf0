"""The settings of each connector: a province layer for all its wards, a ward layer on top.

``motcua connectors configure`` and the admin page write them; the outbox worker and the
inbox pull read :func:`effective_settings` (province, then ward, plus ``ward_code`` and
``province_code``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from motcua.audit import audit
from motcua.clock import now
from motcua.connectors.models import ConnectorSetting, ProvinceConnectorSetting
from motcua.db import write_transaction
from motcua.errors import NotFound, UserError
from motcua.i18n import T

if TYPE_CHECKING:
    from motcua.plugin_api import Connector
    from motcua.plugins.host import PluginHost
    from motcua.tenancy.models import Tenant

SECRET_WORDS = ("secret", "password", "token", "credential", "key")


def effective_settings(tenant: Tenant, connector: str) -> dict[str, Any]:
    """Return the settings of ``connector`` in ``tenant``: the province's, then the ward's on top."""
    merged: dict[str, Any] = {}
    province = ProvinceConnectorSetting.get_or_none(
        ProvinceConnectorSetting.province == tenant.province_code,
        ProvinceConnectorSetting.connector == connector,
    )
    if province is not None:
        merged.update(province.settings or {})
    ward = ConnectorSetting.get_or_none(
        ConnectorSetting.tenant == tenant, ConnectorSetting.connector == connector
    )
    if ward is not None:
        merged.update(ward.settings or {})
    merged.update(ward_code=tenant.code, province_code=tenant.province_code)
    return merged


def masked(settings: dict[str, Any]) -> dict[str, Any]:
    """Return ``settings`` with secrets (passwords, tokens, keys) shown as ``***``."""
    return {
        name: "***" if any(word in name.lower() for word in SECRET_WORDS) and value else value
        for name, value in settings.items()
    }


def parse_pairs(pairs: list[str]) -> dict[str, str]:
    """Return ``KEY=VALUE`` texts as a dict.

    :raises UserError: a text without ``=`` or with an empty key.
    """
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UserError(
                T(
                    "Ghi thiết lập dạng KHÓA=GIÁ_TRỊ (được `{pair}`)",
                    "Write settings as KEY=VALUE (got `{pair}`)",
                    pair=pair,
                )
            )
        values[name.strip()] = value.strip()
    return values


def find_connector(host: PluginHost, name: str) -> tuple[str, Connector]:
    """Return ``(plugin name, connector)`` of the installed connector ``name``.

    :raises NotFound: no installed plugin registers it (the message names those that do).
    """
    for plugin, connector in host.all_connectors():
        if connector.name == name:
            return plugin, connector
    known = ", ".join(sorted(c.name for _, c in host.all_connectors())) or "—"
    raise NotFound(
        T(
            "Không có kết nối `{name}` (có: {known})",
            "No connector `{name}` (installed: {known})",
            name=name,
            known=known,
        )
    )


def configure(
    host: PluginHost,
    tenant: Tenant,
    connector: str,
    values: dict[str, str],
    *,
    actor: str = "",
    enable: bool = True,
) -> dict[str, Any]:
    """Store ``values`` as the ward's settings of ``connector`` (merged over what it had),
    enable the connector's plugin in the ward when ``enable``; return the effective settings.

    :raises NotFound: no such connector is installed.
    """
    from motcua.plugins.store import enable_plugin

    plugin, _ = find_connector(host, connector)
    with write_transaction():
        row = ConnectorSetting.get_or_none(
            ConnectorSetting.tenant == tenant, ConnectorSetting.connector == connector
        )
        if row is None:
            row = ConnectorSetting.create(
                tenant=tenant, connector=connector, settings=values, changed_by=actor
            )
        else:
            row.settings = {**(row.settings or {}), **values}
            row.changed_at, row.changed_by = now(), actor
            row.save()
        audit(
            "connectors.configure",
            tenant=tenant,
            actor=actor,
            target=connector,
            keys=sorted(values),
        )
        if enable and not host.is_enabled(plugin, tenant):
            enable_plugin(plugin, tenant, actor, host=host)  # nested: one transaction in all
    return effective_settings(tenant, connector)


def configure_province(
    host: PluginHost, province_code: str, connector: str, values: dict[str, str], *, actor: str = ""
) -> None:
    """Store ``values`` as the province's settings of ``connector`` for all its wards.

    :raises NotFound: no such connector or province.
    """
    from motcua.tenancy.models import Province

    find_connector(host, connector)
    if not Province.select().where(Province.code == province_code).exists():
        raise NotFound(
            T("Không có tỉnh mã `{code}`", "No province with code `{code}`", code=province_code)
        )
    with write_transaction():
        row = ProvinceConnectorSetting.get_or_none(
            ProvinceConnectorSetting.province == province_code,
            ProvinceConnectorSetting.connector == connector,
        )
        if row is None:
            ProvinceConnectorSetting.create(
                province=province_code, connector=connector, settings=values, changed_by=actor
            )
        else:
            row.settings = {**(row.settings or {}), **values}
            row.changed_at, row.changed_by = now(), actor
            row.save()
        audit(
            "connectors.configure_province",
            actor=actor,
            target=f"{province_code}:{connector}",
            province=province_code,
            keys=sorted(values),
        )
