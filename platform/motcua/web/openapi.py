"""The OpenAPI 3 document of ``/api/v1``, generated from the views themselves.

Each API view carries its operation (summary, parameters, request and response schemas)
through :func:`operation`; :func:`build_document` walks the app's URL map, so a route
without an operation shows up as a bare entry and the meta-test fails on it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint, Flask, current_app, jsonify
from flask.typing import ResponseReturnValue

F = TypeVar("F", bound=Callable[..., Any])
_PARAM = re.compile(r"<(?:[a-z]+:)?([a-z_]+)>")

ERROR = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "message": {
                    "type": "object",
                    "properties": {"vi": {"type": "string"}, "en": {"type": "string"}},
                },
                "status": {"type": "integer"},
                "fields": {"type": "object", "additionalProperties": {"type": "object"}},
            },
        }
    },
}


def operation(
    summary: str,
    *,
    responses: dict[int, dict[str, Any]],
    request: dict[str, Any] | None = None,
    parameters: list[dict[str, Any]] | None = None,
    permission: str | None = None,
) -> Callable[[F], F]:
    """Attach an OpenAPI operation to an API view; returns the view unchanged otherwise."""

    def decorate(view: F) -> F:
        view.openapi = {  # type: ignore[attr-defined]
            "summary": summary,
            "responses": responses,
            "request": request,
            "parameters": parameters or [],
            "permission": permission,
        }
        return view

    return decorate


# What any token-authenticated operation may answer besides its own responses.
_COMMON_ERRORS = {
    "400": "Invalid text in a field (NUL, half a UTF-16 pair, over-long), or a bad parameter",
    "401": "Missing or invalid token",
    "403": "The token lacks the permission (scope) the operation needs",
    "429": "Too many requests",
}


def build_document(app: Flask) -> dict[str, Any]:
    """Return the OpenAPI 3.0 document of every ``/api/v1`` route of ``app``."""
    paths: dict[str, dict[str, Any]] = {}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1"):
            continue
        view = app.view_functions[rule.endpoint]
        spec = getattr(view, "openapi", None) or {
            "summary": rule.endpoint,
            "responses": {200: {"type": "object", "description": "OK"}},
            "request": None,
            "parameters": [],
            "permission": None,
        }
        path = _PARAM.sub(r"{\1}", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            op: dict[str, Any] = {
                "operationId": f"{rule.endpoint}.{method.lower()}",
                "summary": spec["summary"],
            }
            params = [
                {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                for name in _PARAM.findall(rule.rule)
            ]
            op["parameters"] = params + spec["parameters"]
            if spec["request"] is not None:
                op["requestBody"] = {
                    "required": True,
                    "content": {"application/json": {"schema": spec["request"]}},
                }
            responses = {
                str(code): {
                    "description": schema.get("description", ""),
                    "content": {"application/json": {"schema": schema}},
                }
                for code, schema in spec["responses"].items()
            }
            if getattr(view, "public", False):
                op["security"] = []
            else:
                for code, description in _COMMON_ERRORS.items():
                    responses.setdefault(
                        code, {"description": description, "content": {"application/json": {"schema": ERROR}}}
                    )
            if spec["permission"]:
                op["x-permission"] = spec["permission"]
            op["responses"] = responses
            paths.setdefault(path, {})[method.lower()] = op
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "motcua API",
            "version": "1",
            "description": "API của hệ thống một cửa phường/xã · The one-stop shop API. "
            "Create a token with `motcua tokens create`.",
        },
        "servers": [{"url": "/"}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Error": ERROR},
        },
        "security": [{"bearer": []}],
        "paths": dict(sorted(paths.items())),
    }


bp = Blueprint("openapi", __name__, url_prefix="/api/v1")


def public(view: F) -> F:
    """Mark a view as open to anyone (the isolation test skips it; the page says why)."""
    view.public = True  # type: ignore[attr-defined]
    return view


@bp.get("/openapi.json")
@public
@operation(
    "The OpenAPI document of this API",
    responses={200: {"type": "object", "description": "OpenAPI 3"}},
)
def document() -> ResponseReturnValue:
    """Return the OpenAPI document (no token needed: it holds no ward data)."""
    return jsonify(build_document(current_app))
