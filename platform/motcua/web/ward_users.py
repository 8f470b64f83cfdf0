"""The ward's people page (/<ward>/nguoi-dung/): its admin adds staff, sets roles and
counters, resets passwords, disables and enables accounts (motcua.accounts.ward_users)."""

from __future__ import annotations

from flask import Flask, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from motcua.accounts import ward_users
from motcua.accounts.roles import ROLE_NAMES, WARD_ROLES
from motcua.accounts.service import MIN_PASSWORD_LENGTH
from motcua.errors import UserError
from motcua.i18n import T, Text
from motcua.tenancy.models import Counter
from motcua.web.shell import WardArea, add_ward_area
from motcua.web.tenancy import requires, tenant_blueprint

bp = tenant_blueprint("ward_users", __name__, "/nguoi-dung")
DONE = {
    "add": T("Đã thêm người dùng {login}", "User {login} added"),
    "update": T("Đã lưu vai trò và quầy của {login}", "Role and counters of {login} saved"),
    "password": T("Đã đặt mật khẩu mới cho {login}", "New password set for {login}"),
    "disable": T("Đã khoá {login} tại phường/xã này", "{login} disabled in this ward"),
    "enable": T("Đã mở khoá {login}", "{login} enabled"),
}


def _page(problem: Text | None = None, status: int = 200, field_login: str = "") -> ResponseReturnValue:
    counters = list(Counter.select().where(Counter.tenant == g.tenant).order_by(Counter.id))
    done = request.args.get("xong", "")
    notice = DONE[done].with_params(login=request.args.get("ai", "")) if done in DONE else None
    return render_template(
        "ward_users/index.html",
        members=ward_users.ward_members(g.tenant),
        counters=counters,
        counter_names={c.id: c.name for c in counters},
        roles=WARD_ROLES,
        role_names=ROLE_NAMES,
        min_password=MIN_PASSWORD_LENGTH,
        problem=problem,
        problem_login=field_login,
        notice=notice,
        form=request.form,
    ), status


def _done(kind: str, login: str) -> ResponseReturnValue:
    return redirect(url_for("ward_users.index", xong=kind, ai=login))


@bp.get("/")
@requires("users.manage")
def index() -> ResponseReturnValue:
    """The ward's users with their roles, counters and state, and the form to add one."""
    return _page()


@bp.post("/")
@requires("users.manage")
def add() -> ResponseReturnValue:
    """Add a user to the ward."""
    form = request.form
    try:
        membership = ward_users.add_member(
            g.tenant,
            login=form.get("login", ""),
            password=form.get("password", ""),
            role=form.get("role", ""),
            full_name=form.get("full_name", ""),
            counters=form.getlist("counters"),
            actor=g.user,
        )
    except UserError as problem:
        return _page(problem.text, problem.status if problem.status != 400 else 422, "")
    return _done("add", membership.user.login)


@bp.post("/<login>")
@requires("users.manage")
def update(login: str) -> ResponseReturnValue:
    """Save a user's role and counters (and name)."""
    form = request.form
    try:
        ward_users.update_member(
            g.tenant,
            login,
            role=form.get("role", ""),
            counters=form.getlist("counters"),
            full_name=form.get("full_name"),
            actor=g.user,
        )
    except UserError as problem:
        if problem.status == 404:
            raise
        return _page(problem.text, problem.status if problem.status != 400 else 422, login)
    return _done("update", login)


@bp.post("/<login>/mat-khau")
@requires("users.manage")
def password(login: str) -> ResponseReturnValue:
    """Set a new password for a user (they sign in again everywhere)."""
    try:
        ward_users.reset_password(g.tenant, login, request.form.get("password", ""), actor=g.user)
    except UserError as problem:
        if problem.status == 404:
            raise
        return _page(problem.text, problem.status if problem.status != 400 else 422, login)
    return _done("password", login)


@bp.post("/<login>/trang-thai")
@requires("users.manage")
def state(login: str) -> ResponseReturnValue:
    """Disable (``active=0``) or enable (``active=1``) a user in this ward."""
    active = request.form.get("active") == "1"
    try:
        ward_users.set_active(g.tenant, login, active, actor=g.user)
    except UserError as problem:
        if problem.status == 404:
            raise
        return _page(problem.text, problem.status if problem.status != 400 else 422, login)
    return _done("enable" if active else "disable", login)


def init_ward_users(app: Flask) -> None:
    """Register the people page and its tile on the ward home."""
    app.register_blueprint(bp)
    add_ward_area(
        app,
        WardArea(
            "ward_users.index",
            T("Người dùng", "Users"),
            T("Cán bộ, vai trò, quầy; đặt lại mật khẩu", "Staff, roles, counters; reset passwords"),
            "users.manage",
            order=80,
        ),
    )
