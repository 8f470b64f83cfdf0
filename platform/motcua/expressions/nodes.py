"""The parsed tree: plain frozen records, built only by :mod:`.parser`.

Every node keeps ``pos`` (character offset in the source, for error messages), ``size``
(nodes in its subtree) and ``depth`` (height of its subtree), so the caps are checked
bottom-up while parsing without walking the tree again.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Node:
    """Base of all nodes."""

    pos: int
    size: int
    depth: int


@dataclass(frozen=True, slots=True)
class Literal(Node):
    """A number, text, ``true``, ``false`` or ``null``."""

    value: int | Decimal | str | bool | None


@dataclass(frozen=True, slots=True)
class Name(Node):
    """A field (or formula) reference."""

    name: str


@dataclass(frozen=True, slots=True)
class ListLiteral(Node):
    """``[a, b, ...]``: allowed only right of ``in`` and as a function argument."""

    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Negate(Node):
    """Unary minus."""

    operand: Node


@dataclass(frozen=True, slots=True)
class Not(Node):
    """``not x``."""

    operand: Node


@dataclass(frozen=True, slots=True)
class Arithmetic(Node):
    """``a + b - c`` or ``a * b / c % d``: one left-to-right chain of same-level operators.

    ``steps`` holds ``(operator, operator position, operand)`` after the first operand;
    chains are flat so that a long sum does not make the tree deep.
    """

    first: Node
    steps: tuple[tuple[str, int, Node], ...]


@dataclass(frozen=True, slots=True)
class Logic(Node):
    """``a and b and c`` or ``a or b``: a flat chain, evaluated with short-circuit."""

    operator: str
    operands: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Compare(Node):
    """``a < b``; ``=`` and ``==`` both mean equality."""

    operator: str
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class In(Node):
    """``a in [x, y]`` or ``a in multi_choice_field``."""

    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Call(Node):
    """``name(args)``; ``name`` is always a plain name, never an expression."""

    name: str
    args: tuple[Node, ...]


def children(node: Node) -> tuple[Node, ...]:
    """Return the direct sub-nodes of ``node``, left to right."""
    if isinstance(node, Negate | Not):
        return (node.operand,)
    if isinstance(node, Arithmetic):
        return (node.first, *(operand for _, _, operand in node.steps))
    if isinstance(node, Logic):
        return node.operands
    if isinstance(node, Compare | In):
        return (node.left, node.right)
    if isinstance(node, ListLiteral):
        return node.items
    if isinstance(node, Call):
        return node.args
    return ()


def walk(node: Node) -> list[Node]:
    """Return every node of the tree, parents before children (no recursion)."""
    found: list[Node] = []
    pending = [node]
    while pending:
        current = pending.pop()
        found.append(current)
        pending.extend(reversed(children(current)))
    return found
