"""The expression language of procedure notebooks: formulas, checks, visibility rules.

A small language of our own (docs/expressions.md), parsed by our own grammar, so what an
expression can do is exactly what this package allows: read field values and call the
functions of a :class:`FunctionLibrary`. Pure logic: no Flask, no database, no I/O.

    expression = compile_expression("round(so_trang * 2000 * so_ban, -3)")
    expression.infer_type({"so_trang": ValueType.NUMBER, "so_ban": ValueType.NUMBER})
    expression.evaluate({"so_trang": 2, "so_ban": 3}, EvalContext(today=..., now=...))
"""

from __future__ import annotations

from motcua.expressions import limits as limits
from motcua.expressions.context import EvalContext as EvalContext
from motcua.expressions.context import WorkdayCalendar as WorkdayCalendar
from motcua.expressions.errors import ExpressionError as ExpressionError
from motcua.expressions.expression import Expression as Expression
from motcua.expressions.expression import compile_expression as compile_expression
from motcua.expressions.library import FunctionInfo as FunctionInfo
from motcua.expressions.library import FunctionLibrary as FunctionLibrary
from motcua.expressions.types import ValueType as ValueType
from motcua.expressions.types import field_value_type as field_value_type
from motcua.expressions.values import is_blank as is_blank

__all__ = [
    "EvalContext",
    "Expression",
    "ExpressionError",
    "FunctionInfo",
    "FunctionLibrary",
    "ValueType",
    "WorkdayCalendar",
    "compile_expression",
    "field_value_type",
    "is_blank",
    "limits",
]
