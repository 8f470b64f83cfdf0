"""``motcua forms check | import | export | list``: procedure notebooks as files."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from motcua.cli import app_context, fail, say, user_errors
from motcua.errors import UserError
from motcua.i18n import T, Text
from motcua.notebooks.model import Notebook


def load_notebook(path: Path) -> Notebook:
    """Return the notebook in ``path`` (``.ipynb``, or an XLSForm ``.xlsx``).

    Raises NotebookFormatError naming the cell, or the sheet and row, at fault.
    """
    from motcua.notebooks import read_ipynb, read_xlsform

    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_xlsform(path)
    return read_ipynb(path)


def _line(path: Path, text: Text) -> str:
    return f"{path}: {text.render('vi')}  [{text.render('en')}]"


def _tenant(code: str):  # noqa: ANN202 - returns a Tenant
    from motcua.tenancy.models import Tenant

    tenant = Tenant.get_or_none(Tenant.code == code)
    if tenant is None:
        fail(
            T(
                "Không có phường/xã mã `{code}`; chạy `motcua tenants list`",
                "No ward with code `{code}`; run `motcua tenants list`",
                code=code,
            )
        )
    return tenant


def _refusal_lines(error: UserError) -> list[Text]:
    lines = [T(line["vi"], line["en"]) for line in error.details.get("lines", [])]
    lines += [T(item["vi"], item["en"]) for item in error.details.get("orphans", [])]
    return lines


def register(main: click.Group) -> None:
    """Add the ``forms`` commands to ``main``."""

    @main.group()
    def forms() -> None:
        """Quy trình thủ tục dạng notebook (procedure notebooks as files)."""

    @forms.command()
    @click.argument(
        "paths",
        nargs=-1,
        required=True,
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
    )
    def check(paths: tuple[Path, ...]) -> None:
        """Kiểm tra tệp .ipynb/.xlsx: lỗi tĩnh và các mẫu thử (static checks and samples).

        Không cần cơ sở dữ liệu; dùng hàm và kiểu trường dựng sẵn (built-in functions and
        field types). Mỗi lỗi một dòng, có tên tệp và ô; thoát mã 1 nếu có lỗi.
        """
        from motcua.notebooks.service import Toolkit, readiness

        toolkit = Toolkit()
        failures = 0
        for path in paths:
            try:
                nb = load_notebook(path)
            except UserError as error:
                click.echo(_line(path, error.text))
                failures += 1
                continue
            lines = readiness(nb, toolkit).failures()
            for text in lines:
                click.echo(_line(path, text))
            failures += len(lines)
            if not lines:
                say(
                    T(
                        "{path}: đạt ({n} mẫu thử)",
                        "{path}: passed ({n} samples)",
                        path=path,
                        n=len(nb.samples),
                    )
                )
        if failures:
            click.echo(f"{failures} lỗi / {failures} problems", err=True)
            sys.exit(1)

    @forms.command("import")
    @click.argument(
        "paths",
        nargs=-1,
        required=True,
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
    )
    @click.option("--tenant", "tenant_code", required=True, help="Mã phường/xã (ward code)")
    @click.option("--publish", is_flag=True, help="Ban hành luôn (publish too)")
    @click.option(
        "--confirm-orphans",
        is_flag=True,
        help="Vẫn ban hành khi thay đổi làm mất dữ liệu cũ (publish despite orphaning changes)",
    )
    @user_errors
    def import_(
        paths: tuple[Path, ...], tenant_code: str, publish: bool, confirm_orphans: bool
    ) -> None:
        """Nạp tệp vào bản nháp của phường/xã (import files as the ward's drafts).

        Một tệp hỏng thì không ghi gì cả (one bad file: nothing is written).
        """
        from motcua.db import write_transaction
        from motcua.notebooks import service
        from motcua.web.ward import ward_for

        notebooks = []
        for path in paths:
            try:
                notebooks.append((path, load_notebook(path)))
            except UserError as error:
                click.echo(_line(path, error.text), err=True)
                fail(T("Không nạp tệp nào", "Nothing was imported"))
        with app_context() as app:
            tenant = _tenant(tenant_code)
            toolkit = ward_for(app, tenant).toolkit
            done: list[Text] = []
            current = paths[0]
            try:
                with write_transaction():
                    for path, nb in notebooks:
                        current = path
                        _draft, created = service.import_notebook(tenant, nb, actor="cli")
                        line = (
                            T("{key}: đã tạo bản nháp", "{key}: draft created", key=nb.key)
                            if created
                            else T(
                                "{key}: đã cập nhật bản nháp", "{key}: draft updated", key=nb.key
                            )
                        )
                        if publish:
                            version = service.publish(
                                tenant,
                                nb.key,
                                toolkit=toolkit,
                                actor="cli",
                                confirm_orphans=confirm_orphans,
                            )
                            line = T(
                                "{line}, đã ban hành phiên bản {n}",
                                "{line}, published version {n}",
                                line=line,
                                n=version.number,
                            )
                        done.append(line)
            except UserError as error:
                for text in _refusal_lines(error):
                    click.echo(_line(current, text), err=True)
                click.echo(_line(current, error.text), err=True)
                fail(T("Không nạp tệp nào", "Nothing was imported"))
        for line in done:
            say(line)

    @forms.command()
    @click.option("--tenant", "tenant_code", required=True, help="Mã phường/xã (ward code)")
    @click.option("--procedure", "key", required=True, help="Mã quy trình (procedure key)")
    @click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
    @user_errors
    def export(tenant_code: str, key: str, output: Path) -> None:
        """Xuất quy trình ra .ipynb: bản nháp, nếu không có thì bản đang dùng (draft, else the version in use)."""
        from motcua.notebooks import service, write_ipynb

        with app_context():
            tenant = _tenant(tenant_code)
            draft = service.find_draft(tenant, key)
            nb = (
                draft.notebook()
                if draft is not None
                else service.effective_version(tenant, key).notebook()
            )
        output.write_text(write_ipynb(nb), encoding="utf-8")
        say(T("Đã ghi {path}", "Wrote {path}", path=output))

    @forms.command("list")
    @click.option("--tenant", "tenant_code", required=True, help="Mã phường/xã (ward code)")
    @click.option("--json", "as_json", is_flag=True, help="In JSON (print JSON)")
    def list_(tenant_code: str, as_json: bool) -> None:
        """Liệt kê quy trình của phường/xã (list the ward's procedures)."""
        from motcua.notebooks import service

        with app_context():
            rows = service.procedures(_tenant(tenant_code))
        if as_json:
            click.echo(json.dumps([row.as_dict() for row in rows], ensure_ascii=False, indent=2))
            return
        for row in rows:
            version = f"v{row.version}" if row.version else "-"
            click.echo(
                f"{row.key:40} {row.national_code or '':10} {version:5} {row.state:10} {row.name['vi']}"
            )
