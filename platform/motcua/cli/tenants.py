"""``motcua tenants sync``, ``provision``, ``merge`` and ``list``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from motcua.cli import app_context, say, user_errors, ward_by_code_or_slug
from motcua.i18n import T


def register(main: click.Group) -> None:
    """Add the ``tenants`` commands to ``main``."""

    @main.group()
    def tenants() -> None:
        """Phường, xã được phục vụ (hosted wards)."""

    @tenants.command()
    @click.option("--dir", "directory", type=click.Path(path_type=Path, file_okay=False),
                  help="Thư mục tệp phường/xã (tenant files folder); mặc định tenants/")
    @user_errors
    def sync(directory: Path | None) -> None:
        """Nạp thư mục tenants/ vào cơ sở dữ liệu (load the tenant files)."""
        from motcua.tenancy.sync import sync_tenants

        with app_context() as app:
            folder = directory or app.extensions["motcua.settings"].tenants_dir
            report = sync_tenants(folder)
            from motcua.tenancy.models import Tenant
            from motcua.web.ward import ward_for

            for change in report:
                if change.created:
                    ward = ward_for(app, Tenant.get(Tenant.code == change.code))
                    ward.events.emit("tenant_created")
        for change in report:
            if change.created:
                say(T("{code} {name}: đã tạo", "{code} {name}: created", code=change.code, name=change.name))
            elif change.changes:
                say(T("{code} {name}: đã cập nhật", "{code} {name}: updated", code=change.code, name=change.name))
                for line in change.changes:
                    click.echo(f"    {line}")
            else:
                say(T("{code} {name}: không đổi", "{code} {name}: unchanged", code=change.code, name=change.name))

    @tenants.command()
    @click.option("--all", "all_wards", is_flag=True, help="Cả 3.321 xã, phường (all wards)")
    @click.option("--province", "province_code", help="Mọi xã, phường của tỉnh (a province's wards), ví dụ 24")
    @click.option("--code", "codes", multiple=True, help="Mã xã, phường (ward code), lặp lại được")
    @click.option("--json", "as_json", is_flag=True, help="In JSON (print JSON)")
    @user_errors
    def provision(all_wards: bool, province_code: str | None, codes: tuple[str, ...], as_json: bool) -> None:
        """Tạo phường, xã từ danh mục 2025 (create wards from the 2025 catalogue).

        Phường, xã đã có được giữ nguyên (existing wards are left as they are).
        """
        from motcua.tenancy.provision import provision_wards, wards_to_provision

        chosen = wards_to_provision(all_wards=all_wards, province_code=province_code, codes=codes)
        with app_context():
            if as_json:
                report = provision_wards(chosen, actor="cli")
            else:
                with click.progressbar(length=len(chosen), label="Tạo xã, phường (provisioning)") as bar:
                    report = provision_wards(chosen, actor="cli", progress=bar.update)
        if as_json:
            click.echo(json.dumps({"created": report.created, "existing": report.existing}, indent=2))
            return
        say(
            T(
                "Đã tạo {created} xã, phường; {existing} đã có, giữ nguyên",
                "Created {created} wards; {existing} already existed, left as they were",
                created=len(report.created),
                existing=len(report.existing),
            )
        )

    @tenants.command()
    @click.option("--into", "into_code", required=True, help="Mã phường, xã nhận (receiving ward code)")
    @click.option("--from", "from_codes", required=True, multiple=True,
                  help="Mã phường, xã bị sáp nhập (absorbed ward code), lặp lại được")
    @click.option("--dry-run", is_flag=True, help="Chỉ báo sẽ chuyển gì, không ghi (report only)")
    @click.option("--json", "as_json", is_flag=True, help="In JSON (print JSON)")
    @user_errors
    def merge(into_code: str, from_codes: tuple[str, ...], dry_run: bool, as_json: bool) -> None:
        """Sáp nhập phường, xã vào phường, xã khác (merge wards into another).

        Chuyển hồ sơ, biểu mẫu, người dùng, điểm tiếp nhận, cài đặt; giữ nguyên mã hồ sơ
        (moves records, notebooks, users, reception points, settings; codes are kept).
        """
        from motcua.tenancy.merge import merge_wards

        with app_context() as app:
            report = merge_wards(
                ward_by_code_or_slug(into_code), [ward_by_code_or_slug(code) for code in from_codes],
                data_dir=app.extensions["motcua.settings"].data_dir, actor="cli", dry_run=dry_run,
            )
        if as_json:
            click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
            return
        say(
            T(
                "{verb} {absorbed} vào {into}", "{verb_en} {absorbed} into {into}",
                verb="Chạy thử: sẽ sáp nhập" if dry_run else "Đã sáp nhập",
                verb_en="Dry run: would merge" if dry_run else "Merged",
                absorbed=", ".join(report.absorbed), into=report.into,
            )
        )
        for label, counts in (("chuyển (moved)", report.moved), ("bỏ (dropped)", report.dropped),
                              ("đổi khóa (renamed)", report.renamed),
                              ("ban hành lại (republished)", report.republished)):
            for table, n in sorted(counts.items()):
                click.echo(f"    {table}: {n} {label}")
        click.echo(f"    tệp (files): {report.files}")

    @tenants.command("list")
    @click.option("--json", "as_json", is_flag=True, help="In JSON (print JSON)")
    def list_tenants(as_json: bool) -> None:
        """Liệt kê phường, xã (list wards): mã, tên, tỉnh, sáp nhập từ."""
        from motcua.tenancy.models import Tenant

        with app_context():
            rows = [
                {
                    "code": t.code,
                    "name": t.name,
                    "province_code": t.province_code,
                    "province": t.province.name,
                    "slug": t.slug,
                    "catalogue": t.catalogue.isoformat(),
                    "merged_from": [{k: v for k, v in unit.items() if v is not None} for unit in t.merged_from],
                    "reception_points": [p.name for p in t.reception_points if p.active],
                }
                for t in Tenant.select().where(Tenant.active == True).order_by(Tenant.province, Tenant.code)  # noqa: E712
            ]
        if as_json:
            click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            merged = ", ".join(u["name"] + (f" ({u['code']})" if u.get("code") else "") for u in row["merged_from"])
            click.echo(f"{row['code']}  {row['name']} — {row['province']}  /{row['slug']}/")
            click.echo(f"       sáp nhập từ (merged from): {merged or '—'}")
