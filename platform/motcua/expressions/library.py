"""The function registry: which names an expression may call, with their signatures.

A :class:`FunctionLibrary` is immutable; :meth:`FunctionLibrary.extended` returns a new
one, so a plugin's functions reach only the tenants whose library includes them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from motcua.expressions.errors import ExpressionError
from motcua.expressions.parser import KEYWORDS
from motcua.expressions.types import ValueType
from motcua.i18n import T, Text

FUNCTION_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")

InferHook = Callable[[list[ValueType]], ValueType]
"""Computes a built-in's result type from its argument types; raises ExpressionError."""


@dataclass(frozen=True)
class FunctionInfo:
    """One callable function: its name, signature and documentation.

    ``overloads`` lists the accepted parameter lists (``date(text)`` or
    ``date(y, m, d)``); ``params`` is the first. With ``variadic`` the last parameter may
    repeat. ``example`` is an expression showing its use (for the docs and the editor).
    """

    name: str
    overloads: tuple[tuple[ValueType, ...], ...]
    returns: ValueType
    doc: Text
    func: Callable[..., Any] = field(compare=False, repr=False)
    variadic: bool = False
    example: str = ""
    needs_context: bool = field(default=False, compare=False, repr=False)
    infer: InferHook | None = field(default=None, compare=False, repr=False)

    @property
    def params(self) -> tuple[ValueType, ...]:
        """Return the first (usually the only) parameter list."""
        return self.overloads[0]

    def signature(self) -> str:
        """Return the call as written in the docs, e.g. ``round(number, number)``."""
        forms = []
        for params in self.overloads:
            names = [param.value for param in params]
            if self.variadic:
                names.append("…")
            forms.append(f"{self.name}({', '.join(names)})")
        return " | ".join(forms)

    def params_for(self, count: int) -> tuple[ValueType, ...] | None:
        """Return the parameter types for a call with ``count`` arguments, None if none fits."""
        for params in self.overloads:
            if count == len(params):
                return params
            if self.variadic and params and count > len(params):
                return params + (params[-1],) * (count - len(params))
        return None


class FunctionLibrary:
    """An immutable registry of functions by name."""

    __slots__ = ("_functions",)

    def __init__(self, functions: Iterable[FunctionInfo] = ()) -> None:
        table: dict[str, FunctionInfo] = {}
        for info in functions:
            table[info.name] = info
        self._functions = MappingProxyType(table)

    @classmethod
    def default(cls) -> FunctionLibrary:
        """Return the standard library of docs/expressions.md (shared, immutable)."""
        return _default_library()

    def extended(
        self,
        name: str,
        func: Callable[..., Any],
        *,
        params: Sequence[ValueType],
        returns: ValueType,
        variadic: bool = False,
        doc: Text | None = None,
    ) -> FunctionLibrary:
        """Return a new library with ``func`` callable as ``name(...)``.

        ``func`` gets the argument values (blank is None) and returns a number (int or
        Decimal), text, date, yes/no, list or None; other results are refused when called.

        :raises ExpressionError: when ``name`` is not ``[a-z][a-z0-9_]*`` (at most 40
            characters), is a keyword, is already defined, or the signature is invalid.
        """
        if not isinstance(name, str) or not FUNCTION_NAME.fullmatch(name) or name in KEYWORDS:
            raise ExpressionError(
                T(
                    "Tên hàm `{name}` không hợp lệ: dùng a–z, 0–9, `_`, bắt đầu bằng chữ, không trùng từ khóa",
                    "Invalid function name `{name}`: use a–z, 0–9, `_`, start with a letter, not a keyword",
                    name=name,
                )
            )
        if name in self._functions:
            raise ExpressionError(
                T("Hàm `{name}` đã có", "Function `{name}` is already defined", name=name)
            )
        if not callable(func):
            raise ExpressionError(
                T("`{name}` phải là một hàm gọi được", "`{name}` must be callable", name=name)
            )
        param_types = tuple(ValueType(param) for param in params)
        if variadic and not param_types:
            raise ExpressionError(
                T(
                    "Hàm `{name}` nhận nhiều tham số thì phải khai báo ít nhất một kiểu tham số",
                    "Variadic function `{name}` needs at least one parameter type",
                    name=name,
                )
            )
        info = FunctionInfo(
            name=name,
            overloads=(param_types,),
            returns=ValueType(returns),
            doc=doc or T("Hàm do plugin bổ sung", "Function added by a plugin"),
            variadic=variadic,
            func=func,
        )
        return FunctionLibrary([*self._functions.values(), info])

    def names(self) -> list[str]:
        """Return the function names, sorted."""
        return sorted(self._functions)

    def __contains__(self, name: object) -> bool:
        return name in self._functions

    def describe(self, name: str) -> FunctionInfo:
        """Return the :class:`FunctionInfo` of ``name``.

        :raises ExpressionError: when there is no such function.
        """
        info = self._functions.get(name)
        if info is None:
            raise unknown_function(name)
        return info


def builtin(
    name: str,
    func: Callable[..., Any],
    overloads: Sequence[Sequence[ValueType]],
    returns: ValueType,
    doc: Text,
    example: str,
    *,
    variadic: bool = False,
    needs_context: bool = False,
    infer: InferHook | None = None,
) -> FunctionInfo:
    """Return the :class:`FunctionInfo` of a built-in function (never raises)."""
    return FunctionInfo(
        name=name,
        overloads=tuple(tuple(params) for params in overloads),
        returns=returns,
        doc=doc,
        func=func,
        variadic=variadic,
        example=example,
        needs_context=needs_context,
        infer=infer,
    )


def unknown_function(name: str) -> ExpressionError:
    """Return the error for a call to a function the library does not have."""
    return ExpressionError(
        T(
            "Hàm `{name}` không tồn tại; xem danh sách hàm trong tài liệu biểu thức",
            "Function `{name}` does not exist; see the function list in the expression docs",
            name=name,
        ),
        function=name,
    )


@lru_cache(maxsize=1)
def _default_library() -> FunctionLibrary:
    # Imported here: the built-in modules import this one for FunctionInfo.
    from motcua.expressions.builtins import default_functions

    return FunctionLibrary(default_functions())
