"""``motcua plugin new NAME``: an installable plugin package that works on first run.

The package has a pyproject with the ``motcua`` entry point, a module implementing
``register_procedures`` with one bundled notebook (it passes the notebook checks and its
samples), a pytest test built on :mod:`motcua.testing`, and a README.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from motcua.errors import UserError
from motcua.i18n import T
from motcua.notebooks import Notebook, notebook_from_dict, write_ipynb
from motcua.plugin_api import PLUGIN_API_VERSION

PACKAGE_NAME = re.compile(r"[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*")


def example_notebook_dict(key: str, *, fee_function: str | None = None) -> dict[str, Any]:
    """Return a small, valid procedure notebook as an nbformat dict.

    A copy request: name, number of pages and copies, a fee formula (calling
    ``fee_function(pages, copies)`` when given, else ``2000 * pages * copies``), one check
    and two samples (one valid, one failing on ``so_trang``).
    """
    fee = f"{fee_function}(so_trang, so_ban)" if fee_function else "2000 * so_trang * so_ban"

    def raw(cell_id: str, source: str, meta: dict[str, Any]) -> dict[str, Any]:
        return {"cell_type": "raw", "id": cell_id, "metadata": {"motcua": meta}, "source": source}

    def field(name: str, field_type: str, vi: str, en: str, **extra: Any) -> dict[str, Any]:
        return raw(
            f"field-{name}",
            "",
            {
                "kind": "field",
                "name": name,
                "type": field_type,
                "label": {"vi": vi, "en": en},
                "required": True,
                **extra,
            },
        )

    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "motcua": {
                "schema": 1,
                "key": key,
                "name": {"vi": "Cấp bản sao (ví dụ)", "en": "Issue copies (example)"},
                "field_area": "tu-phap",
                "limit": "same-day",
                "samples": [
                    {
                        "name": "Hai trang, ba bản",
                        "values": {"ho_ten": "Nguyễn Văn An", "so_trang": 2, "so_ban": 3},
                        "expect": {"valid": True, "values": {"le_phi": 12000}},
                    },
                    {
                        "name": "Không có trang nào",
                        "values": {"ho_ten": "Nguyễn Văn An", "so_trang": 0, "so_ban": 1},
                        "expect": {"valid": False, "errors": ["so_trang"]},
                    },
                ],
                "unconfirmed": ["Mức phí là ví dụ (an example fee)"],
            }
        },
        "cells": [
            {
                "cell_type": "markdown",
                "id": "huong-dan",
                "metadata": {"motcua": {"kind": "markdown", "audience": "staff"}},
                "source": "### Cấp bản sao (ví dụ)\n\nThủ tục mẫu do `motcua plugin new` tạo ra.",
            },
            field("ho_ten", "text", "Họ và tên người yêu cầu", "Requester's full name"),
            field("so_trang", "integer", "Số trang", "Number of pages"),
            field("so_ban", "integer", "Số bản", "Number of copies", default=1),
            raw(
                "formula-le_phi",
                fee,
                {
                    "kind": "formula",
                    "name": "le_phi",
                    "type": "money",
                    "label": {"vi": "Lệ phí (đồng)", "en": "Fee (VND)"},
                },
            ),
            raw(
                "check-so_trang",
                "so_trang >= 1",
                {
                    "kind": "check",
                    "field": "so_trang",
                    "message": {"vi": "Cần ít nhất một trang", "en": "At least one page"},
                },
            ),
        ],
    }


def example_notebook(
    key: str = "vi-du-cap-ban-sao", *, fee_function: str | None = None
) -> Notebook:
    """Return :func:`example_notebook_dict` as a :class:`Notebook`."""
    return notebook_from_dict(example_notebook_dict(key, fee_function=fee_function))


def _files(name: str, module: str, key: str) -> dict[str, str]:
    return {
        "pyproject.toml": f'''[build-system]
requires = ["setuptools>=69"]
build-backend = "setuptools.build_meta"

[project]
name = "{name}"
version = "0.1.0"
description = "A motcua plugin: procedure notebooks for the one-stop shop"
requires-python = ">=3.11"
dependencies = ["motcua"]

[project.optional-dependencies]
test = ["pytest>=8"]

# motcua finds the plugin through this entry point; the name is the plugin's name.
[project.entry-points.motcua]
{name} = "{module}.plugin"

[tool.setuptools]
packages = ["{module}"]

[tool.setuptools.package-data]
{module} = ["forms/*.ipynb"]
''',
        f"{module}/__init__.py": f'"""{name}: a motcua plugin."""\n\n__version__ = "0.1.0"\n',
        f"{module}/plugin.py": f'''"""{name}: procedure notebooks for motcua (motcua plugin API {PLUGIN_API_VERSION})."""

from __future__ import annotations

from pathlib import Path

from motcua.plugin_api import hookimpl

FORMS = Path(__file__).parent / "forms"

# The name when registered directly (tests); installed, the entry point's name is used.
plugin_name = "{name}"

# Installed plugins are off until a ward (or its province) enables them; set this to True
# to have the plugin on everywhere by default.
default_enabled = False


@hookimpl
def register_procedures() -> list[Path]:
    """Return the procedure notebooks shipped in forms/."""
    return sorted(FORMS.glob("*.ipynb"))
''',
        f"{module}/forms/{key}.ipynb": write_ipynb(example_notebook(key)),
        "tests/test_plugin.py": f'''"""The plugin loads in motcua, and its notebooks pass the checks and their samples."""

from {module} import plugin
from motcua.testing import check_procedures, plugin_manager_for


def test_plugin_loads_without_errors():
    host = plugin_manager_for(plugin)
    assert host.errors == []
    assert "register_procedures" in host.plugin("{name}").hooks


def test_notebooks_pass_checks_and_samples():
    results = check_procedures(plugin)
    assert [r.key for r in results] == ["{key}"]
    for result in results:
        assert result.issues == [], result.issues
        assert result.failed_samples == [], result.failed_samples
''',
        "README.md": f"""# {name}

A [motcua](https://github.com/) plugin: procedure notebooks for the one-stop shops of
merged wards. *Tiện ích motcua: sổ thủ tục cho bộ phận một cửa.*

```sh
pip install -e .                      # install next to motcua
motcua plugins list                   # {name} is listed
motcua plugins enable {name} --tenant 07795
pytest                                # the plugin's own tests
```

Add notebooks to `{module}/forms/` (docs/notebook-format.md); they are registered by
`register_procedures` in `{module}/plugin.py`. Other hooks: docs/plugins/ in motcua.
""",
    }


def create_plugin(name: str, directory: Path) -> Path:
    """Create the plugin package ``name`` in ``directory/name`` and return its path.

    Raises UserError for an invalid name (``[a-z][a-z0-9]*`` parts joined by ``-`` or
    ``_``) or when the folder already exists.
    """
    if not PACKAGE_NAME.fullmatch(name):
        raise UserError(
            T(
                "Tên `{name}` không hợp lệ: chữ thường, số, nối bằng `-` hoặc `_` (ví dụ motcua-ho-tich)",
                "Invalid name `{name}`: lower-case letters and digits joined by `-` or `_` "
                "(e.g. motcua-ho-tich)",
                name=name,
            )
        )
    target = directory / name
    if target.exists():
        raise UserError(
            T("Thư mục `{path}` đã có", "The folder `{path}` already exists", path=str(target))
        )
    module = name.replace("-", "_")
    key = f"{name.replace('_', '-')}-vi-du"
    for relative, content in _files(name, module, key).items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return target
