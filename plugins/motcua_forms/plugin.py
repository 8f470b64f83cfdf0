"""The ``forms-library`` plugin: registers the notebooks of ``forms/*.ipynb``, on by default."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from motcua.plugin_api import hookimpl
from motcua_forms import __version__ as __version__

default_enabled = True


def notebook_paths() -> list[Path]:
    """Return the bundled ``.ipynb`` files, sorted by name."""
    folder = resources.files("motcua_forms") / "forms"
    return sorted(Path(str(entry)) for entry in folder.iterdir() if entry.name.endswith(".ipynb"))


@hookimpl
def register_procedures() -> list[Path]:
    """Return the eight procedure notebooks of the built-in library."""
    return notebook_paths()
