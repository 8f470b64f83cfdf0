"""Every safety cap of the expression language, in one place.

The language has no loops, so work is bounded by the size of the source; these caps bound
the rest (huge numbers, text that doubles, long repeats). Each refusal is an
:class:`~motcua.expressions.errors.ExpressionError` that names the cap.
"""

from __future__ import annotations

MAX_SOURCE_LENGTH = 1_000
"""Characters in one expression."""

MAX_NODES = 300
"""Nodes in the parsed tree (literals, names, operators, calls)."""

MAX_DEPTH = 30
"""Nesting depth of the tree, and of brackets in the source."""

MAX_STEPS = 10_000
"""Node evaluations in one :meth:`Expression.evaluate`."""

MAX_NUMBER = 10**18
"""Largest integer part of any number, literal or result."""

MAX_TEXT_LENGTH = 10_000
"""Characters in a text result (``concat``, ``upper``, ...)."""

MAX_LIST_LITERAL = 200
"""Items in a list literal ``[a, b, ...]``."""

MAX_ROWS = 10_000
"""Rows (or list items) one function or ``in`` may go through."""
