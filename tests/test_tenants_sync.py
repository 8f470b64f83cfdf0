"""`motcua tenants sync` / `list`: real codes load, a wrong file is refused with file and line, sync is idempotent."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO
from motcua.cli import main
from motcua.tenancy.files import TenantFileError
from motcua.tenancy.models import CalendarOverride, Counter, ReceptionPoint, Tenant
from motcua.tenancy.sync import sync_tenants

DEMO_WARDS = {
    "06832": "Phường Yên Tử", "07795": "Phường Nếnh", "09265": "Phường Phương Liễu", "13777": "Phường Trường Thi",
    "14359": "Phường Nam Hoa Lư", "14620": "Xã Phát Diệm", "06286": "Xã Khánh Khê", "05986": "Phường Tam Thanh",
}


def test_sync_loads_the_real_wards_and_is_idempotent(db):
    first = sync_tenants(REPO / "tenants")
    assert {c.code for c in first if c.created} >= set(DEMO_WARDS)
    assert {t.code: t.name for t in Tenant.select()} .items() >= DEMO_WARDS.items()
    nenh = Tenant.get(Tenant.code == "07795")
    assert nenh.province_code == "24" and nenh.slug == "phuong-nenh"
    assert {p.key for p in nenh.reception_points} == {"nenh", "van-trung"}
    assert {u["code"] for u in nenh.merged_from} >= {"07795", "07801"}
    counts = (Tenant.select().count(), ReceptionPoint.select().count(), Counter.select().count())
    second = sync_tenants(REPO / "tenants")
    assert not any(change.changed for change in second)
    assert (Tenant.select().count(), ReceptionPoint.select().count(), Counter.select().count()) == counts


def test_sync_reports_changes_and_deactivates_removed_points(db, tmp_path: Path):
    folder = tmp_path / "tenants"
    folder.mkdir()
    shutil.copy(REPO / "tenants" / "phuong-nenh.toml", folder)
    sync_tenants(folder)
    text = (folder / "phuong-nenh.toml").read_text()
    start = text.index('key = "van-trung"')
    block_start = text.rindex("[[reception_points]]", 0, start)
    next_block = text.find("[[", text.find("\n[[reception_points]]", start) if "\n[[reception_points]]" in text[start:] else len(text))
    trimmed = text[:block_start] + (text[next_block:] if next_block > start and "[[calendar]]" in text[next_block:next_block + 14] else "")
    trimmed += '\n[[calendar]]\ndate = "2026-12-31"\nworking = false\nnote = "Nghỉ bù (ví dụ)"\n'
    (folder / "phuong-nenh.toml").write_text(trimmed)
    report = sync_tenants(folder)
    lines = " ".join(report[0].changes)
    assert "reception point(s) deactivated" in lines and "calendar 2026-12-31: added" in lines
    van_trung = ReceptionPoint.get(ReceptionPoint.key == "van-trung")
    assert van_trung.active is False
    assert CalendarOverride.get().working is False


def test_wrong_code_is_refused_naming_file_and_line_and_nothing_is_written(db, tmp_path: Path):
    folder = tmp_path / "tenants"
    folder.mkdir()
    shutil.copy(REPO / "tenants" / "phuong-yen-tu.toml", folder)
    bad = (REPO / "tenants" / "phuong-nenh.toml").read_text().replace('code = "07795"', 'code = "07796"', 1)
    (folder / "phuong-nenh.toml").write_text(bad)
    line = next(i for i, text in enumerate(bad.splitlines(), 1) if text.startswith('code = "07796"'))
    with pytest.raises(TenantFileError) as caught:
        sync_tenants(folder)
    message = caught.value.text.render("vi")
    assert "phuong-nenh.toml" in message and f"dòng {line}" in message and "07796" in message
    assert Tenant.select().count() == 0  # the good file was not loaded either: one transaction


def test_cli_sync_and_list_json(app, tmp_path: Path, monkeypatch):
    settings = app.extensions["motcua.settings"]
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(settings.data_dir))
    runner = CliRunner()
    result = runner.invoke(main, ["tenants", "sync", "--dir", str(REPO / "tenants")])
    assert result.exit_code == 0, result.output
    assert "Phường Nếnh: đã tạo" in result.output
    again = runner.invoke(main, ["tenants", "sync", "--dir", str(REPO / "tenants")])
    assert "không đổi" in again.output and "đã tạo" not in again.output
    listed = runner.invoke(main, ["tenants", "list", "--json"])
    rows = {row["code"]: row for row in json.loads(listed.output)}
    assert set(DEMO_WARDS) <= set(rows)
    nenh = rows["07795"]
    assert nenh["name"] == "Phường Nếnh" and nenh["province_code"] == "24" and nenh["slug"] == "phuong-nenh"
    assert any(u["name"].endswith("Vân Trung") and u["code"] == "07801" for u in nenh["merged_from"])


def test_cli_sync_refuses_a_bad_file_with_exit_code(app, tmp_path: Path, monkeypatch):
    settings = app.extensions["motcua.settings"]
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(settings.data_dir))
    (tmp_path / "x.toml").write_text('code = "99999"\ncatalogue = "2025-07-01"\nname = "X"\n')
    result = CliRunner().invoke(main, ["tenants", "sync", "--dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "x.toml" in result.output and "99999" in result.output and "Error:" in result.output
