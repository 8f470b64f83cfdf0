"""Per-request state: the signed-in user, the language, and template helpers.

Everything lives on ``flask.g`` for one request; nothing is kept between requests except
the signed session cookie (user id, language).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, g, request, session

from motcua.accounts.models import User
from motcua.i18n import LANGUAGES, Text


def current_language() -> str:
    """Return "vi" or "en" for this request (session choice, else the user's, else vi)."""
    lang = session.get("lang")
    if lang in LANGUAGES:
        return lang
    user = getattr(g, "user", None)
    return user.language if user is not None and user.language in LANGUAGES else "vi"


def t(vi: str, en: str, **params: Any) -> str:
    """Return the string for the current language; the template helper ``t()``."""
    return Text(vi, en, params).render(current_language())


def render_text(text: Text | str | None) -> str:
    """Render a :class:`Text` (or pass a plain string through) in the current language."""
    if text is None:
        return ""
    if isinstance(text, Text):
        return text.render(current_language())
    return str(text)


def load_user() -> None:
    """Put the signed-in user (or None) on ``g.user``."""
    g.user = None
    user_id = session.get("user_id")
    if user_id is not None:
        user = User.get_or_none(User.id == user_id)
        if user is not None and user.active and session.get("auth_stamp") == _stamp(user):
            g.user = user
        else:
            session.clear()


def sign_in(user: User) -> None:
    """Start a fresh session for ``user`` (a new session id defeats fixation)."""
    lang = session.get("lang")
    session.clear()
    session.permanent = True
    session["user_id"] = user.id
    session["auth_stamp"] = _stamp(user)
    if lang:
        session["lang"] = lang


def _stamp(user: User) -> str:
    # Changing the password invalidates every session signed in with the old one, and
    # signing out draws a new session stamp (accounts.service.end_sessions).
    return user.password_hash[-16:] + user.session_stamp


def client_ip() -> str:
    """Return the client's address as the app sees it."""
    return request.remote_addr or ""


def init_context(app: Flask) -> None:
    """Install the request hooks and template globals."""
    app.before_request(load_user)

    @app.context_processor
    def _helpers() -> dict[str, Any]:
        return {"t": t, "tx": render_text, "lang": current_language(), "current_user": getattr(g, "user", None),
                "tenant": getattr(g, "tenant", None), "role": getattr(g, "role", None),
                "permissions": getattr(g, "permissions", frozenset())}
