"""Evaluating a tree against field values: blanks, short-circuits, step and size caps."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_FLOOR, ROUND_HALF_EVEN, Decimal, localcontext
from typing import Any

from motcua import budget
from motcua.errors import UserError
from motcua.expressions import limits
from motcua.expressions.context import EvalContext
from motcua.expressions.errors import ExpressionError
from motcua.expressions.library import FunctionInfo, FunctionLibrary
from motcua.expressions.nodes import (
    Arithmetic,
    Call,
    Compare,
    In,
    ListLiteral,
    Literal,
    Logic,
    Name,
    Negate,
    Node,
    Not,
)
from motcua.expressions.values import (
    Number,
    admit,
    as_bool,
    as_list,
    as_number,
    check_number,
    check_text,
    equal,
    is_blank,
    loosely_equal,
    order,
)
from motcua.i18n import T

# Enough digits for two 18-digit numbers multiplied, with room for fractions.
_PRECISION = 40


def evaluate(
    tree: Node,
    values: Mapping[str, Any],
    context: EvalContext,
    library: FunctionLibrary,
    *,
    max_steps: int = limits.MAX_STEPS,
) -> Any:
    """Return the value of ``tree``; a name missing from ``values`` is blank.

    :raises ExpressionError: on a run-time error (division by zero, a value of the wrong
        kind, a cap exceeded), positioned at the node that failed.
    """
    run = _Run(values, context, library, max_steps)
    with localcontext(prec=_PRECISION, rounding=ROUND_HALF_EVEN):
        return run.value(tree)


class _Run:
    """The state of one evaluation: the inputs and the step count."""

    __slots__ = ("values", "context", "library", "steps", "max_steps")

    def __init__(
        self,
        values: Mapping[str, Any],
        context: EvalContext,
        library: FunctionLibrary,
        max_steps: int,
    ) -> None:
        self.values = values
        self.context = context
        self.library = library
        self.steps = 0
        self.max_steps = max_steps

    def value(self, node: Node) -> Any:
        self.steps += 1
        if not self.steps & 63:  # the request's wall-clock budget, every 64 steps
            budget.check()
        if self.steps > self.max_steps:
            raise ExpressionError(
                T(
                    "Biểu thức cần quá nhiều bước tính (tối đa {limit})",
                    "The expression takes too many steps (at most {limit})",
                    limit=self.max_steps,
                ),
                position=node.pos,
            )
        try:
            return self._value(node)
        except ExpressionError as error:
            raise error.at(node.pos) from error.__cause__

    def _value(self, node: Node) -> Any:
        if isinstance(node, Literal):
            return node.value
        if isinstance(node, Name):
            return admit(self.values.get(node.name), node.name)
        if isinstance(node, Arithmetic):
            return self._arithmetic(node)
        if isinstance(node, Logic):
            return self._logic(node)
        if isinstance(node, Compare):
            left, right = self.value(node.left), self.value(node.right)
            if node.operator in ("=", "=="):
                return equal(left, right, node.operator)
            if node.operator == "!=":
                return not equal(left, right, node.operator)
            return order(node.operator, left, right)
        if isinstance(node, In):
            left, right = self.value(node.left), self.value(node.right)
            options = as_list(right, "`in`")
            return not is_blank(left) and any(loosely_equal(left, item) for item in options)
        if isinstance(node, Not):
            return not as_bool(self.value(node.operand), "`not`")
        if isinstance(node, Negate):
            number = as_number(self.value(node.operand), "`-`")
            return None if number is None else -number
        if isinstance(node, ListLiteral):
            return [self.value(item) for item in node.items]
        if isinstance(node, Call):
            return self._call(node)
        raise AssertionError(f"unknown node {type(node).__name__}")

    def _arithmetic(self, node: Arithmetic) -> Number | None:
        result = as_number(self.value(node.first), "`" + node.steps[0][0] + "`")
        for operator, pos, operand in node.steps:
            right = as_number(self.value(operand), f"`{operator}`")
            if result is None or right is None:
                result = None
                continue
            try:
                result = check_number(_apply(operator, result, right))
            except ExpressionError as error:
                raise error.at(pos) from None
        return result

    def _logic(self, node: Logic) -> bool:
        wanted = node.operator == "or"
        for operand in node.operands:
            if as_bool(self.value(operand), f"`{node.operator}`") is wanted:
                return wanted
        return not wanted

    def _call(self, node: Call) -> Any:
        info = self.library.describe(node.name)
        if info.params_for(len(node.args)) is None:
            raise wrong_argument_count(info, len(node.args))
        if node.name == "if":
            branch = 1 if as_bool(self.value(node.args[0]), "`if`") else 2
            return self.value(node.args[branch])
        if node.name == "coalesce":
            for arg in node.args:
                value = self.value(arg)
                if not is_blank(value):
                    return value
            return None
        args = [self.value(arg) for arg in node.args]
        return self._invoke(info, args)

    def _invoke(self, info: FunctionInfo, args: list[Any]) -> Any:
        try:
            result = info.func(self.context, *args) if info.needs_context else info.func(*args)
        except ExpressionError:
            raise
        except UserError as error:
            raise ExpressionError(error.text, function=info.name) from error
        except (ArithmeticError, ValueError, TypeError) as error:
            raise ExpressionError(
                T(
                    "Hàm `{name}` không tính được với các giá trị này",
                    "Function `{name}` cannot work on these values",
                    name=info.name,
                ),
                function=info.name,
            ) from error
        result = admit(result, info.name)
        if isinstance(result, str):
            check_text(result)
        return result


def _apply(operator: str, left: Number, right: Number) -> Number:
    if operator == "+":
        return left + right
    if operator == "-":
        return left - right
    if operator == "*":
        return left * right
    if right == 0:
        raise ExpressionError(T("Không chia được cho 0", "Cannot divide by zero"))
    if operator == "/":
        return Decimal(left) / Decimal(right)
    if isinstance(left, int) and isinstance(right, int):
        return left % right
    # Remainder takes the divisor's sign, as Excel's MOD and Python's % on integers.
    left, right = Decimal(left), Decimal(right)
    return left - right * (left / right).to_integral_value(ROUND_FLOOR)


def wrong_argument_count(info: FunctionInfo, count: int) -> ExpressionError:
    """Return the error for calling ``info`` with ``count`` arguments."""
    return ExpressionError(
        T(
            "`{name}` không nhận {count} tham số; cách gọi đúng: {signature}",
            "`{name}` does not take {count} arguments; call it as {signature}",
            name=info.name,
            count=count,
            signature=info.signature(),
        ),
        function=info.name,
    )
