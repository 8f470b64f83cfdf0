"""Render untrusted templates in a long-lived child process with a wall-clock limit.

A Jinja loop cannot be interrupted from inside its own thread, so the limit is enforced
from outside: the parent waits on a pipe, and when the time is up it kills the child and
starts a fresh one. The child keeps a warm :class:`PrintRenderer` between renders and
runs under an address-space limit, so a template cannot exhaust the server's memory.
"""

from __future__ import annotations

import multiprocessing
import threading
from multiprocessing.connection import Connection
from typing import Any

from motcua.errors import UserError
from motcua.i18n import T
from motcua.printing.templating import TemplateFailed, plain_data

DEFAULT_TIMEOUT = 10.0
STARTUP_TIMEOUT = 60.0
DEFAULT_MEMORY_MB = 1024


class SandboxedRenderer:
    """Renders administrators' and plugins' templates to PDF, isolated in a child process.

    :param timeout: seconds a render may take before the child is killed and replaced.
    :param start_method: multiprocessing start method; "forkserver" (default) starts the
        child from a clean process, which is safe even when the app runs threads.
    :param memory_mb: extra address space the child may use beyond what it has after
        warming up; 0 disables the limit.

    One render runs at a time per instance (a lock serialises callers); create one per
    web worker. Call :meth:`close` (or use ``with``) to stop the child.
    """

    def __init__(
        self,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        start_method: str = "forkserver",
        memory_mb: int = DEFAULT_MEMORY_MB,
    ) -> None:
        self.timeout = timeout
        self.memory_mb = memory_mb
        self._mp = multiprocessing.get_context(start_method)
        self._lock = threading.Lock()
        self._process: Any = None
        self._conn: Connection | None = None
        self._ready = False
        self._start()

    def render_user_template(
        self,
        source: str,
        context: dict[str, Any],
        paper: str = "A4",
        *,
        timeout: float | None = None,
    ) -> bytes:
        """Return the PDF of the sandboxed template ``source`` filled with ``context``.

        ``context`` is deep-copied to plain data before it leaves this process.

        :raises UserError: ``context`` holds non-plain objects, or the template loads an
            outside resource.
        :raises TemplateFailed: the template failed (message names the line), ran longer
            than the time limit, or the renderer stopped unexpectedly.
        """
        data = plain_data(context)
        limit = self.timeout if timeout is None else timeout
        with self._lock:
            conn = self._ensure_ready()
            conn.send((source, data, paper))
            if not conn.poll(limit):
                self._restart()
                raise TemplateFailed(
                    T(
                        "Mẫu in chạy quá {seconds} giây nên đã bị dừng. Hãy kiểm tra các "
                        "vòng lặp lồng nhau hoặc giảm lượng dữ liệu.",
                        "The print template ran longer than {seconds} seconds and was "
                        "stopped. Check nested loops or reduce the data.",
                        seconds=f"{limit:g}",
                    ),
                    reason="timeout",
                )
            try:
                reply = conn.recv()
            except (EOFError, OSError):
                self._restart()
                raise TemplateFailed(
                    T(
                        "Bộ in mẫu dừng đột ngột (có thể do mẫu dùng quá nhiều bộ nhớ); "
                        "đã khởi động lại. Hãy đơn giản hóa mẫu rồi thử lại.",
                        "The template renderer stopped unexpectedly (perhaps the template "
                        "used too much memory); it has been restarted. Simplify the "
                        "template and try again.",
                    ),
                    reason="crashed",
                ) from None
        return _unpack(reply)

    def close(self) -> None:
        """Stop the child process; the renderer cannot be used afterwards."""
        with self._lock:
            self._stop()

    def __enter__(self) -> SandboxedRenderer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _start(self) -> None:
        parent_conn, child_conn = self._mp.Pipe()
        process = self._mp.Process(
            target=serve, args=(child_conn, self.memory_mb), name="motcua-print-sandbox"
        )
        process.daemon = True
        process.start()
        child_conn.close()
        self._process, self._conn, self._ready = process, parent_conn, False

    def _stop(self) -> None:
        if self._conn is not None:
            self._conn.close()
        if self._process is not None:
            self._process.kill()
            self._process.join(5)
        self._process, self._conn = None, None

    def _restart(self) -> None:
        self._stop()
        self._start()

    def _ensure_ready(self) -> Connection:
        if self._conn is None:
            raise RuntimeError("SandboxedRenderer is closed")
        if not self._ready:
            try:
                started = self._conn.poll(STARTUP_TIMEOUT) and self._conn.recv() == ("ready",)
            except (EOFError, OSError):
                started = False
            if not started:
                self._restart()
                raise TemplateFailed(
                    T(
                        "Bộ in mẫu không khởi động được; hãy thử lại sau.",
                        "The template renderer did not start; try again later.",
                    ),
                    reason="startup",
                )
            self._ready = True
        return self._conn


def _unpack(reply: tuple[Any, ...]) -> bytes:
    kind = reply[0]
    if kind == "ok":
        return reply[1]
    _, error_class, vi, en, params, details = reply
    cls = TemplateFailed if error_class == "TemplateFailed" else UserError
    raise cls(T(vi, en, **params), **details)


def serve(conn: Connection, memory_mb: int) -> None:
    """Child-process loop: warm a renderer, then answer ``(source, context, paper)`` requests.

    Replies are ``("ok", pdf_bytes)`` or ``("error", class name, vi, en, params, details)``
    (exceptions themselves are not sent, as they may not pickle). Returns when the pipe
    closes.
    """
    from motcua.printing.render import PrintRenderer
    from motcua.printing.samples import sample_context

    renderer = PrintRenderer()
    renderer.render_pdf("ticket", sample_context("ticket"))
    if memory_mb > 0:
        _limit_memory(memory_mb)
    conn.send(("ready",))
    while True:
        try:
            source, context, paper = conn.recv()
        except (EOFError, OSError):
            return
        try:
            pdf = renderer.render_pdf("custom", context, template_source=source, paper=paper)
            conn.send(("ok", pdf))
        except UserError as exc:
            conn.send(_error_reply(exc))
        except MemoryError:
            conn.send(
                _error_reply(
                    TemplateFailed(
                        T(
                            "Mẫu in dùng quá nhiều bộ nhớ nên đã bị dừng.",
                            "The print template used too much memory and was stopped.",
                        ),
                        reason="memory",
                    )
                )
            )
        except Exception as exc:
            conn.send(
                _error_reply(
                    TemplateFailed(
                        T(
                            "Không in được mẫu: {detail}",
                            "Could not print the template: {detail}",
                            detail=f"{type(exc).__name__}: {exc}"[:300],
                        )
                    )
                )
            )


def _error_reply(exc: UserError) -> tuple[Any, ...]:
    params = {key: str(value) for key, value in exc.text.params.items()}
    details = {key: value for key, value in exc.details.items() if isinstance(value, str | int)}
    return ("error", type(exc).__name__, exc.text.vi, exc.text.en, params, details)


def _limit_memory(memory_mb: int) -> None:
    try:
        import resource
    except ImportError:  # not on Unix: the time limit still applies
        return
    try:
        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[0])
    except OSError:  # no procfs: the time limit still applies
        return
    current = pages * resource.getpagesize()
    limit = current + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
