"""The process's renderers: one :class:`PrintRenderer` and one :class:`SandboxedRenderer`.

Both are expensive to start (fonts, parsed CSS, a warm child process) and cheap to reuse,
so a process keeps one of each, created on first use and closed when the process exits.
They are process resources, not request state: a forked child (a new pid) builds its own.
"""

from __future__ import annotations

import atexit
import os
import threading
from typing import Any

from motcua.printing.render import PrintRenderer
from motcua.printing.sandbox import SandboxedRenderer


class Renderers:
    """The built-in renderer and the sandbox, started lazily; renders one layer's template.

    ``render`` serialises callers of the built-in renderer (WeasyPrint is not thread-safe);
    the sandbox serialises its own callers.
    """

    def __init__(self, *, sandbox_timeout: float = 10.0) -> None:
        self.sandbox_timeout = sandbox_timeout
        self._lock = threading.Lock()
        self._builtin: PrintRenderer | None = None
        self._sandbox: SandboxedRenderer | None = None

    @property
    def builtin(self) -> PrintRenderer:
        """Return the trusted renderer of motcua's own templates (started on first use)."""
        with self._lock:
            if self._builtin is None:
                self._builtin = PrintRenderer()
            return self._builtin

    @property
    def sandbox(self) -> SandboxedRenderer:
        """Return the sandbox for administrators' and plugins' templates (started on first use)."""
        with self._lock:
            if self._sandbox is None:
                self._sandbox = SandboxedRenderer(timeout=self.sandbox_timeout)
            return self._sandbox

    def render(
        self, form: str, context: dict[str, Any], *, source: str | None, paper: str
    ) -> bytes:
        """Return the PDF of ``form``: the built-in template when ``source`` is None, else
        ``source`` in the sandbox.

        :raises TemplateFailed: the user template failed or ran too long.
        :raises UserError: non-plain context, unknown paper or a refused resource.
        """
        if source is None:
            renderer = self.builtin
            with self._lock:
                return renderer.render_pdf(form, context, paper=paper)
        return self.sandbox.render_user_template(source, context, paper)

    def render_document(self, template: str, context: dict[str, Any], *, paper: str) -> bytes:
        """Return the PDF of motcua's own ``template`` (a file of ``printing/templates`` that
        is not a legal form, such as ``report.html``) filled with ``context``.

        :raises UserError: unknown paper or a refused resource.
        """
        renderer = self.builtin
        with self._lock:
            html = renderer.env.get_template(template).render(**context)
            return renderer.html_to_pdf(html, paper)

    def close(self) -> None:
        """Stop the sandbox child; the renderers start again on next use."""
        with self._lock:
            if self._sandbox is not None:
                self._sandbox.close()
                self._sandbox = None


_process: dict[int, Renderers] = {}
_process_lock = threading.Lock()


def process_renderers() -> Renderers:
    """Return this process's :class:`Renderers`, creating them on first call."""
    pid = os.getpid()
    with _process_lock:
        found = _process.get(pid)
        if found is None:
            found = _process[pid] = Renderers()
            atexit.register(found.close)
        return found
