"""Plugins installed as packages: the first-party forms library, the example third-party
plugin (pip-installed from tests/plugins/ by ./run test) and a package made by `motcua plugin new`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

from conftest import REPO
from motcua.plugins import plugin_host
from motcua.plugins.scaffold import create_plugin
from motcua.plugins.store import enable_plugin
from plugin_support import build_app

FORM_KEYS = {path.stem for path in (REPO / "forms").glob("*.ipynb")}
EXAMPLE_FOLDER = REPO / "tests" / "plugins" / "motcua_example_plugin"


def _entry_points() -> dict[str, metadata.EntryPoint]:
    return {ep.name: ep for ep in metadata.entry_points(group="motcua")}


def test_forms_library_comes_through_its_entry_point_and_is_on_by_default(
    app, migrated_db, tmp_path, ward_a, ward_b
):
    entry_point = _entry_points()["forms-library"]
    assert (
        entry_point.value == "motcua_forms.plugin" and entry_point.dist.metadata["Name"] == "motcua"
    )
    host = plugin_host(build_app(migrated_db, tmp_path / "a", entry_points=True))
    info = host.plugin("forms-library")
    assert (
        info.distribution == "motcua"
        and info.hooks == ("register_procedures",)
        and not info.builtin
    )
    for ward in (ward_a, ward_b):
        sources = [s for s in host.procedures(ward) if s.plugin == "forms-library"]
        assert {s.notebook.key for s in sources} == FORM_KEYS and len(FORM_KEYS) == 8


def test_forms_notebooks_ship_as_package_data():
    import motcua_forms.plugin

    link = REPO / "plugins" / "motcua_forms" / "forms"
    assert link.resolve() == (REPO / "forms").resolve()  # one copy: the top-level forms/
    assert {p.stem for p in motcua_forms.plugin.notebook_paths()} == FORM_KEYS
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert "forms/*.ipynb" in config["tool"]["setuptools"]["package-data"]["motcua_forms"]
    assert config["project"]["entry-points"]["motcua"]["forms-library"] == "motcua_forms.plugin"


def test_example_plugin_is_discovered_through_its_entry_point(
    app, migrated_db, tmp_path, ward_a, ward_b
):
    entry_point = _entry_points().get("example")
    assert entry_point is not None, f"pip install -e {EXAMPLE_FOLDER} (./run test does it)"
    assert entry_point.dist.metadata["Name"] == "motcua-example-plugin"
    example_app = build_app(migrated_db, tmp_path / "e", entry_points=True)
    host = plugin_host(example_app)
    assert host.errors == []
    info = host.plugin("example")
    assert info.version == "0.2.0" and set(info.hooks) == {
        "register_formula_functions",
        "register_procedures",
    }
    with example_app.app_context():
        assert "vi-du-sao-y" not in {
            s.notebook.key for s in host.procedures(ward_a)
        }  # off by default
        enable_plugin("example", ward_a, "test")
        assert "vi-du-sao-y" in {s.notebook.key for s in host.procedures(ward_a)}
        assert "phi_sao_y" in host.functions(ward_a)
        assert "vi-du-sao-y" not in {s.notebook.key for s in host.procedures(ward_b)}
        assert "phi_sao_y" not in host.functions(ward_b)


def _run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    result = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


def test_scaffolded_plugin_installs_lists_enables_for_one_ward_and_passes_its_tests(tmp_path):
    """The issue's "done when": new → pip install → listed → enabled in one ward only."""
    package = create_plugin("motcua-thu-nghiem", tmp_path)
    bin_dir = Path(sys.executable).parent
    site = tmp_path / "site"
    env = {**os.environ, "MOTCUA_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(site)}
    env.pop("DATABASE_URL", None)
    _run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(package / "tests")],
        {**env, "PYTHONPATH": str(package)},
        package,
    )
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(site),
            str(package),
        ],
        env,
        tmp_path,
    )
    motcua = [str(bin_dir / "motcua")]
    _run(motcua + ["db", "upgrade"], env, tmp_path)
    _run(motcua + ["tenants", "sync"], env, tmp_path)
    _run(motcua + ["plugins", "enable", "motcua-thu-nghiem", "--tenant", "07795"], env, tmp_path)
    rows = {
        row["name"]: row
        for row in json.loads(_run(motcua + ["plugins", "list", "--json"], env, tmp_path).stdout)
    }
    row = rows["motcua-thu-nghiem"]
    assert (
        row["version"] == "0.1.0"
        and row["hooks"] == ["register_procedures"]
        and row["error"] is None
    )
    assert row["enabled_tenants"] == ["07795"]
    assert "07795" in rows["forms-library"]["enabled_tenants"] and rows["motcua"]["error"] is None
    script = (
        "from motcua.cli import app_context\nfrom motcua.plugins import plugin_host\n"
        "from motcua.tenancy.models import Tenant\nwith app_context() as app:\n"
        "    host = plugin_host(app)\n"
        "    print({t.code: sorted(s.notebook.key for s in host.procedures(t) if s.plugin == 'motcua-thu-nghiem')"
        " for t in Tenant.select()})\n"
    )
    shown = _run([sys.executable, "-c", script], env, tmp_path).stdout
    procedures = eval(shown)  # noqa: S307 - our own printed dict
    assert procedures.pop("07795") == ["motcua-thu-nghiem-vi-du"]
    assert procedures and all(keys == [] for keys in procedures.values())


@pytest.mark.parametrize("name", ["Bad Name", "1abc", "a--b"])
def test_plugin_new_refuses_bad_names(tmp_path, name):
    from motcua.errors import UserError

    with pytest.raises(UserError):
        create_plugin(name, tmp_path)
