"""``motcua reports period``: the JSON keys of issue 12, Excel and CSV files, mistakes explained."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from conftest import make_tenant
from motcua.cli import main
from reports_support import EXPECTED_MARCH, MARCH, build_march

KEYS = ("received", "received_direct", "received_online", "received_postal", "carried_over",
        "resolved", "resolved_early", "resolved_on_time", "resolved_late", "in_progress", "overdue",
        "returned", "non_territorial", "online_rate", "on_time_rate_a", "on_time_rate_b", "rows")


@pytest.fixture
def env(app, monkeypatch):  # noqa: ANN001, ANN201
    settings = app.extensions["motcua.settings"]
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("SECRET_KEY", "test-secret")
    monkeypatch.setenv("MOTCUA_PLUGIN_AUTOLOAD", "0")
    return settings


def run(*args: str):  # noqa: ANN201
    return CliRunner().invoke(main, ["reports", "period", "--from", MARCH[0], "--to", MARCH[1], *args])


def test_json_has_every_key_with_the_known_figures(env, ward_a):
    build_march(ward_a)
    result = run("--tenant", ward_a.code, "--json", "--by", "procedure")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(KEYS) <= set(data)
    assert {k: data[k] for k in EXPECTED_MARCH} == EXPECTED_MARCH
    assert len(data["rows"]) == 2 and sum(r["received"] for r in data["rows"]) == 6
    assert all(0 <= data[k] <= 1 for k in ("online_rate", "on_time_rate_a", "on_time_rate_b"))


def test_province_json_rolls_up_by_ward(env, ward_a):
    build_march(ward_a)
    make_tenant("07798")
    result = run("--province", ward_a.province_code, "--by", "ward", "--json")
    data = json.loads(result.output)
    assert data["received"] == 6 and data["scope"]["kind"] == "province"
    assert sorted(r["received"] for r in data["rows"]) == [0, 6]


def test_files_are_written(env, ward_a, tmp_path):
    build_march(ward_a)
    xlsx, csv_file = tmp_path / "bc.xlsx", tmp_path / "bc.csv"
    result = run("--tenant", ward_a.slug, "--xlsx", str(xlsx), "--csv", str(csv_file))
    assert result.exit_code == 0, result.output
    assert load_workbook(xlsx)["Theo thủ tục"].max_row == 4  # header, two procedures, total
    assert csv_file.read_bytes().startswith(b"\xef\xbb\xbf")


def test_mistakes_are_explained(env, ward_a):
    assert "exactly one" in run("--json").output
    assert "No ward" in run("--tenant", "99999", "--json").output
    bad = CliRunner().invoke(main, ["reports", "period", "--tenant", ward_a.code, "--from", "2026-03-31",
                                    "--to", "2026-03-01"])
    assert bad.exit_code == 1 and "after the last day" in bad.output


def test_pdf_is_written_with_the_province_header(env, ward_a, tmp_path):
    import pypdfium2

    build_march(ward_a)
    pdf = tmp_path / "bc.pdf"
    result = run("--province", ward_a.province_code, "--pdf", str(pdf))
    assert result.exit_code == 0, result.output
    document = pypdfium2.PdfDocument(pdf.read_bytes())
    text = " ".join(" ".join(p.get_textpage().get_text_range() for p in document).split())
    document.close()
    assert "ỦY BAN NHÂN DÂN TỈNH BẮC NINH" in text.upper() and "Theo phường, xã" in text
    assert "Tiếp nhận trong kỳ 6" in text
