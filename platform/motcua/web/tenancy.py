"""Tenant resolution for ward pages: ``/<tenant_slug>/...``.

Every ward page lives on a blueprint made by :func:`tenant_blueprint`, which resolves the
ward from the URL, requires a signed-in user with a role in *that* ward, and puts
``g.tenant``, ``g.role`` and ``g.permissions`` in place before any view runs. Views then
ask for a permission with :func:`requires`. Service functions receive ``g.tenant``
explicitly and filter every query by it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlencode

from flask import Blueprint, current_app, g, redirect, request, url_for
from werkzeug.routing import RequestRedirect

from motcua.accounts.roles import permissions_of
from motcua.accounts.service import role_in
from motcua.errors import Forbidden, NotFound
from motcua.i18n import T
from motcua.tenancy.models import Tenant

F = TypeVar("F", bound=Callable[..., Any])


def _pull_tenant(_endpoint: str | None, values: dict[str, Any] | None) -> None:
    slug = (values or {}).pop("tenant_slug", None)
    tenant = Tenant.get_or_none(Tenant.slug == slug, Tenant.active == True)  # noqa: E712 - peewee expression
    if tenant is None:
        _send_to_new_home(slug)
        raise NotFound(T("Không có phường/xã `{slug}`", "No ward `{slug}`", slug=slug))
    g.tenant = tenant
    g.ward = None  # built from g.tenant on first use: motcua.web.ward.current_ward()


def _send_to_new_home(slug: str | None) -> None:
    """A page of a ward absorbed by a later re-merge answers with a redirect to the same page
    of the receiving ward (``tu=`` names the old ward, for the notice); a change is refused."""
    old = Tenant.get_or_none(Tenant.slug == slug, Tenant.merged_into.is_null(False))
    if old is None:
        return
    home = Tenant.get_by_id(old.merged_into_id)
    while home.merged_into_id:  # merged again since
        home = Tenant.get_by_id(home.merged_into_id)
    if request.method not in ("GET", "HEAD"):
        raise NotFound(
            T(
                "{old} đã sáp nhập vào {new}: hãy làm việc trên trang của {new}",
                "{old} was merged into {new}: use the pages of {new}",
                old=old.name,
                new=home.name,
            )
        )
    rest = request.path[len(f"/{slug}") :]
    query = request.args.to_dict(flat=False)
    query["tu"] = [old.slug]
    raise RequestRedirect(f"/{home.slug}{rest}?{urlencode(query, doseq=True)}")


def _push_tenant(endpoint: str, values: dict[str, Any]) -> None:
    tenant = getattr(g, "tenant", None)
    if tenant is not None and "tenant_slug" not in values and current_app.url_map.is_endpoint_expecting(endpoint, "tenant_slug"):
        values["tenant_slug"] = tenant.slug


def require_member() -> Any:
    """Redirect to sign-in, or refuse a user without a role in ``g.tenant``; set ``g.role``."""
    if g.user is None:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    role = role_in(g.user, g.tenant)
    if role is None:
        raise Forbidden(T("Bạn không có quyền truy cập {ward}", "You have no access to {ward}", ward=g.tenant.name))
    g.role = role
    g.permissions = permissions_of(role)
    return None


def tenant_blueprint(name: str, import_name: str, url_prefix: str = "", *, public: bool = False) -> Blueprint:
    """Return a blueprint whose routes live under ``/<tenant_slug><url_prefix>``.

    With ``public=False`` (the default) every route needs a signed-in user with a role in
    the ward; ``public=True`` only resolves the ward (citizen pages such as record lookup).
    """
    bp = Blueprint(name, import_name, url_prefix=f"/<tenant_slug>{url_prefix}")
    bp.url_value_preprocessor(_pull_tenant)
    bp.url_defaults(_push_tenant)
    if not public:
        bp.before_request(require_member)
    return bp


def requires(permission: str) -> Callable[[F], F]:
    """Decorate a ward view so it runs only for users whose role has ``permission``."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if permission not in getattr(g, "permissions", frozenset()):
                raise Forbidden(T("Vai trò của bạn không được làm việc này", "Your role may not do this"),
                                permission=permission)
            return view(*args, **kwargs)

        wrapper.required_permission = permission  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate
