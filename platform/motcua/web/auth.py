"""Sign in, sign out, language switch."""

from __future__ import annotations

from urllib.parse import urlparse

from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue

from motcua.accounts.service import SignInFailed, authenticate, end_sessions
from motcua.db import write_transaction
from motcua.i18n import LANGUAGES
from motcua.web.context import client_ip, sign_in

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    # Only same-site paths: an open redirect would let a phishing link reuse our login page.
    if not target or not target.startswith("/") or target.startswith("//") or urlparse(target).netloc:
        return url_for("shell.index")
    return target


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    """Show the sign-in form; on POST check the password (rate limited, throttled by
    account and client: motcua.accounts.throttle)."""
    next_url = request.values.get("next")
    if request.method == "GET":
        return render_template("login.html", next=next_url, error=None, login="")
    throttle = current_app.extensions["motcua.login_throttle"]
    login_name = request.form.get("login", "")
    ip = client_ip()
    try:
        throttle.check(login_name, ip)
        user = authenticate(login_name, request.form.get("password", ""), ip=ip)
    except SignInFailed as exc:
        if exc.status != 429:
            throttle.failed(login_name, ip)
        return render_template("login.html", next=next_url, error=exc.text, login=login_name), exc.status
    throttle.succeeded(login_name, ip)
    sign_in(user)
    return redirect(_safe_next(next_url))


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    """End the session."""
    if g.user is not None:
        with write_transaction():
            end_sessions(g.user, ip=client_ip())
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    return redirect(url_for("auth.login"))


@bp.post("/language")
def language() -> ResponseReturnValue:
    """Switch the interface language (vi or en) and go back where the user was."""
    lang = request.form.get("lang", "vi")
    session["lang"] = lang if lang in LANGUAGES else "vi"
    return redirect(_safe_next(request.form.get("next")))
