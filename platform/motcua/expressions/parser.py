"""Source text to tree, with our own LALR grammar (lark) and the size caps.

Only what the grammar names can be written: there is no attribute access, indexing,
power operator, lambda or assignment to refuse later, because none of them parse. The
caps on length and bracket depth are checked before lark sees the text; node count and
tree depth are checked while the tree is built bottom-up, so no step recurses on input.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Any

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from motcua.expressions import limits
from motcua.expressions.errors import ExpressionError
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
from motcua.i18n import T

KEYWORDS = frozenset({"and", "or", "not", "in", "true", "false", "null"})

GRAMMAR = r"""
?start: or_expr
?or_expr: and_expr (OR and_expr)*
?and_expr: not_expr (AND not_expr)*
?not_expr: NOT not_expr -> not_op
         | comparison
?comparison: sum
           | sum COMP_OP sum -> compare
           | sum IN list -> in_op
           | sum IN sum -> in_op
?sum: product ((PLUS | MINUS) product)*
?product: unary ((STAR | SLASH | PERCENT) unary)*
?unary: MINUS unary -> negate
      | atom
?atom: NUMBER -> number
     | STRING -> string
     | TRUE -> true
     | FALSE -> false
     | NULL -> null
     | NAME -> name
     | NAME "(" [arg ("," arg)*] ")" -> call
     | "(" or_expr ")"
?arg: or_expr | list
list: LSQB [or_expr ("," or_expr)*] "]"

OR: "or"
AND: "and"
NOT: "not"
IN: "in"
TRUE: "true"
FALSE: "false"
NULL: "null"
COMP_OP: "==" | "!=" | "<=" | ">=" | "=" | "<" | ">"
PLUS: "+"
MINUS: "-"
STAR: "*"
SLASH: "/"
PERCENT: "%"
LSQB: "["
NAME: /[a-z_][a-z0-9_]*/
NUMBER: /[0-9]+(\.[0-9]+)?/
STRING: /'[^'\n]*'/ | /"[^"\n]*"/
%ignore /[ \t\r\n]+/
"""


def parse(source: str) -> Node:
    """Return the tree of ``source``.

    :raises ExpressionError: on a syntax error or when a size cap is exceeded; the error's
        ``position`` points at the offending character.
    """
    if not isinstance(source, str):
        raise ExpressionError(T("Biểu thức phải là chuỗi ký tự", "An expression must be text"))
    if len(source) > limits.MAX_SOURCE_LENGTH:
        raise ExpressionError(
            T(
                "Biểu thức quá dài ({length} ký tự, tối đa {limit})",
                "The expression is too long ({length} characters, at most {limit})",
                length=len(source),
                limit=limits.MAX_SOURCE_LENGTH,
            ),
            position=limits.MAX_SOURCE_LENGTH,
        )
    if not source.strip():
        raise ExpressionError(T("Biểu thức đang trống", "The expression is empty"), position=0)
    _check_bracket_depth(source)
    try:
        return _parser().parse(source)
    except UnexpectedInput as error:
        raise _syntax_error(source, error) from None


@lru_cache(maxsize=1)
def _parser() -> Lark:
    # Built once; the transformer keeps no state, so one parser serves all threads.
    return Lark(
        GRAMMAR,
        parser="lalr",
        lexer="contextual",
        transformer=_TreeBuilder(),
        maybe_placeholders=False,
        propagate_positions=False,
    )


def _check_bracket_depth(source: str) -> None:
    depth = 0
    quote = ""
    for pos, char in enumerate(source):
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "([":
            depth += 1
            if depth > limits.MAX_DEPTH:
                raise _too_deep(pos)
        elif char in ")]":
            depth -= 1


def _too_deep(pos: int) -> ExpressionError:
    return ExpressionError(
        T(
            "Biểu thức lồng nhau quá sâu (tối đa {limit} tầng); hãy tách thành nhiều công thức",
            "The expression is nested too deeply (at most {limit} levels); split it into several formulas",
            limit=limits.MAX_DEPTH,
        ),
        position=pos,
    )


def _build(cls: type[Node], pos: int, children: tuple[Node, ...], **fields: Any) -> Node:
    size = 1 + sum(child.size for child in children)
    depth = 1 + max((child.depth for child in children), default=0)
    if size > limits.MAX_NODES:
        raise ExpressionError(
            T(
                "Biểu thức quá lớn (tối đa {limit} thành phần); hãy tách thành nhiều công thức",
                "The expression is too large (at most {limit} parts); split it into several formulas",
                limit=limits.MAX_NODES,
            ),
            position=pos,
        )
    if depth > limits.MAX_DEPTH:
        raise _too_deep(pos)
    return cls(pos=pos, size=size, depth=depth, **fields)


class _TreeBuilder(Transformer):
    """lark callbacks, run as each rule is reduced; each returns a :class:`Node`."""

    def number(self, children: list[Token]) -> Node:
        token = children[0]
        whole = token.split(".")[0].lstrip("0")
        # Compare digit counts first, so a 900-digit literal is never converted.
        if len(whole) > len(str(limits.MAX_NUMBER)) or int(whole or "0") > limits.MAX_NUMBER:
            raise ExpressionError(
                T(
                    "Số quá lớn (phần nguyên tối đa {limit})",
                    "The number is too large (integer part at most {limit})",
                    limit=limits.MAX_NUMBER,
                ),
                position=token.start_pos,
            )
        value: int | Decimal = Decimal(str(token)) if "." in token else int(token)
        return _build(Literal, token.start_pos, (), value=value)

    def string(self, children: list[Token]) -> Node:
        token = children[0]
        text = str(token)[1:-1]
        if "\\" in text:
            raise ExpressionError(
                T(
                    "Chuỗi không được chứa dấu `\\`; muốn có dấu nháy trong chuỗi, hãy bao chuỗi bằng loại nháy kia ('...' hoặc \"...\")",
                    "Text may not contain `\\`; to put a quote inside, wrap the text in the other kind of quote ('...' or \"...\")",
                ),
                position=token.start_pos + 1 + text.index("\\"),
            )
        return _build(Literal, token.start_pos, (), value=text)

    def true(self, children: list[Token]) -> Node:
        return _build(Literal, children[0].start_pos, (), value=True)

    def false(self, children: list[Token]) -> Node:
        return _build(Literal, children[0].start_pos, (), value=False)

    def null(self, children: list[Token]) -> Node:
        return _build(Literal, children[0].start_pos, (), value=None)

    def name(self, children: list[Token]) -> Node:
        token = children[0]
        return _build(Name, token.start_pos, (), name=str(token))

    def call(self, children: list[Any]) -> Node:
        token, args = children[0], tuple(children[1:])
        return _build(Call, token.start_pos, args, name=str(token), args=args)

    def list(self, children: list[Any]) -> Node:
        bracket, items = children[0], tuple(children[1:])
        if len(items) > limits.MAX_LIST_LITERAL:
            raise ExpressionError(
                T(
                    "Danh sách quá dài ({count} mục, tối đa {limit})",
                    "The list is too long ({count} items, at most {limit})",
                    count=len(items),
                    limit=limits.MAX_LIST_LITERAL,
                ),
                position=bracket.start_pos,
            )
        return _build(ListLiteral, bracket.start_pos, items, items=items)

    def negate(self, children: list[Any]) -> Node:
        return _build(Negate, children[0].start_pos, (children[1],), operand=children[1])

    def not_op(self, children: list[Any]) -> Node:
        return _build(Not, children[0].start_pos, (children[1],), operand=children[1])

    def compare(self, children: list[Any]) -> Node:
        left, operator, right = children
        return _build(
            Compare,
            operator.start_pos,
            (left, right),
            operator=str(operator),
            left=left,
            right=right,
        )

    def in_op(self, children: list[Any]) -> Node:
        left, keyword, right = children
        return _build(In, keyword.start_pos, (left, right), left=left, right=right)

    def _chain(self, children: list[Any]) -> Node:
        first = children[0]
        steps = tuple(
            (str(children[i]), children[i].start_pos, children[i + 1])
            for i in range(1, len(children), 2)
        )
        operands = (first, *(step[2] for step in steps))
        return _build(Arithmetic, steps[0][1], operands, first=first, steps=steps)

    sum = _chain
    product = _chain

    def _logic(self, children: list[Any]) -> Node:
        operands = tuple(children[0::2])
        operator = children[1]
        return _build(
            Logic, operator.start_pos, operands, operator=str(operator), operands=operands
        )

    or_expr = _logic
    and_expr = _logic


def _syntax_error(source: str, error: UnexpectedInput) -> ExpressionError:
    if isinstance(error, UnexpectedEOF):
        return ExpressionError(
            T(
                "Biểu thức chưa kết thúc (thiếu dấu đóng ngoặc hoặc một giá trị?)",
                "The expression ends too early (a missing closing bracket or value?)",
            ),
            position=len(source),
        )
    if isinstance(error, UnexpectedToken) and error.token.type == "$END":
        return _syntax_error(source, UnexpectedEOF([]))
    pos = error.token.start_pos if isinstance(error, UnexpectedToken) else error.pos_in_stream
    if isinstance(error, UnexpectedCharacters):
        pos = error.pos_in_stream
    pos = pos if isinstance(pos, int) else 0
    return ExpressionError(_explain(source, pos), position=pos)


def _explain(source: str, pos: int) -> Any:
    char = source[pos] if pos < len(source) else ""
    before = source[:pos].rstrip()
    previous = before[-1:] if before else ""
    following = source[pos + 1 : pos + 2]
    word = _word_at(source, pos)
    if char == "*" and (following == "*" or previous == "*"):
        return T(
            "Không có phép lũy thừa `**`; hãy nhân trực tiếp (a * a)",
            "There is no power operator `**`; multiply directly (a * a)",
        )
    if char == ".":
        return T(
            "Không được dùng dấu `.` (truy cập thuộc tính); số thập phân viết như 1.5",
            "`.` is not allowed (no attribute access); decimals are written like 1.5",
        )
    if char == "[" and previous and (previous.isalnum() or previous in "_)]"):
        return T(
            "Không được lấy phần tử theo chỉ số `x[...]`; danh sách chỉ dùng sau `in` hoặc làm tham số hàm",
            "Indexing `x[...]` is not allowed; a list may only follow `in` or be a function argument",
        )
    if char == "[":
        return T(
            "Danh sách `[...]` chỉ dùng sau `in` hoặc làm tham số hàm",
            "A list `[...]` may only follow `in` or be a function argument",
        )
    if char == "(" and previous and previous in ")]":
        return T(
            "Chỉ được gọi hàm theo tên, như `round(x)`; không gọi kết quả của biểu thức",
            "Only functions called by name, like `round(x)`, are allowed; a result cannot be called",
        )
    if char in "'\"":
        return T(
            "Chuỗi chưa được đóng bằng dấu nháy {quote} (chuỗi phải nằm trên một dòng)",
            "The text is missing its closing {quote} quote (text must be on one line)",
            quote=char,
        )
    if char == "\\":
        return T("Không được dùng dấu `\\`", "`\\` is not allowed")
    if word in KEYWORDS:
        return T(
            "`{word}` là từ khóa, không dùng làm tên trường hay đặt ở đây",
            "`{word}` is a keyword; it cannot be a field name or stand here",
            word=word,
        )
    if char and (char.isalpha() and not ("a" <= char <= "z")):
        return T(
            "Ký tự `{char}` không dùng được trong tên: tên trường chỉ gồm a–z, 0–9 và `_` (không dấu, chữ thường); chữ tiếng Việt phải đặt trong dấu nháy",
            "`{char}` cannot be used in a name: field names use only a–z, 0–9 and `_` (lower case, no accents); Vietnamese text goes in quotes",
            char=char,
        )
    if not char:
        return T("Biểu thức kết thúc bất ngờ", "The expression ends unexpectedly")
    return T(
        "Không hiểu `{text}` ở vị trí {pos}",
        "Unexpected `{text}` at position {pos}",
        text=word or char,
        pos=pos,
    )


def _word_at(source: str, pos: int) -> str:
    end = pos
    while end < len(source) and (source[end].isalnum() or source[end] == "_"):
        end += 1
    return source[pos:end]
