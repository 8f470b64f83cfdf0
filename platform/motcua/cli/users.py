"""``motcua users create`` and ``motcua tokens create``."""

from __future__ import annotations

import sys

import click

from motcua.cli import app_context, fail, say, user_errors
from motcua.i18n import T


def _tenant(code: str):  # noqa: ANN202 - returns a Tenant
    from motcua.tenancy.models import Tenant

    tenant = Tenant.get_or_none(Tenant.code == code)
    if tenant is None:
        fail(T("Không có phường/xã mã `{code}`; chạy `motcua tenants list`",
               "No ward with code `{code}`; run `motcua tenants list`", code=code))
    return tenant


def register(main: click.Group) -> None:
    """Add the ``users`` and ``tokens`` commands to ``main``."""
    from motcua.accounts.roles import ALL_ROLES, PERMISSION_NAMES

    @main.group()
    def users() -> None:
        """Người dùng (users)."""

    @users.command()
    @click.option("--login", required=True, help="Tên đăng nhập (login)")
    @click.option("--password-stdin", is_flag=True, help="Đọc mật khẩu từ stdin (read the password from stdin)")
    @click.option("--role", required=True, type=click.Choice(ALL_ROLES))
    @click.option("--tenant", "tenant_code", help="Mã phường/xã (ward code), cho vai trò cấp phường")
    @click.option("--province", "province_code", help="Mã tỉnh (province code), cho quản trị tỉnh")
    @click.option("--name", "full_name", default="", help="Họ tên (full name)")
    @user_errors
    def create(login: str, password_stdin: bool, role: str, tenant_code: str | None,
               province_code: str | None, full_name: str) -> None:
        """Tạo người dùng (create a user)."""
        from motcua.accounts.service import create_user
        from motcua.tenancy.models import Province

        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = click.prompt("Mật khẩu (password)", hide_input=True, confirmation_prompt=True)
        with app_context():
            tenant = _tenant(tenant_code) if tenant_code else None
            province = Province.get_or_none(Province.code == province_code) if province_code else None
            if province_code and province is None:
                fail(T("Không có tỉnh mã `{code}`", "No province with code `{code}`", code=province_code))
            user = create_user(login, password, role=role, tenant=tenant, province=province, full_name=full_name)
        say(T("Đã tạo `{login}` với vai trò {role}", "Created `{login}` with role {role}", login=user.login, role=role))

    @main.group()
    def tokens() -> None:
        """Mã truy cập cho máy (API tokens)."""

    @tokens.command("create")
    @click.option("--tenant", "tenant_code", required=True, help="Mã phường/xã (ward code)")
    @click.option("--user", "login", default="", help="Tên đăng nhập (login); không dùng với --agent")
    @click.option("--agent", is_flag=True, help="Mã cho máy trạm ở quầy (agent token, docs/devices.md)")
    @click.option("--counter", default="", help="Quầy của máy trạm: mã hoặc tên (the agent's counter)")
    @click.option("--scope", "scopes", multiple=True, type=click.Choice(sorted(PERMISSION_NAMES)),
                  help="Quyền (permission); lặp lại được; mặc định mọi quyền của vai trò")
    @click.option("--name", default="", help="Tên gợi nhớ (label)")
    @user_errors
    def create_token_command(tenant_code: str, login: str, agent: bool, counter: str,
                             scopes: tuple[str, ...], name: str) -> None:
        """Tạo mã truy cập, in ra một lần (create a token, printed once)."""
        from motcua.accounts.models import User
        from motcua.accounts.service import create_token

        if agent:
            from motcua.devices.service import create_agent_token, find_counter

            if not counter or login or scopes:
                fail(T("--agent cần --counter, không dùng --user/--scope",
                       "--agent needs --counter and takes no --user/--scope"))
            with app_context():
                tenant = _tenant(tenant_code)
                _, text = create_agent_token(tenant, find_counter(tenant, counter), name=name,
                                             actor_login="cli")
            click.echo(text)
            return
        if not login:
            fail(T("Cần --user (hoặc --agent --counter)", "--user is needed (or --agent --counter)"))
        with app_context():
            tenant = _tenant(tenant_code)
            user = User.get_or_none(User.login == login.lower())
            if user is None:
                fail(T("Không có người dùng `{login}`", "No user `{login}`", login=login))
            _, text = create_token(tenant, user, scopes=list(scopes), name=name)
        click.echo(text)
