"""Compiled expressions: parse once, check and evaluate many times."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from motcua.expressions.context import EvalContext
from motcua.expressions.errors import ExpressionError
from motcua.expressions.evaluator import evaluate, wrong_argument_count
from motcua.expressions.library import FunctionLibrary
from motcua.expressions.nodes import Call, Name, Node, walk
from motcua.expressions.parser import parse
from motcua.expressions.typecheck import infer
from motcua.expressions.types import ValueType


@dataclass(frozen=True)
class Expression:
    """A parsed expression: immutable, safe to share between threads and requests.

    ``names`` are the fields it reads (for the notebook's dependency graph) and
    ``functions`` the functions it calls.
    """

    source: str
    names: frozenset[str]
    functions: frozenset[str]
    _tree: Node = field(repr=False, compare=False)
    _library: FunctionLibrary = field(repr=False, compare=False)

    def evaluate(self, values: Mapping[str, Any], context: EvalContext) -> Any:
        """Return the value for ``values`` (field name to value; a missing name is blank).

        The result is an int or Decimal, str, date, datetime, bool, list or None.

        :raises ExpressionError: on a run-time error (division by zero, a value of the
            wrong kind, a missing working calendar, a safety cap exceeded).
        """
        library = context.functions or self._library
        return evaluate(self._tree, values, context, library)

    def infer_type(
        self, types: Mapping[str, ValueType], functions: FunctionLibrary | None = None
    ) -> ValueType:
        """Return the expression's type given each field's :class:`ValueType`.

        ``ValueType.ANY`` fits everything; see ``field_value_type`` for notebook fields.

        :raises ExpressionError: on an unknown name ("`ho_ten` không tồn tại") or function,
            a wrong number of arguments or a type mismatch, with its ``position``.
        """
        return infer(self._tree, types, functions or self._library)


def compile_expression(source: str, *, functions: FunctionLibrary | None = None) -> Expression:
    """Return the :class:`Expression` for ``source``.

    Checks syntax, the size caps, and that every called function exists in ``functions``
    (the default library when None) with a fitting number of arguments. Field names are
    checked later by :meth:`Expression.infer_type`, which knows the fields.

    Compiling is cached: the same ``source`` under the same library object returns the
    same (immutable) :class:`Expression`, so a notebook's expressions are parsed once per
    process, not once per request. Errors are not cached: a bad source raises every time.

    :raises ExpressionError: with ``position`` set, when any check fails.
    """
    library = functions or FunctionLibrary.default()
    if not isinstance(source, str):
        return _compile(source, library)  # parse() refuses it with a clear error
    return _compile_cached(source, library)


# Bounded, read-only-after-insert cache of immutable values (an Expression and its tree
# are frozen). The key holds the FunctionLibrary itself, compared by identity (it defines
# no __eq__): libraries are immutable, FunctionLibrary.default() is one shared object, and
# a plugin host keeps one library per set of enabled plugins, so a key is stable for as long
# as its library lives, and an entry can never answer for another library (the key keeps
# the library alive, so its identity is never reused). A library made on the fly
# (FunctionLibrary.extended) just adds entries that age out.
@lru_cache(maxsize=4096)
def _compile_cached(source: str, library: FunctionLibrary) -> Expression:
    return _compile(source, library)


def _compile(source: str, library: FunctionLibrary) -> Expression:
    tree = parse(source)
    names: set[str] = set()
    called: set[str] = set()
    for node in walk(tree):
        if isinstance(node, Name):
            names.add(node.name)
        elif isinstance(node, Call):
            try:
                info = library.describe(node.name)
            except ExpressionError as error:
                raise error.at(node.pos) from None
            if info.params_for(len(node.args)) is None:
                raise wrong_argument_count(info, len(node.args)).at(node.pos)
            called.add(node.name)
    return Expression(source, frozenset(names), frozenset(called), tree, library)
