"""The JSON API under ``/api/v1/``: machines authenticate with a bearer token.

A token belongs to one ward, so the ward comes from the token, never from the URL or the
payload: another ward's objects are simply not found (404).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, g, jsonify, request
from flask.typing import ResponseReturnValue

from motcua.accounts.service import verify_token
from motcua.errors import Forbidden, UserError
from motcua.i18n import T

F = TypeVar("F", bound=Callable[..., Any])


class Unauthorized(UserError):
    """No or a bad bearer token (HTTP 401)."""

    status = 401


def _authenticate() -> None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    grant = verify_token(token) if scheme.lower() == "bearer" and token else None
    if grant is None:
        raise Unauthorized(T("Thiếu hoặc sai mã truy cập (Authorization: Bearer …)",
                             "Missing or invalid access token (Authorization: Bearer …)"))
    g.tenant, g.user, g.permissions, g.api_token = grant.tenant, grant.user, grant.permissions, grant.token


def api_blueprint(name: str, import_name: str, url_prefix: str = "") -> Blueprint:
    """Return a blueprint under ``/api/v1<url_prefix>`` whose routes need a valid token."""
    bp = Blueprint(name, import_name, url_prefix=f"/api/v1{url_prefix}")
    bp.before_request(_authenticate)
    return bp


def api_requires(permission: str) -> Callable[[F], F]:
    """Decorate an API view so it runs only when the token carries ``permission``."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if permission not in g.permissions:
                raise Forbidden(T("Mã truy cập không có quyền `{p}`", "The token lacks the `{p}` permission", p=permission),
                                permission=permission)
            return view(*args, **kwargs)

        wrapper.required_permission = permission  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


bp = api_blueprint("api", __name__)


@bp.get("/me")
def me() -> ResponseReturnValue:
    """Return the token's ward, user and permissions."""
    return jsonify(
        tenant={"code": g.tenant.code, "name": g.tenant.name, "slug": g.tenant.slug},
        user={"login": g.user.login, "full_name": g.user.full_name},
        permissions=sorted(g.permissions),
    )
