"""``motcua forms check | import | export | list``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import openpyxl
import pytest
from click.testing import CliRunner

from conftest import REPO
from motcua.cli import main
from motcua.notebooks import read_ipynb, service
from motcua.notebooks.store import NotebookDraft

LIBRARY = sorted((REPO / "forms").glob("*.ipynb"))


@pytest.fixture
def env(app, monkeypatch):  # noqa: ANN001, ANN201
    settings = app.extensions["motcua.settings"]
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("SECRET_KEY", "test-secret")
    return settings


def run(*args: str):  # noqa: ANN201
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_check_passes_on_the_whole_library():
    assert len(LIBRARY) == 8
    result = run("forms", "check", *LIBRARY)
    assert result.exit_code == 0, result.output
    assert result.output.count("đạt (4 mẫu thử)") == 8


def test_check_fails_naming_the_file_and_cell(tmp_path: Path):
    data = json.loads((REPO / "forms" / "chung-thuc-ban-sao.ipynb").read_text())
    formula = next(c for c in data["cells"] if c["metadata"]["motcua"]["kind"] == "formula")
    formula["source"] = "so_trang_sai * 2"
    broken = tmp_path / "broken.ipynb"
    broken.write_text(json.dumps(data, ensure_ascii=False))
    result = run("forms", "check", broken, LIBRARY[0])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith(str(broken))]
    assert lines and all(formula["id"] in line or "Mẫu" in line for line in lines)
    assert any(formula["id"] in line and "so_trang_sai" in line for line in lines)


def test_import_publish_export_round_trip_and_list(env, ward_a, tmp_path: Path):
    result = run("forms", "import", *LIBRARY, "--tenant", ward_a.code, "--publish")
    assert result.exit_code == 0, result.output
    assert result.output.count("đã ban hành phiên bản 1") == 8

    listed = json.loads(run("forms", "list", "--tenant", ward_a.code, "--json").output)
    assert len(listed) == 8
    assert set(listed[0]) == {"key", "name", "national_code", "version", "published"}
    copies = next(row for row in listed if row["key"] == "chung-thuc-ban-sao")
    assert (
        copies["national_code"] == "2.000815"
        and copies["version"] == 1
        and copies["published"] is True
    )

    out = tmp_path / "out.ipynb"
    assert (
        run(
            "forms",
            "export",
            "--tenant",
            ward_a.code,
            "--procedure",
            "chung-thuc-ban-sao",
            "-o",
            out,
        ).exit_code
        == 0
    )
    nbformat.validate(json.loads(out.read_text()))
    original = read_ipynb(REPO / "forms" / "chung-thuc-ban-sao.ipynb")
    assert read_ipynb(out).content_hash() == original.content_hash()

    # Importing the same files again changes nothing and publishes no new version.
    again = run("forms", "import", *LIBRARY, "--tenant", ward_a.code, "--publish")
    assert again.exit_code == 0 and "phiên bản 2" not in again.output


def test_a_bad_file_writes_nothing(env, ward_a, tmp_path: Path):
    shutil.copy(REPO / "forms" / "chung-thuc-ban-sao.ipynb", tmp_path / "good.ipynb")
    data = json.loads((REPO / "forms" / "chung-thuc-chu-ky.ipynb").read_text())
    data["cells"][3]["metadata"]["motcua"]["name"] = "Tên Sai"
    (tmp_path / "bad.ipynb").write_text(json.dumps(data, ensure_ascii=False))
    result = run(
        "forms", "import", tmp_path / "good.ipynb", tmp_path / "bad.ipynb", "--tenant", ward_a.code
    )
    assert result.exit_code == 1
    assert "bad.ipynb" in result.output and data["cells"][3]["id"] in result.output
    assert NotebookDraft.select().count() == 0

    # A sample that fails at publish time rolls back every file of the run.
    data = json.loads((REPO / "forms" / "chung-thuc-chu-ky.ipynb").read_text())
    data["metadata"]["motcua"]["samples"][0]["expect"]["valid"] = False
    (tmp_path / "failing.ipynb").write_text(json.dumps(data, ensure_ascii=False))
    result = run(
        "forms",
        "import",
        tmp_path / "good.ipynb",
        tmp_path / "failing.ipynb",
        "--tenant",
        ward_a.code,
        "--publish",
    )
    assert result.exit_code == 1 and "failing.ipynb" in result.output
    assert NotebookDraft.select().count() == 0


def test_xlsform_workbook_imports(env, ward_a, tmp_path: Path):
    book = openpyxl.Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(["type", "name", "label::vi", "label::en", "required", "calculation"])
    survey.append(["integer", "so_trang", "Số trang", "Pages", "yes", None])
    survey.append(["integer", "so_ban", "Số bản", "Copies", "yes", None])
    survey.append(["calculate", "le_phi", "Lệ phí", "Fee", None, "${so_trang} * 2000 * ${so_ban}"])
    settings = book.create_sheet("settings")
    settings.append(["form_id", "form_title", "national_code"])
    settings.append(["sao-excel", "Chứng thực bản sao (Excel)", "2.000815"])
    path = tmp_path / "sao.xlsx"
    book.save(path)

    assert run("forms", "check", path).exit_code == 0
    result = run("forms", "import", path, "--tenant", ward_a.code, "--publish")
    assert result.exit_code == 0, result.output
    version = service.effective_version(ward_a, "sao-excel")
    nb = version.notebook()
    assert [f.name for f in nb.fields()] == ["so_trang", "so_ban"]
    assert nb.cell(nb.defined_names()["le_phi"]).source == "so_trang * 2000 * so_ban"
