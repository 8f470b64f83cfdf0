"""``motcua tenants provision``: wards straight from the 2025 catalogue, idempotent."""

from __future__ import annotations

import json

from click.testing import CliRunner

from motcua import units
from motcua.audit import AuditLog
from motcua.cli import main
from motcua.tenancy.models import ReceptionPoint, Tenant


def run(*args: str):  # noqa: ANN201
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_codes_create_wards_with_their_old_units_and_a_reception_point(cli_env):
    result = run("tenants", "provision", "--code", "07795", "--code", "09265", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"created": ["07795", "09265"], "existing": []}
    listed = {t["code"]: t for t in json.loads(run("tenants", "list", "--json").output)}
    assert set(listed) == {"07795", "09265"}
    nenh = listed["07795"]
    assert (
        nenh["name"] == "Phường Nếnh"
        and nenh["province"] == "Tỉnh Bắc Ninh"
        and nenh["slug"] == "phuong-nenh"
    )
    assert {u["name"] for u in nenh["merged_from"]} == {
        "Phường Nếnh",
        "Phường Vân Trung",
        "Phường Quang Châu",
        "Phường Tăng Tiến",
    }
    assert nenh["reception_points"] == ["Bộ phận Một cửa Phường Nếnh"]
    tenant = Tenant.get(Tenant.code == "09265")
    assert tenant.office_hours == ["07:00-11:30", "13:30-17:00"] and tenant.cutoff == "15:00"
    assert AuditLog.get(AuditLog.action == "tenant.provision").detail["codes"] == ["07795", "09265"]


def test_running_again_changes_nothing_and_keeps_what_a_file_set(cli_env):
    run("tenants", "provision", "--code", "07795")
    Tenant.update(address="Số 1 đường Nếnh").where(Tenant.code == "07795").execute()
    result = run("tenants", "provision", "--code", "07795", "--code", "06832")
    assert result.exit_code == 0
    assert "Đã tạo 1 xã, phường; 1 đã có, giữ nguyên" in result.output
    assert Tenant.get(Tenant.code == "07795").address == "Số 1 đường Nếnh"
    assert (
        ReceptionPoint.select()
        .where(ReceptionPoint.tenant == Tenant.get(Tenant.code == "07795"))
        .count()
        == 1
    )


def test_a_province(cli_env):
    result = run("tenants", "provision", "--province", "24", "--json")
    assert result.exit_code == 0
    expected = [w.code for w in units.wards("24")]
    assert json.loads(result.output)["created"] == sorted(expected)
    assert Tenant.select().where(Tenant.province == "24").count() == len(expected) == 99


def test_all_wards(cli_env):
    result = run("tenants", "provision", "--all")
    assert result.exit_code == 0, result.output
    assert Tenant.select().count() == 3321
    assert ReceptionPoint.select().count() == 3321
    assert len({t.slug for t in Tenant.select(Tenant.slug)}) == 3321
    again = run("tenants", "provision", "--all", "--json")
    assert json.loads(again.output)["created"] == []


def test_unknown_code_writes_nothing(cli_env):
    result = run("tenants", "provision", "--code", "07795", "--code", "99999")
    assert result.exit_code == 1
    assert "Không có xã, phường mã “99999”" in result.output and "There is no ward" in result.output
    assert Tenant.select().count() == 0


def test_nothing_named(cli_env):
    result = run("tenants", "provision")
    assert result.exit_code == 1
    assert "Hãy chọn --all" in result.output and "Choose --all" in result.output
