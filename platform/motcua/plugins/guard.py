"""Plugin code that runs inside a reception: formula functions and field types.

A plugin's function or parser that raises something other than :class:`UserError` (a
``KeyError`` in its table, say) must not answer the clerk with an HTTP 500. The host wraps
every such callable once, at registration, with :func:`guarded`: the exception becomes a
:class:`UserError` naming the function and the plugin (so the clerk sees a clear 422 on the
field), and it is reported to the ward's admins on the plugins page through the reporter
of the ward being served (:func:`reporting`).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from motcua.errors import UserError
from motcua.i18n import T

log = logging.getLogger("motcua.plugins")

Reporter = Callable[[str, str, BaseException], None]
"""Called as ``reporter(plugin name, what failed, exception)``."""

_reporter: ContextVar[Reporter | None] = ContextVar("motcua_plugin_reporter", default=None)


@contextmanager
def reporting(reporter: Reporter) -> Iterator[None]:
    """Send the failures of plugin code run inside the block to ``reporter``."""
    token = _reporter.set(reporter)
    try:
        yield
    finally:
        _reporter.reset(token)


FORMULA_ERRORS: tuple[type[BaseException], ...] = (UserError, ArithmeticError, ValueError, TypeError)
"""What a formula function may raise for values it cannot work on: the expression engine
explains these to the clerk as bad values, not as a plugin's fault."""


KINDS = {"function": ("Hàm", "Function"), "field_type": ("Kiểu trường", "Field type")}


def guarded(
    plugin: str,
    kind: str,
    name: str,
    func: Callable[..., Any],
    expected: tuple[type[BaseException], ...] = (UserError,),
) -> Callable[..., Any]:
    """Return ``func`` (plugin ``plugin``'s ``kind`` ``name``: a formula function or a field
    type's parser) so that an unexpected exception is reported and raised as a clear
    :class:`UserError` (422). The ``expected`` exceptions (the plugin's own message for
    bad input) pass through.
    """
    vi_kind, en_kind = KINDS[kind]
    what = f"{kind} {name}"

    @functools.wraps(func)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except expected:
            raise
        except Exception as exc:  # noqa: BLE001 - plugin code: anything may come out
            reporter = _reporter.get()
            if reporter is None:
                log.exception("plugin %r failed in %s", plugin, what)
            else:
                try:
                    reporter(plugin, what, exc)
                except Exception:  # noqa: BLE001 - reporting must not hide the clerk's message
                    log.exception("could not report the failure of plugin %r", plugin)
            raise UserError(
                T(
                    "{vi_kind} “{name}” của tiện ích “{plugin}” bị lỗi ({error}); quản trị viên "
                    "đã được báo. Thử lại sau hoặc tiếp nhận không dùng giá trị này.",
                    "{en_kind} “{name}” of plugin “{plugin}” failed ({error}); the admins were "
                    "told. Try again later or receive without this value.",
                    vi_kind=vi_kind,
                    en_kind=en_kind,
                    name=name,
                    plugin=plugin,
                    error=type(exc).__name__,
                ),
                status=422,
                plugin=plugin,
            ) from exc

    return call
