"""Static checks: every name known, every call well-formed, no mixing of types.

Run when a notebook is published, so an author sees "`ho_ten` không tồn tại" on the cell
that has the mistake instead of a failure on a citizen's record.
"""

from __future__ import annotations

from collections.abc import Mapping

from motcua.expressions.errors import ExpressionError
from motcua.expressions.evaluator import wrong_argument_count
from motcua.expressions.library import FunctionLibrary
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
from motcua.expressions.types import ValueType, accepts, comparable, kind_of
from motcua.i18n import T, Text

_ORDERING = frozenset({"<", "<=", ">", ">="})


def infer(tree: Node, types: Mapping[str, ValueType], library: FunctionLibrary) -> ValueType:
    """Return the type of ``tree`` given the field types.

    :raises ExpressionError: on an unknown name or function, a wrong number of arguments
        or a type mismatch, positioned at the node at fault.
    """
    if isinstance(tree, Literal):
        return kind_of(tree.value)
    if isinstance(tree, Name):
        if tree.name not in types:
            raise ExpressionError(
                T("`{name}` không tồn tại", "`{name}` does not exist", name=tree.name),
                position=tree.pos,
                field=tree.name,
            )
        return ValueType(types[tree.name])
    if isinstance(tree, ListLiteral):
        for item in tree.items:
            kind = infer(item, types, library)
            if kind in (ValueType.LIST, ValueType.ROWS):
                raise _mismatch(T("mục của danh sách", "a list item"), "scalar", kind, item.pos)
        return ValueType.LIST
    if isinstance(tree, Negate):
        _expect(tree.operand, ValueType.NUMBER, T("dấu `-`", "`-`"), types, library)
        return ValueType.NUMBER
    if isinstance(tree, Not):
        _expect(tree.operand, ValueType.BOOL, T("`not`", "`not`"), types, library)
        return ValueType.BOOL
    if isinstance(tree, Arithmetic):
        operands = [(tree.first, tree.steps[0][0])] + [(node, op) for op, _, node in tree.steps]
        for operand, operator in operands:
            _expect(
                operand, ValueType.NUMBER, T("phép `{op}`", "`{op}`", op=operator), types, library
            )
        return ValueType.NUMBER
    if isinstance(tree, Logic):
        for operand in tree.operands:
            where = T("`{op}`", "`{op}`", op=tree.operator)
            _expect(operand, ValueType.BOOL, where, types, library)
        return ValueType.BOOL
    if isinstance(tree, Compare):
        left, right = infer(tree.left, types, library), infer(tree.right, types, library)
        if not comparable(left, right, ordering=tree.operator in _ORDERING):
            raise ExpressionError(
                T(
                    "Không so sánh được {left} với {right} bằng `{op}`",
                    "Cannot compare {left} with {right} using `{op}`",
                    left=left.label,
                    right=right.label,
                    op=tree.operator,
                ),
                position=tree.pos,
            )
        return ValueType.BOOL
    if isinstance(tree, In):
        left, right = infer(tree.left, types, library), infer(tree.right, types, library)
        if left in (ValueType.LIST, ValueType.ROWS):
            raise _mismatch(
                T("vế trái của `in`", "the left side of `in`"), "scalar", left, tree.left.pos
            )
        if not accepts(ValueType.LIST, right):
            raise _mismatch(
                T("vế phải của `in`", "the right side of `in`"),
                ValueType.LIST,
                right,
                tree.right.pos,
            )
        return ValueType.BOOL
    if isinstance(tree, Call):
        return _call(tree, types, library)
    raise AssertionError(f"unknown node {type(tree).__name__}")


def _call(tree: Call, types: Mapping[str, ValueType], library: FunctionLibrary) -> ValueType:
    try:
        info = library.describe(tree.name)
    except ExpressionError as error:
        raise error.at(tree.pos) from None
    params = info.params_for(len(tree.args))
    if params is None:
        raise wrong_argument_count(info, len(tree.args)).at(tree.pos)
    kinds = []
    for number, (arg, param) in enumerate(zip(tree.args, params, strict=True), start=1):
        kind = infer(arg, types, library)
        if not accepts(param, kind):
            where = T(
                "tham số {number} của `{name}`",
                "argument {number} of `{name}`",
                number=number,
                name=tree.name,
            )
            raise _mismatch(where, param, kind, arg.pos)
        kinds.append(kind)
    if info.infer is not None:
        try:
            return info.infer(kinds)
        except ExpressionError as error:
            raise error.at(tree.pos) from None
    return info.returns


def _expect(
    node: Node,
    expected: ValueType,
    where: Text,
    types: Mapping[str, ValueType],
    library: FunctionLibrary,
) -> None:
    kind = infer(node, types, library)
    if not accepts(expected, kind):
        raise _mismatch(where, expected, kind, node.pos)


def _mismatch(
    where: Text, expected: ValueType | str, actual: ValueType, pos: int
) -> ExpressionError:
    if expected == "scalar":
        wanted = T("một giá trị đơn", "a single value")
    else:
        wanted = ValueType(expected).label
    hint = _hint(expected, actual)
    return ExpressionError(
        T(
            "{where} cần {expected}, nhưng đây là {actual}{hint_vi}",
            "{where} needs {expected}, but this is {actual}{hint_en}",
            where=where,
            expected=wanted,
            actual=actual.label,
            hint_vi=hint.vi,
            hint_en=hint.en,
        ),
        position=pos,
    )


def _hint(expected: ValueType | str, actual: ValueType) -> Text:
    if expected is ValueType.NUMBER and actual in (ValueType.DATE, ValueType.DATETIME):
        return T(
            " (với ngày, dùng add_days hoặc days_between)",
            " (for dates, use add_days or days_between)",
        )
    if expected is ValueType.NUMBER and actual is ValueType.TEXT:
        return T(" (để ghép chữ, dùng concat)", " (to join text, use concat)")
    return T("", "")
