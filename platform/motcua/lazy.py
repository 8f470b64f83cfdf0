"""Package attributes imported on first use, so importing a pure submodule stays light.

``import motcua.records.lifecycle`` must not load the database layer just because the
package ``motcua.records`` also offers ``receive``. A package lists its public names and
the modules they live in, and gets a module ``__getattr__`` (PEP 562) that imports them
when first asked for.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(package: str, names: Mapping[str, str]) -> Callable[[str], Any]:
    """Return the ``__getattr__`` of ``package`` serving ``names`` (name -> module)."""

    def __getattr__(name: str) -> Any:
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(module), name)

    return __getattr__
