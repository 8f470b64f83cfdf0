"""The web layer: blueprints, templates and the glue around the service functions."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect

WEB_DIR = Path(__file__).parent


def init_web(app: Flask) -> None:
    """Register extensions, template helpers, error pages and every blueprint on ``app``."""
    from motcua.web import api, auth, context, errors, health, shell

    app.template_folder = str(WEB_DIR / "templates")
    app.jinja_env.autoescape = True
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    assets = Blueprint("assets", __name__, static_folder=str(WEB_DIR / "static"), static_url_path="/static")
    # Browsers ask /favicon.ico on every page; without it the ward route answered 308 then 404.
    assets.add_url_rule(
        "/favicon.ico",
        "favicon",
        lambda: assets.send_static_file("favicon.svg"),
    )
    app.register_blueprint(assets)

    csrf = CSRFProtect(app)
    import motcua.rate_store  # noqa: F401 - registers the motcua-db:// storage with ``limits``
    from motcua.accounts.throttle import LoginThrottle

    settings = app.extensions["motcua.settings"]
    app.extensions["motcua.login_throttle"] = LoginThrottle(
        app.config["RATELIMIT_STORAGE_URI"], failures=settings.login_max_failures, minutes=settings.login_lock_minutes
    )
    limiter = Limiter(get_remote_address, app=app, storage_uri=app.config["RATELIMIT_STORAGE_URI"],
                      default_limits=[], headers_enabled=True)
    app.extensions["motcua.limiter"] = limiter

    context.init_context(app)
    errors.init_errors(app)
    from motcua.web.heavy import init_heavy
    from motcua.web.security import init_security

    init_heavy(app)
    init_security(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(auth.bp)
    app.view_functions["auth.login"] = limiter.limit(
        lambda: app.extensions["motcua.settings"].login_rate_limit, methods=["POST"]
    )(app.view_functions["auth.login"])
    app.register_blueprint(shell.bp)
    app.register_blueprint(shell.ward)
    app.register_blueprint(api.bp)
    csrf.exempt(api.bp)

    from motcua.web.printing import init_printing

    init_printing(app)

    from motcua.web.notebooks import init_notebooks
    from motcua.web.procedures import init_procedures

    init_notebooks(app)
    init_procedures(app)
    from motcua.web.units import init_units

    init_units(app)
    # After the notebooks: the demo seeders run in order and records need published procedures.
    from motcua.web.records import init_records

    init_records(app)

    from motcua.web.ward_users import init_ward_users

    init_ward_users(app)

    from motcua.web.calendar import init_calendar

    init_calendar(app)

    from motcua.web.imports import init_imports

    init_imports(app)

    from motcua.web.devices import init_devices

    init_devices(app)
    from motcua.web.reports import init_reports

    init_reports(app)
    from motcua.web.connectors import init_connectors

    init_connectors(app)
    from motcua.web.citizen import init_citizen

    init_citizen(app)
