"""The two Jinja environments: trusted built-in templates, and sandboxed user templates.

Templates written by ward administrators (notebook template cells) and by plugins are
untrusted: they run in :func:`sandboxed_environment`, see only plain data
(:func:`plain_data`), cannot reach files, and their output is capped. Errors come back as
:class:`TemplateFailed` naming the template line. The wall-clock limit is enforced
outside the rendering thread, by :class:`motcua.printing.sandbox.SandboxedRenderer`.
"""

from __future__ import annotations

import re
import traceback
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, Template, Undefined, nodes
from jinja2.exceptions import (
    SecurityError,
    TemplateAssertionError,
    TemplateSyntaxError,
    UndefinedError,
)
from jinja2.sandbox import ImmutableSandboxedEnvironment

from motcua.errors import UserError
from motcua.i18n import T, Text
from motcua.printing.formatting import FILTERS

MAX_OUTPUT_CHARS = 1_000_000
MAX_REPEAT_CHARS = 100_000  # largest "x" * n a template may build in one step
MAX_EXPONENT = 1_000
MAX_CONTEXT_DEPTH = 32
_TEMPLATE_FILENAME = "<template>"


class TemplateFailed(UserError):
    """A user template could not be rendered; the message names the line and the reason."""

    status = 422


class _SandboxEnvironment(ImmutableSandboxedEnvironment):
    """Sandbox that also refuses huge repetitions and powers before computing them."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """Return ``left <operator> right``; raise :class:`SecurityError` if too large."""
        if operator == "*":
            for sequence, count in ((left, right), (right, left)):
                if (
                    isinstance(sequence, str | list | tuple)
                    and isinstance(count, int)
                    and len(sequence) * count > MAX_REPEAT_CHARS
                ):
                    raise SecurityError(f"repetition too large (over {MAX_REPEAT_CHARS:,} items)")
        if operator == "**" and isinstance(right, int | float) and abs(right) > MAX_EXPONENT:
            raise SecurityError(f"exponent too large (over {MAX_EXPONENT})")
        return super().call_binop(context, operator, left, right)


def builtin_environment(templates_dir: Path) -> Environment:
    """Return the environment for motcua's own templates (trusted, autoescaping)."""
    env = Environment(
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(FILTERS)
    return env


class _PlainRange:
    """``range(...)`` for templates, printed as plain text: Jinja's own globals (``range``,
    ``dict``, ``lipsum``, ``cycler``, ``joiner``, ``namespace``) print as class and function
    reprs with memory addresses, and ``cycler``/``namespace`` are mutable state."""

    def __call__(self, *args: int) -> range:
        numbers = range(*args)
        if len(numbers) > MAX_RANGE_ITEMS:
            raise OverflowError(f"range too large (over {MAX_RANGE_ITEMS:,} items)")
        return numbers

    def __repr__(self) -> str:
        return "range"

    __str__ = __repr__


#: Everything a user template can call besides its data: documented in docs/printing.md.
SANDBOX_GLOBALS: dict[str, Any] = {"range": _PlainRange()}
MAX_RANGE_ITEMS = 100_000
# How an object's repr reads once autoescaped into the output: a class, function, method,
# a Jinja internal (loop, macro, self) or a memory address.
_REPR = re.compile(
    r"(?:&lt;|<)(?:class |function |bound method |built-in |method |Macro |LoopContext|"
    r"TemplateReference|Undefined|jinja2\.|motcua\.|range_iterator)|object at 0x|\bat 0x[0-9a-fA-F]{6,}"
)


def _printable(value: Any) -> Any:
    """``{{ … }}`` prints data only: text, numbers, dates, yes/no, lists and dicts of them."""
    if isinstance(value, (*_SCALARS, Undefined)):
        return value
    if isinstance(value, list | tuple | range):
        for item in value:
            _printable(item)
        return value
    if isinstance(value, dict):
        for key, item in value.items():
            _printable(key)
            _printable(item)
        return value
    raise SecurityError("only data (text, numbers, dates, lists) can be printed, not a function or an object")


def sandboxed_environment() -> Environment:
    """Return a sandbox for untrusted templates.

    Immutable sandbox, autoescape on, no loader (nothing can be included, imported or
    extended), without the ``attr`` filter (it would bypass attribute checks), with only
    :data:`SANDBOX_GLOBALS` as globals, and printing only plain data (``_printable``).
    """
    env = _SandboxEnvironment(autoescape=True, loader=None, finalize=_printable)
    env.filters.pop("attr", None)
    env.filters.update(FILTERS)
    env.globals.clear()
    env.globals.update(SANDBOX_GLOBALS)
    return env


def compile_source(env: Environment, source: str) -> Template:
    """Return ``source`` compiled in ``env``.

    :raises TemplateFailed: a syntax error, an unknown or forbidden filter, or an
        ``include`` / ``import`` / ``extends`` tag (user templates must be self-contained).
    """
    try:
        tree = env.parse(source)
        for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
            raise TemplateFailed(
                T(
                    "Dòng {line}: mẫu in không được dùng include, import hay extends; "
                    "hãy viết toàn bộ nội dung trong một mẫu.",
                    "Line {line}: a print template may not use include, import or extends; "
                    "write the whole layout in one template.",
                    line=node.lineno,
                ),
                line=node.lineno,
            )
        return env.from_string(tree)
    except TemplateSyntaxError as exc:
        raise template_failure(exc) from None


def render_limited(
    template: Template, context: dict[str, Any], limit: int = MAX_OUTPUT_CHARS
) -> str:
    """Return the template's output, stopping as soon as it exceeds ``limit`` characters.

    :raises TemplateFailed: the template raised, or its output is too large.
    """
    parts: list[str] = []
    size = 0
    try:
        for chunk in template.generate(**context):
            size += len(chunk)
            if size > limit:
                raise TemplateFailed(
                    T(
                        "Mẫu in tạo ra quá nhiều nội dung (hơn {limit} ký tự). "
                        "Hãy kiểm tra các vòng lặp.",
                        "The print template produced too much output (over {limit} "
                        "characters). Check its loops.",
                        limit=f"{limit:,}",
                    )
                )
            parts.append(chunk)
    except TemplateFailed:
        raise
    except Exception as exc:
        raise template_failure(exc) from None
    output = "".join(parts)
    leaked = _REPR.search(output)
    if leaked:  # an object turned to text another way (``|string``, ``~``, ``format``)
        raise TemplateFailed(
            T(
                "Mẫu in in ra một hàm hay đối tượng nội bộ (gần “{near}”); chỉ in được dữ liệu: chữ, số, ngày",
                "The print template printed an internal function or object (near “{near}”); only data can be printed: text, numbers, dates",
                near=output[max(0, leaked.start() - 20) : leaked.start()].strip()[-20:],
            ),
            reason="repr",
        )
    return output


def template_failure(exc: BaseException) -> TemplateFailed:
    """Return a :class:`TemplateFailed` saying on which template line ``exc`` happened, and why."""
    line = getattr(exc, "lineno", None)
    if line is None:
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename == _TEMPLATE_FILENAME:
                line = frame.lineno
                break
    detail = str(getattr(exc, "message", None) or exc) or type(exc).__name__
    reason = _reason(exc)
    where_vi = f"Dòng {line}: " if line else ""
    where_en = f"Line {line}: " if line else ""
    return TemplateFailed(
        T(
            where_vi + reason.vi + " ({detail})",
            where_en + reason.en + " ({detail})",
            detail=detail,
        ),
        line=line,
    )


def _reason(exc: BaseException) -> Text:
    if isinstance(exc, TemplateAssertionError):
        return T(
            "bộ lọc hoặc phép thử không tồn tại hoặc bị cấm",
            "unknown or forbidden filter or test",
        )
    if isinstance(exc, TemplateSyntaxError):
        return T("lỗi cú pháp mẫu", "template syntax error")
    if isinstance(exc, SecurityError):
        return T("thao tác bị chặn vì lý do an toàn", "operation blocked for safety")
    if isinstance(exc, OverflowError):
        return T("vòng lặp hoặc số quá lớn", "loop or number too large")
    if isinstance(exc, UndefinedError):
        return T("không có dữ liệu này", "no such data")
    if isinstance(exc, MemoryError):
        return T("mẫu in dùng quá nhiều bộ nhớ", "the template used too much memory")
    return T("lỗi khi điền mẫu", "error while filling the template")


_SCALARS = (str, bool, int, float, Decimal, datetime, date, time, type(None))


def plain_data(value: Any, path: str = "context", depth: int = 0) -> Any:
    """Return a deep copy of ``value`` made only of dict, list and scalar values.

    Scalars are str, bool, int, float, Decimal, date, datetime, time and None; tuples
    become lists and str subclasses (such as ``Markup``) become plain str, so they are
    escaped like any other text.

    :raises UserError: ``value`` holds another kind of object, a non-string dict key, or
        nests deeper than 32 levels (which also catches cycles).
    """
    if depth > MAX_CONTEXT_DEPTH:
        raise UserError(
            T(
                "Dữ liệu mẫu in lồng nhau quá sâu tại {path}.",
                "Print data nests too deeply at {path}.",
                path=path,
            )
        )
    if isinstance(value, _SCALARS):
        return str(value) if isinstance(value, str) and type(value) is not str else value
    if isinstance(value, dict):
        copy: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise UserError(
                    T(
                        "Khóa {key!r} tại {path} phải là chuỗi.",
                        "Key {key!r} at {path} must be a string.",
                        key=key,
                        path=path,
                    )
                )
            copy[str(key)] = plain_data(item, f"{path}.{key}", depth + 1)
        return copy
    if isinstance(value, list | tuple):
        return [plain_data(item, f"{path}[{i}]", depth + 1) for i, item in enumerate(value)]
    raise UserError(
        T(
            "Dữ liệu mẫu in tại {path} có kiểu {kind} không được phép; chỉ dùng dict, list, "
            "chuỗi, số, ngày giờ.",
            "Print data at {path} has type {kind}, which is not allowed; use only dicts, "
            "lists, strings, numbers, dates and times.",
            path=path,
            kind=type(value).__name__,
        )
    )
