"""Accounts: create users, sign in with lock-out, roles per ward, API tokens.

Plain functions over the models; no Flask. Each changing function runs in one
transaction and writes its audit entry in it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from typing import Any

from peewee import Model
from werkzeug.security import check_password_hash, generate_password_hash

from motcua.accounts.models import ApiToken, Membership, ProvinceRole, User
from motcua.accounts.roles import (
    ALL_ROLES,
    PERMISSION_NAMES,
    WARD_ROLES,
    check_role,
    permissions_of,
)
from motcua.audit import audit
from motcua.clock import now
from motcua.db import database, write_transaction
from motcua.errors import Forbidden, UserError
from motcua.i18n import T
from motcua.tenancy.models import Province, Tenant

LOGIN_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
MIN_PASSWORD_LENGTH = 10
# werkzeug's scrypt defaults (N=2**15, r=8, p=1); the test suite lowers the cost through
# MOTCUA_PASSWORD_METHOD to stay fast. Existing hashes keep their own parameters.
PASSWORD_METHOD = os.environ.get("MOTCUA_PASSWORD_METHOD", "scrypt")
# A fixed hash to compare against when the login is unknown, so timing does not tell
# whether an account exists.
_DUMMY_HASH = generate_password_hash("motcua-no-such-user", method="scrypt")


class SignInFailed(UserError):
    """Wrong login or password, or a locked account (HTTP 401)."""

    status = 401


def hash_password(password: str) -> str:
    """Return a scrypt hash of ``password`` (raises UserError if it is too short)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(
            T("Mật khẩu phải có ít nhất {n} ký tự", "The password needs at least {n} characters", n=MIN_PASSWORD_LENGTH),
            field="password",
        )
    return generate_password_hash(password, method=PASSWORD_METHOD)


def create_user(
    login: str,
    password: str,
    *,
    role: str,
    tenant: Tenant | None = None,
    province: Province | None = None,
    full_name: str = "",
    actor: User | None = None,
) -> User:
    """Create a user with one role and return it.

    ``role`` is a ward role (needs ``tenant``), ``province_admin`` (needs ``province``, or
    ``tenant`` whose province is used) or ``platform_admin``. Raises UserError for a bad
    login, a taken login, a short password or a missing scope.
    """
    login = login.strip().lower()
    if not LOGIN_PATTERN.match(login):
        raise UserError(
            T("Tên đăng nhập `{login}` không hợp lệ: 3–64 ký tự a–z, 0–9, dấu chấm, gạch ngang",
              "Login `{login}` is not valid: 3–64 characters a–z, 0–9, dot, dash", login=login),
            field="login",
        )
    check_role(role, ward=False)
    password_hash = hash_password(password)
    with write_transaction():
        if User.select().where(User.login == login).exists():
            raise UserError(T("Tên đăng nhập `{login}` đã có người dùng", "Login `{login}` is taken", login=login), field="login")
        user = User.create(login=login, full_name=full_name, password_hash=password_hash,
                           is_platform_admin=role == "platform_admin")
        audit("user.create", user=actor, target=login, role=role)
        if role in WARD_ROLES:
            if tenant is None:
                raise UserError(T("Vai trò này cần chọn phường/xã (--tenant)", "This role needs a ward (--tenant)"), field="tenant")
            grant_role(user, tenant, role, actor=actor)
        elif role == "province_admin":
            target = province or (tenant.province if tenant is not None else None)
            if target is None:
                raise UserError(T("Quản trị tỉnh cần chọn tỉnh", "A province admin needs a province"), field="province")
            ProvinceRole.create(province=target, user=user)
            audit("role.grant", user=actor, target=login, role=role, province=target.code)
    return user


def grant_role(user: User, tenant: Tenant, role: str, *, actor: User | None = None) -> Membership:
    """Give ``user`` the ward ``role`` in ``tenant`` (replacing a previous one); audited."""
    check_role(role)
    with write_transaction():
        membership = Membership.get_or_none(Membership.tenant == tenant, Membership.user == user)
        before = membership.role if membership else None
        if membership is None:
            membership = Membership.create(tenant=tenant, user=user, role=role)
        else:
            membership.role = role
            membership.save()
        audit("role.grant", tenant=tenant, user=actor, target=user.login, role=role, before=before)
    return membership


def revoke_role(user: User, tenant: Tenant, *, actor: User | None = None) -> None:
    """Remove ``user``'s role in ``tenant`` and revoke their tokens there; audited."""
    with write_transaction():
        Membership.delete().where(Membership.tenant == tenant, Membership.user == user).execute()
        ApiToken.update(revoked_at=now()).where(
            ApiToken.tenant == tenant, ApiToken.user == user, ApiToken.revoked_at.is_null()
        ).execute()
        audit("role.revoke", tenant=tenant, user=actor, target=user.login)


def role_in(user: User | None, tenant: Tenant) -> str | None:
    """Return ``user``'s effective role in ``tenant``, or None when they have none."""
    return _role(user, tenant, _UNREAD)


_UNREAD: Any = object()


def _role(user: User | None, tenant: Tenant, membership: Membership | None) -> str | None:
    # ``membership``: the user's Membership in ``tenant`` when the caller already read it
    # (None: there is none), or _UNREAD.
    if user is None or not user.active:
        return None
    if user.is_platform_admin:
        return "platform_admin"
    if membership is _UNREAD:
        membership = Membership.get_or_none(Membership.tenant == tenant.id, Membership.user == user.id)
    if membership is not None:
        return membership.role if membership.active else None  # disabled in this ward
    if ProvinceRole.select().where(ProvinceRole.province == tenant.province_code, ProvinceRole.user == user.id).exists():
        return "province_admin"
    return None


def authenticate(login: str, password: str, *, ip: str = "") -> User:
    """Return the user for ``login``/``password`` or raise :class:`SignInFailed`.

    Every success and failure is audited. Repeated failures are throttled by the web layer
    per account and client (:mod:`motcua.accounts.throttle`), never by locking the
    account for everyone.
    """
    login = login.strip().lower()
    # The failure is audited in a committed transaction, then raised: raising inside the
    # transaction would roll the audit row back.
    with write_transaction():
        user, refusal = _check_password(login, password, ip=ip)
    if refusal is not None:
        raise refusal
    return user


def _check_password(login: str, password: str, *, ip: str) -> tuple[User | None, SignInFailed | None]:
    wrong = SignInFailed(T("Sai tên đăng nhập hoặc mật khẩu", "Wrong login or password"))
    user = User.get_or_none(User.login == login)
    if user is None or not user.active:
        check_password_hash(_DUMMY_HASH, password)
        audit("auth.failure", actor=login, ip=ip, reason="unknown login")
        return None, wrong
    if not check_password_hash(user.password_hash, password):
        user.failed_logins += 1
        user.save()
        audit("auth.failure", user=user, ip=ip, reason="wrong password")
        return None, wrong
    user.failed_logins = 0
    user.last_login_at = now()
    user.save()
    audit("auth.login", user=user, ip=ip)
    return user, None


def end_sessions(user: User, *, ip: str = "") -> None:
    """Revoke every session of ``user`` (sign-out): their stamp changes, so a copied session
    cookie no longer signs anyone in. Audited; call inside the caller's transaction."""
    User.update(session_stamp=secrets.token_hex(16)).where(User.id == user.id).execute()
    audit("auth.logout", user=user, ip=ip)


@dataclass(frozen=True)
class TokenGrant:
    """The result of checking a bearer token: whose it is, where, and what it may do."""

    token: ApiToken
    tenant: Tenant
    user: User
    permissions: frozenset[str]


def create_token(tenant: Tenant, user: User, *, scopes: list[str] | None = None, name: str = "",
                 actor: User | None = None) -> tuple[ApiToken, str]:
    """Create an API token for ``user`` in ``tenant``; return the row and the token text.

    The text is shown once: only a SHA-256 of its secret is stored. ``scopes`` default to
    every permission of the user's role there; asking for more is refused.
    """
    role = role_in(user, tenant)
    if role is None:
        raise Forbidden(T("`{login}` không có vai trò ở {ward}", "`{login}` has no role in {ward}",
                          login=user.login, ward=tenant.name))
    allowed = permissions_of(role)
    wanted = set(scopes) if scopes else set(allowed)
    unknown = wanted - set(PERMISSION_NAMES)
    if unknown:
        raise UserError(T("Quyền không tồn tại: {names}", "Unknown permissions: {names}", names=", ".join(sorted(unknown))),
                        field="scope")
    beyond = wanted - allowed
    if beyond:
        raise Forbidden(T("Vai trò {role} không có các quyền: {names}", "Role {role} does not have: {names}",
                          role=role, names=", ".join(sorted(beyond))), field="scope")
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    with write_transaction():
        token = ApiToken.create(tenant=tenant, user=user, name=name, prefix=prefix,
                                secret_hash=_digest(secret), scopes=sorted(wanted))
        audit("token.create", tenant=tenant, user=actor or user, target=user.login, prefix=prefix, scopes=sorted(wanted))
    return token, f"mc_{tenant.code}_{prefix}_{secret}"


# ``api_token.last_used_at`` is written at most once per this interval per token: it tells
# admins whether a token is still in use, and a write on every API request would cost each
# request an UPDATE (and on SQLite, the database's one write lock). Only that column lags
# (by under a minute); revocation, the secret and the role are checked on every request.
LAST_USED_PRECISION = timedelta(minutes=1)


def verify_token(text: str) -> TokenGrant | None:
    """Return the grant of a bearer token, or None if it is malformed, unknown or revoked.

    The effective permissions are the token's scopes that the user's current role still
    has, so taking a role away also narrows the user's tokens. Records the use in
    ``last_used_at`` (at most once per :data:`LAST_USED_PRECISION`).
    """
    parts = text.strip().split("_", 3)
    if len(parts) != 4 or parts[0] != "mc":
        return None
    _, code, prefix, secret = parts
    # The token, its ward, its user and the user's membership there, in one statement.
    cursor = database.execute_sql(_token_sql(database.obj.param), (code, prefix))
    row = cursor.fetchone()
    token = _token_from_row(row) if row is not None else None
    if token is None or token.revoked_at is not None or not hmac.compare_digest(token.secret_hash, _digest(secret)):
        return None
    tenant, user = token.tenant, token.user
    role = _role(user, tenant, token.membership)
    permissions = frozenset(token.scopes) & permissions_of(role)
    if not permissions:
        return None
    current = now()
    last = token.last_used_at
    if last is None or not last <= current < last + LAST_USED_PRECISION:
        ApiToken.update(last_used_at=current).where(ApiToken.id == token.id).execute()
    return TokenGrant(token, tenant, user, permissions)


# verify_token runs on every API request, and peewee composing its four-table SELECT from
# a query tree cost more than the database answering it; the text depends only on the
# models and the dialect's placeholder, so it is built once (see _token_sql).
_TOKEN_MODELS: tuple[type[Model], ...] = (ApiToken, Tenant, User, Membership)
# Each model with the position of its first column in a row of _token_sql.
_TOKEN_SLICES = tuple(
    (model, sum(len(before._meta.sorted_fields) for before in _TOKEN_MODELS[:i]))
    for i, model in enumerate(_TOKEN_MODELS)
)


@lru_cache(maxsize=4)
def _token_sql(param: str) -> str:
    # A bounded cache of immutable values: one statement text per placeholder style ("?"
    # on SQLite, "%s" on PostgreSQL). Names come from the models, never from input.
    columns = ", ".join(
        f't{i}."{field.column_name}"' for i, model in enumerate(_TOKEN_MODELS) for field in model._meta.sorted_fields
    )
    token, tenant, user, membership = (model._meta.table_name for model in _TOKEN_MODELS)
    return (
        f'SELECT {columns} FROM "{token}" AS t0 '  # noqa: S608
        f'JOIN "{tenant}" AS t1 ON t0."tenant_id" = t1."id" '
        f'JOIN "{user}" AS t2 ON t0."user_id" = t2."id" '
        f'LEFT JOIN "{membership}" AS t3 ON t3."tenant_id" = t0."tenant_id" AND t3."user_id" = t0."user_id" '
        f'WHERE t1."code" = {param} AND t0."prefix" = {param}'
    )


def _token_from_row(row: tuple[Any, ...]) -> ApiToken:
    # Rows as peewee's own SELECT would give them: each value through its field's
    # python_value, nothing dirty; the token knows its ward and user, and ``membership``
    # is the user's Membership in the ward or None.
    token, tenant, user, membership = (_row_model(model, row, start) for model, start in _TOKEN_SLICES)
    token.__rel__.update(tenant=tenant, user=user)
    token.membership = membership if membership.id is not None else None  # type: ignore[attr-defined]
    return token


def _row_model(model: type[Model], row: tuple[Any, ...], start: int) -> Any:
    instance = model(__no_default__=1)
    for offset, field in enumerate(model._meta.sorted_fields):
        instance.__data__[field.name] = field.python_value(row[start + offset])
    return instance


def _digest(secret: str) -> str:
    # Tokens carry 256 random bits, so a plain SHA-256 is a sound at-rest hash (no KDF needed).
    return hashlib.sha256(secret.encode()).hexdigest()


__all__ = ["ALL_ROLES", "SignInFailed", "TokenGrant", "authenticate", "create_token", "create_user", "end_sessions",
           "grant_role", "hash_password", "revoke_role", "role_in", "verify_token"]
