"""The shell: landing page, a ward's home page, a province overview."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Flask, current_app, g, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from motcua.accounts.models import Membership, ProvinceRole
from motcua.clock import now
from motcua.errors import Forbidden, NotFound
from motcua.i18n import T, Text
from motcua.reports.engine import period_report, province_scope
from motcua.reports.figures import percent
from motcua.reports.period import month_of
from motcua.tenancy.models import Province, Tenant
from motcua.web.tenancy import tenant_blueprint

bp = Blueprint("shell", __name__)
ward = tenant_blueprint("ward", __name__)


@dataclass(frozen=True)
class WardArea:
    """A link on the ward home page to an area of work (records, notebooks, reports…)."""

    endpoint: str
    title: Text
    description: Text
    permission: str
    order: int = 50  # position on the ward home page: daily work first, settings last
    plugin: str = ""  # a plugin's tile (register_ward_links): shown where it is enabled


def add_ward_area(app: Flask, area: WardArea) -> None:
    """Add ``area`` to the ward home page of ``app`` (features and plugins call this)."""
    app.extensions.setdefault("motcua.ward_areas", []).append(area)


def accessible_tenants(user) -> list[Tenant]:  # noqa: ANN001 - a User
    """Return the active wards ``user`` may open, by province then name."""
    query = Tenant.select().where(Tenant.active == True)  # noqa: E712
    if not user.is_platform_admin:
        member_of = Membership.select(Membership.tenant).where(Membership.user == user)
        provinces = ProvinceRole.select(ProvinceRole.province).where(ProvinceRole.user == user)
        query = query.where((Tenant.id.in_(member_of)) | (Tenant.province.in_(provinces)))
    return list(query.order_by(Tenant.province, Tenant.name))


@bp.get("/")
def index() -> ResponseReturnValue:
    """Send a signed-in user to their ward, or list the wards they can open."""
    if g.user is None:
        return redirect(url_for("auth.login"))
    tenants = accessible_tenants(g.user)
    if len(tenants) == 1 and not g.user.is_platform_admin:
        return redirect(url_for("ward.home", tenant_slug=tenants[0].slug))
    provinces = Province.select().where(Province.code.in_({t.province_code for t in tenants})).order_by(Province.name)
    administered = {r.province_code for r in ProvinceRole.select().where(ProvinceRole.user == g.user)}
    return render_template("index.html", tenants=tenants, provinces=list(provinces), administered=administered)


@ward.get("/")
def home() -> ResponseReturnValue:
    """The ward's home page: who it is, where it receives, and links to its areas."""
    tenant = g.tenant
    points = list(tenant.reception_points.where(tenant.reception_points.model.active == True))  # noqa: E712
    from motcua.plugins import plugin_host

    enabled = plugin_host(current_app).enabled_names(tenant)
    areas = sorted((a for a in current_app.extensions.get("motcua.ward_areas", [])
                    if a.permission in g.permissions and (not a.plugin or a.plugin in enabled)),
                   key=lambda area: area.order)
    return render_template("ward_home.html", points=points, areas=areas, province=tenant.province)


def administered_province(province_slug: str) -> Province:
    """Return the province ``province_slug`` if the signed-in user administers it.

    :raises NotFound: no such province.
    :raises Forbidden: the user is neither its province admin nor a platform admin.
    """
    province = Province.get_or_none(Province.slug == province_slug)
    if province is None:
        raise NotFound(T("Không có tỉnh `{slug}`", "No province `{slug}`", slug=province_slug))
    allowed = g.user.is_platform_admin or ProvinceRole.select().where(
        ProvinceRole.province == province, ProvinceRole.user == g.user).exists()
    if not allowed:
        raise Forbidden(T("Chỉ quản trị của {name} xem được trang này", "Only admins of {name} may see this page",
                          name=province.name))
    return province


@bp.get("/tinh/<province_slug>/")
def province_overview(province_slug: str) -> ResponseReturnValue:
    """A province admin's overview of every hosted ward of the province, side by side."""
    if g.user is None:
        return redirect(url_for("auth.login"))
    province = administered_province(province_slug)
    current = now()
    scope = province_scope(province)
    report = period_report(scope, month_of(current.date()), by="ward", now=current)
    figures = {row.key: row.figures for row in report.rows}
    return render_template("province.html", province=province, tenants=scope.tenants, figures=figures,
                           month_start=report.period.start, current=current, percent=percent)
