"""A ward's own people, as its admin manages them from the web: add staff, set their role
and counters, reset a password, disable or enable them in the ward. Each change is one
transaction with its audit entry; nothing here reaches outside the ward.

An account may belong to several wards (rare: a person seconded to two), so a ward admin
disables the *membership*, never the account, and may reset the password only of an
account that is theirs alone (no other ward, no province or platform role).
"""

from __future__ import annotations

from typing import Any

from motcua.accounts.models import ApiToken, Membership, ProvinceRole, User
from motcua.accounts.roles import check_role
from motcua.accounts.service import create_user, grant_role, hash_password
from motcua.audit import audit
from motcua.clock import now
from motcua.db import write_transaction
from motcua.errors import Forbidden, NotFound, UserError
from motcua.i18n import T
from motcua.tenancy.models import Counter, Tenant


def ward_members(tenant: Tenant) -> list[Membership]:
    """Return the memberships of ``tenant`` with their users, by login."""
    return list(
        Membership.select(Membership, User)
        .join(User)
        .where(Membership.tenant == tenant)
        .order_by(User.login)
    )


def member(tenant: Tenant, login: str) -> Membership:
    """Return the membership of ``login`` in ``tenant``.

    :raises NotFound: nobody of that login works in the ward (another ward's user included).
    """
    found = (
        Membership.select(Membership, User)
        .join(User)
        .where(Membership.tenant == tenant, User.login == (login or "").strip().lower())
        .first()
    )
    if found is None:
        raise NotFound(
            T("Phường/xã không có người dùng “{login}”", "The ward has no user “{login}”", login=login)
        )
    return found


def add_member(
    tenant: Tenant,
    *,
    login: str,
    password: str,
    role: str,
    full_name: str = "",
    counters: list[Any] | None = None,
    actor: User,
) -> Membership:
    """Create an account with ``role`` in ``tenant`` working at ``counters``; return it.

    :raises UserError: a bad or taken login, a short password, an unknown role or counter.
    """
    check_role(role)
    with write_transaction():
        desks = _counters(tenant, counters or [])
        user = create_user(login, password, role=role, tenant=tenant, full_name=full_name.strip(), actor=actor)
        membership = Membership.get(Membership.tenant == tenant, Membership.user == user)
        membership.counters = desks
        membership.save()
        audit("user.add", tenant=tenant, user=actor, target=user.login, role=role, counters=desks)
    return membership


def update_member(
    tenant: Tenant,
    login: str,
    *,
    role: str,
    counters: list[Any],
    full_name: str | None = None,
    actor: User,
) -> Membership:
    """Set the role, counters (and name, for an account of this ward alone) of ``login``."""
    check_role(role)
    with write_transaction():
        membership = member(tenant, login)
        user = membership.user
        if user.id == actor.id and role != membership.role:
            raise Forbidden(
                T(
                    "Không tự đổi vai trò của mình; nhờ một quản trị khác",
                    "You cannot change your own role; ask another admin",
                )
            )
        desks = _counters(tenant, counters)
        before = {"role": membership.role, "counters": membership.counters}
        if role != membership.role:
            grant_role(user, tenant, role, actor=actor)
            membership = member(tenant, login)
        membership.counters = desks
        membership.save()
        if full_name is not None and full_name.strip() != user.full_name and _own(user, tenant):
            user.full_name = full_name.strip()
            user.save()
        audit("user.update", tenant=tenant, user=actor, target=user.login, role=role, counters=desks,
              before=before)
    return membership


def reset_password(tenant: Tenant, login: str, password: str, *, actor: User) -> None:
    """Give ``login`` a new password, unlock it and end its sessions (they hold the old hash).

    :raises Forbidden: the account is also used elsewhere (another ward, a province or
        platform role): only the platform admin may reset it.
    """
    with write_transaction():
        membership = member(tenant, login)
        user = membership.user
        if not _own(user, tenant):
            raise Forbidden(
                T(
                    "Tài khoản “{login}” còn dùng ở nơi khác; nhờ quản trị hệ thống đặt lại mật khẩu",
                    "The account “{login}” is used elsewhere too; ask the platform admin to reset it",
                    login=user.login,
                )
            )
        user.password_hash = hash_password(password)
        user.failed_logins, user.locked_until = 0, None
        user.save()
        audit("user.password_reset", tenant=tenant, user=actor, target=user.login)


def set_active(tenant: Tenant, login: str, active: bool, *, actor: User) -> Membership:
    """Enable or disable ``login`` in ``tenant``; disabling also revokes their API tokens here.

    :raises Forbidden: an admin disabling themself (the ward could lose its last admin).
    """
    with write_transaction():
        membership = member(tenant, login)
        if membership.user_id == actor.id and not active:
            raise Forbidden(
                T("Không tự khoá tài khoản của mình", "You cannot disable your own account")
            )
        membership.active = active
        membership.save()
        if not active:
            ApiToken.update(revoked_at=now()).where(
                ApiToken.tenant == tenant,
                ApiToken.user == membership.user_id,
                ApiToken.revoked_at.is_null(),
            ).execute()
        audit("user.enable" if active else "user.disable", tenant=tenant, user=actor,
              target=membership.user.login)
    return membership


def _own(user: User, tenant: Tenant) -> bool:
    # An account only this ward uses: no other membership, no province or platform role.
    if user.is_platform_admin:
        return False
    if ProvinceRole.select().where(ProvinceRole.user == user).exists():
        return False
    return not Membership.select().where(Membership.user == user, Membership.tenant != tenant).exists()


def _counters(tenant: Tenant, wanted: list[Any]) -> list[int]:
    ids = []
    for value in wanted:
        text = str(value).strip()
        if not text:
            continue
        if not text.isdigit():
            raise UserError(T("Quầy “{value}” không hợp lệ", "Counter “{value}” is not valid", value=text),
                            field="counters")
        ids.append(int(text))
    known = {c.id for c in Counter.select(Counter.id).where(Counter.tenant == tenant, Counter.id.in_(ids))}
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise UserError(
            T("Phường/xã không có quầy số {ids}", "The ward has no counter {ids}",
              ids=", ".join(map(str, unknown))),
            field="counters",
        )
    return sorted(set(ids))
