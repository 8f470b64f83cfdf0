"""The core's own plugin: the built-in field types and formula functions.

Registered first in every app under the name ``motcua``, through the same hooks as any
installed plugin, and always enabled.
"""

from __future__ import annotations

from motcua.expressions import FunctionInfo, FunctionLibrary
from motcua.notebooks import FieldType, FieldTypeRegistry
from motcua.plugin_api import hookimpl


@hookimpl
def register_field_types() -> list[FieldType]:
    """Return the field types of docs/notebook-format.md."""
    return list(FieldTypeRegistry.default().types)


@hookimpl
def register_formula_functions() -> list[FunctionInfo]:
    """Return the standard functions of docs/expressions.md."""
    library = FunctionLibrary.default()
    return [library.describe(name) for name in library.names()]
