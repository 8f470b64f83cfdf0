"""The default function library, gathered from the modules by subject."""

from __future__ import annotations

from motcua.expressions.functions_dates import date_functions
from motcua.expressions.functions_numbers import number_functions
from motcua.expressions.functions_rows import row_functions
from motcua.expressions.functions_text import text_functions
from motcua.expressions.library import FunctionInfo


def default_functions() -> list[FunctionInfo]:
    """Return every built-in function, in the order of docs/expressions.md."""
    return [*row_functions(), *date_functions(), *text_functions(), *number_functions()]
