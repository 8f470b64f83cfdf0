"""``motcua audit verify`` and ``motcua audit anchor``: the audit log's hash chain."""

from __future__ import annotations

import sys

import click

from motcua.cli import app_context, fail, say, user_errors
from motcua.i18n import T


def _tenant_id(code: str | None) -> int | None:
    if code is None:
        return None
    from motcua.tenancy.models import Tenant

    tenant = Tenant.get_or_none(Tenant.code == code)
    if tenant is None:
        fail(T("Không có phường/xã mã `{code}`; chạy `motcua tenants list`",
               "No ward with code `{code}`; run `motcua tenants list`", code=code))
    return tenant.id


def register(main: click.Group) -> None:
    """Add the ``audit`` commands to ``main``."""

    @main.group()
    def audit() -> None:
        """Nhật ký kiểm toán (the audit log)."""

    @audit.command()
    @click.option("--tenant", "tenant_code", help="Mã phường/xã; bỏ trống: nhật ký toàn hệ thống (ward code; none: platform-wide)")
    @user_errors
    def verify(tenant_code: str | None) -> None:
        """Kiểm tra chuỗi băm của nhật ký (verify the audit log's hash chain); exit 1 if broken."""
        from motcua.audit_chain import verify as verify_chain

        with app_context():
            verdict = verify_chain(_tenant_id(tenant_code))
        if verdict.intact:
            say(T("Chuỗi nhật ký nguyên vẹn: {n} dòng đã kiểm tra ({old} dòng cũ chưa có chuỗi)",
                  "Audit chain intact: {n} rows checked ({old} older rows without a chain)",
                  n=verdict.checked, old=verdict.unchained))
            return
        say(T("Chuỗi nhật ký bị đứt ở dòng id {row}: đã bị sửa, hoặc một dòng trước nó đã bị xoá ({reason}); {n} dòng trước đó nguyên vẹn",
              "Audit chain broken at row id {row}: it was changed, or a row before it removed ({reason}); the {n} rows before are intact",
              row=verdict.broken_at, reason=verdict.reason, n=verdict.checked))
        sys.exit(1)

    @audit.command()
    @click.option("--tenant", "tenant_code", help="Mã phường/xã; bỏ trống: toàn hệ thống (ward code; none: platform-wide)")
    @user_errors
    def anchor(tenant_code: str | None) -> None:
        """Ghi lại đầu chuỗi hiện tại (record the chain's head now, e.g. nightly)."""
        from motcua.audit_chain import anchor as anchor_chain
        from motcua.db import write_transaction

        with app_context(), write_transaction():
            kept = anchor_chain(_tenant_id(tenant_code))
        if kept is None:
            say(T("Nhật ký còn trống", "The audit log is empty"))
        else:
            say(T("Đã ghi đầu chuỗi: dòng {row}, {hash}", "Anchored the head: row {row}, {hash}",
                  row=kept.audit_id, hash=kept.chain_hash[:16]))
