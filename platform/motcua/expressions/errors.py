"""The one error type of the expression language."""

from __future__ import annotations

from typing import Any

from motcua.errors import UserError
from motcua.i18n import Text


class ExpressionError(UserError):
    """An expression that cannot be parsed, checked or evaluated.

    :param text: what is wrong and how to fix it, Vietnamese and English.
    :param position: character offset in the source where the problem is, when known;
        also sent to the client as ``details["position"]`` so an editor can point at it.
    """

    def __init__(self, text: Text, *, position: int | None = None, **details: Any) -> None:
        super().__init__(text, position=position, **details)
        self.position = position

    def at(self, position: int | None) -> ExpressionError:
        """Return this error with ``position`` filled in when it has none yet."""
        if self.position is not None or position is None:
            return self
        extra = {k: v for k, v in self.details.items() if k != "position"}
        located = ExpressionError(self.text, position=position, **extra)
        located.__cause__ = self.__cause__
        return located
