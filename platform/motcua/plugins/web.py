"""Plugin pages: a ward's plugin page, the platform admin's load errors, plugin blueprints.

A plugin's blueprints are mounted under ``/<tenant_slug>/x/<plugin>/`` inside a ward
blueprint of their own, so they get the same ward resolution and membership check as
every ward page, plus a 404 in wards where the plugin is not enabled.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from flask import Blueprint, Flask, current_app, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from motcua.errors import Forbidden, NotFound, UserError
from motcua.i18n import T
from motcua.plugin_api import PublicLink
from motcua.plugins.host import PluginHost, tenant_info
from motcua.web.context import client_ip
from motcua.web.shell import WardArea, add_ward_area
from motcua.web.tenancy import require_member, requires, tenant_blueprint

log = logging.getLogger(__name__)

ward_pages = tenant_blueprint("plugins", __name__, "/plugins")
ward_pages.template_folder = "templates"
admin_pages = Blueprint(
    "plugins_admin", __name__, url_prefix="/admin/plugins", template_folder="templates"
)


def _host() -> PluginHost:
    from motcua.plugins import plugin_host

    return plugin_host(current_app)


@ward_pages.get("/")
@requires("plugins.manage")
def ward_plugins() -> ResponseReturnValue:
    """List the installed plugins with their state in this ward, load errors and failures."""
    from motcua.plugins.store import recent_failures, stored_settings

    host = _host()
    ward, province = stored_settings(tenant_info(g.tenant))
    enabled = host.enabled_names(g.tenant)
    rows = []
    for info in host.plugins():
        if info.builtin:
            source = T("lõi, luôn bật", "core, always on")
        elif info.name in ward:
            source = T("phường/xã chọn", "set by the ward")
        elif info.name in province:
            source = T("mặc định của tỉnh", "province default")
        else:
            source = T("mặc định của tiện ích", "plugin default")
        rows.append({"info": info, "enabled": info.name in enabled, "source": source})
    return render_template(
        "plugins/ward.html",
        rows=rows,
        errors=host.errors,
        failures=recent_failures(g.tenant),
        history=_toggle_history(g.tenant),
    )


def _toggle_history(tenant: Any, limit: int = 50) -> list[Any]:
    """The ward's latest plugin enable/disable entries from the audit log, newest first."""
    from motcua.audit import AuditLog

    return list(
        AuditLog.select()
        .where(AuditLog.tenant == tenant, AuditLog.action.in_(("plugins.enable", "plugins.disable")))
        .order_by(AuditLog.at.desc(), AuditLog.id.desc())
        .limit(limit)
    )


@ward_pages.post("/")
@requires("plugins.manage")
def ward_toggle() -> ResponseReturnValue:
    """Enable or disable one plugin in this ward (form fields ``plugin`` and ``enabled``)."""
    from motcua.plugins.store import set_plugin

    name = request.form.get("plugin", "")
    wanted = request.form.get("enabled")
    if wanted not in {"0", "1"}:
        raise UserError(T("Thiếu lựa chọn bật/tắt", "Choose enable or disable"), field="enabled")
    set_plugin(name, g.tenant, wanted == "1", g.user, ip=client_ip(), host=_host())
    return redirect(url_for("plugins.ward_plugins"))


@admin_pages.get("/")
def load_errors() -> ResponseReturnValue:
    """The platform admin's view of every installed plugin and every load error."""
    if g.user is None:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if not g.user.is_platform_admin:
        raise Forbidden(
            T("Chỉ quản trị hệ thống xem được trang này", "Only platform admins may see this page")
        )
    host = _host()
    return render_template("plugins/admin.html", plugins=host.plugins(), errors=host.errors)


def lookup_links(tenant: Any, code: str) -> list[PublicLink]:
    """Return the links the ward's enabled plugins add to the public lookup page of record
    ``code`` (hook ``record_lookup_links``); an invalid link is reported as the plugin's
    failure. The record is read only when some enabled plugin implements the hook."""
    host = _host()
    if not host.listens("record_lookup_links", tenant):
        return []
    from motcua.records.info import record_info
    from motcua.records.service import get_record

    record = get_record(tenant, code)
    links = []
    for plugin, link in host.collect("record_lookup_links", tenant, record=record_info(record)):
        url = getattr(link, "url", "")
        if isinstance(link, PublicLink) and isinstance(url, str) and (
            (url.startswith("/") and not url.startswith("//")) or url.startswith("https://")
        ):
            links.append(link)
        else:
            host.report_failure(
                tenant,
                plugin,
                "record_lookup_links",
                TypeError(f"not a PublicLink with a path or https URL: {link!r}"[:200]),
            )
    return links


def _mount(app: Flask, host: PluginHost, plugin: str, blueprints: list[Blueprint]) -> None:
    safe = re.sub(r"\W", "_", plugin)
    parent = tenant_blueprint(f"x_{safe}", __name__, f"/x/{plugin}", public=True)

    @parent.before_request
    def _members_where_enabled() -> ResponseReturnValue | None:
        view = current_app.view_functions.get(request.endpoint or "")
        if not getattr(view, "public", False):  # motcua.plugin_api.public views skip sign-in
            refused = require_member()
            if refused is not None:
                return refused
        if not host.is_enabled(plugin, g.tenant):
            raise NotFound(
                T(
                    "Tiện ích `{name}` chưa được bật ở {ward}",
                    "Plugin `{name}` is not enabled in {ward}",
                    name=plugin,
                    ward=g.tenant.name,
                )
            )
        return None

    for blueprint in blueprints:
        parent.register_blueprint(blueprint)
    app.register_blueprint(parent)
    limiter = app.extensions.get("motcua.limiter")
    for endpoint, view in list(app.view_functions.items()):
        limit = getattr(view, "rate_limit", None)  # motcua.plugin_api.rate_limited
        if endpoint.startswith(f"{parent.name}.") and limit and limiter is not None:
            app.view_functions[endpoint] = limiter.limit(limit)(view)


def init_plugin_pages(app: Flask, host: PluginHost) -> None:
    """Register the plugin pages of ``app`` and mount the blueprints of its plugins."""
    app.register_blueprint(ward_pages)
    app.register_blueprint(admin_pages)
    add_ward_area(
        app,
        WardArea(
            "plugins.ward_plugins",
            T("Tiện ích mở rộng", "Plugins"),
            T(
                "Bật, tắt tiện ích cho phường/xã; lỗi của tiện ích",
                "Turn plugins on or off for the ward; plugin errors",
            ),
            "plugins.manage",
            order=80,
        ),
    )
    grouped: dict[str, list[Blueprint]] = {}
    for plugin, blueprint in host.blueprints:
        grouped.setdefault(plugin, []).append(blueprint)
    for plugin, blueprints in grouped.items():
        _mount(app, host, plugin, blueprints)
    for plugin, link in host.ward_links():
        safe = re.sub(r"\W", "_", plugin)
        endpoint = f"x_{safe}.{link.view}"
        rule = next(iter(app.url_map.iter_rules(endpoint)), None) if endpoint in app.view_functions else None
        if rule is None or set(rule.arguments) - {"tenant_slug"}:
            log.error("plugin %r: ward link to %r is not a view without parameters; left out", plugin, link.view)
            continue
        add_ward_area(
            app, WardArea(endpoint, link.title, link.description, link.permission, link.order, plugin)
        )
