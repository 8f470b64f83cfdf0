"""Security headers on every answer (OWASP ASVS V14.4, V3.4).

- A strict Content-Security-Policy: scripts only from our own files, or an inline script
  carrying this request's nonce (``{{ csp_nonce() }}``, for plugin templates that embed
  a few values; the core's templates have no inline script at all). Styles may be inline
  (``style=`` attributes in templates and print previews).
- ``frame-ancestors 'none'`` and ``X-Frame-Options: DENY``: no page of ours inside another
  site's frame. PDFs may be framed by our own pages (the editor's preview).
- ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: same-origin``.
- ``Cache-Control: no-store`` on every answer but the static files: ward pages, the API
  and the public lookup all show personal data.
- HSTS when the site is served over HTTPS (``MOTCUA_HTTPS=1``, the default of
  ``motcua serve``; the demo runs plain HTTP).
"""

from __future__ import annotations

import secrets

from flask import Flask, Response, g, request

_POLICY = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; frame-src 'self' blob:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors {ancestors}"
)
HSTS = "max-age=31536000; includeSubDomains"


def csp_nonce() -> str:
    """Return this request's script nonce (the template helper ``csp_nonce()``)."""
    nonce = getattr(g, "csp_nonce", None)
    if nonce is None:
        nonce = g.csp_nonce = secrets.token_urlsafe(16)
    return nonce


def _secure(response: Response) -> Response:
    framed_by_us = response.mimetype == "application/pdf"
    headers = response.headers
    headers.setdefault("Content-Security-Policy",
                       _POLICY.format(nonce=csp_nonce(), ancestors="'self'" if framed_by_us else "'none'"))
    headers.setdefault("X-Frame-Options", "SAMEORIGIN" if framed_by_us else "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    if not (request.endpoint or "").endswith(".static"):
        headers["Cache-Control"] = "no-store"
        headers.pop("Expires", None)
    return response


def init_security(app: Flask) -> None:
    """Put the headers on every response of ``app``; HSTS when ``settings.https``."""
    https = app.extensions["motcua.settings"].https
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.after_request
    def _headers(response: Response) -> Response:
        if https:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return _secure(response)
