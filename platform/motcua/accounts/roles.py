"""Roles and the permissions they carry (pure data, no I/O).

A user's role in a ward comes from a membership (ward roles), from administering the
ward's province (``province_admin``) or from being a platform admin.
"""

from __future__ import annotations

from motcua.i18n import T, Text

WARD_ROLES = ("staff", "specialist", "leader", "ward_admin")
ALL_ROLES = (*WARD_ROLES, "province_admin", "platform_admin")

ROLE_NAMES: dict[str, Text] = {
    "staff": T("Cán bộ một cửa", "Counter staff"),
    "specialist": T("Chuyên viên xử lý", "Processing specialist"),
    "leader": T("Lãnh đạo", "Leader"),
    "ward_admin": T("Quản trị phường/xã", "Ward admin"),
    "province_admin": T("Quản trị tỉnh", "Province admin"),
    "platform_admin": T("Quản trị hệ thống", "Platform admin"),
}

PERMISSION_NAMES: dict[str, Text] = {
    "ward.view": T("Xem trang của phường/xã", "See the ward's pages"),
    "records.view": T("Xem hồ sơ", "See records"),
    "records.receive": T("Tiếp nhận hồ sơ", "Receive records"),
    "records.process": T("Xử lý hồ sơ", "Process records"),
    "records.decide": T("Phê duyệt, từ chối hồ sơ", "Approve or reject records"),
    "print": T("In phiếu", "Print slips"),
    "notebooks.view": T("Xem quy trình thủ tục", "See procedure notebooks"),
    "notebooks.edit": T("Soạn quy trình thủ tục", "Edit procedure notebooks"),
    "notebooks.publish": T("Ban hành quy trình thủ tục", "Publish procedure notebooks"),
    "ward.configure": T("Cấu hình phường/xã", "Configure the ward"),
    "users.manage": T("Quản lý người dùng", "Manage users"),
    "plugins.manage": T("Quản lý tiện ích mở rộng", "Manage plugins"),
    "reports.view": T("Xem báo cáo, số liệu", "See reports and figures"),
}

_STAFF = {"ward.view", "records.view", "records.receive", "records.process", "print", "notebooks.view"}
_SPECIALIST = _STAFF | {"records.process"}
_LEADER = _SPECIALIST | {"records.decide", "reports.view"}
_WARD_ADMIN = _LEADER | {"notebooks.edit", "notebooks.publish", "ward.configure", "users.manage", "plugins.manage"}
_PROVINCE_ADMIN = {"ward.view", "records.view", "reports.view", "notebooks.view", "notebooks.edit",
                   "notebooks.publish", "plugins.manage", "users.manage", "ward.configure"}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "staff": frozenset(_STAFF),
    "specialist": frozenset(_SPECIALIST),
    "leader": frozenset(_LEADER),
    "ward_admin": frozenset(_WARD_ADMIN),
    "province_admin": frozenset(_PROVINCE_ADMIN),
    "platform_admin": frozenset(PERMISSION_NAMES),
}


def permissions_of(role: str | None) -> frozenset[str]:
    """Return the permissions of ``role`` (empty for None or an unknown role)."""
    return ROLE_PERMISSIONS.get(role or "", frozenset())


def check_role(role: str, *, ward: bool = True) -> str:
    """Return ``role`` if it is a valid (ward) role, else raise a bilingual ``UserError``."""
    from motcua.errors import UserError

    allowed = WARD_ROLES if ward else ALL_ROLES
    if role not in allowed:
        raise UserError(
            T("Vai trò `{role}` không hợp lệ; chọn một trong: {allowed}",
              "Unknown role `{role}`; choose one of: {allowed}", role=role, allowed=", ".join(allowed)),
            field="role",
        )
    return role
