"""Errors that reach a user: each carries a bilingual message and an HTTP status."""

from __future__ import annotations

from typing import Any

from motcua.i18n import Text


class UserError(Exception):
    """Bad input or a refused action, explained to the user.

    :param text: what went wrong and how to fix it, in Vietnamese and English.
    :param status: the HTTP status a web layer answers with (400 by default).
    :param details: machine-readable extras, e.g. ``{"field": "ho_ten"}`` or per-field errors.
    """

    status = 400

    def __init__(self, text: Text, *, status: int | None = None, **details: Any) -> None:
        super().__init__(text.render("vi"))
        self.text = text
        if status is not None:
            self.status = status
        self.details = details

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON body an API answers with."""
        return {"error": {"message": self.text.as_dict(), **self.details}}


class NotFound(UserError):
    """The thing does not exist, or belongs to another ward (never say which)."""

    status = 404


class Forbidden(UserError):
    """The user may not do this here."""

    status = 403


class Conflict(UserError):
    """Someone else changed the thing first (optimistic locking)."""

    status = 409


class ValidationFailed(UserError):
    """Per-field validation errors; ``errors`` maps a field name to its :class:`Text`."""

    status = 422

    def __init__(self, text: Text, errors: dict[str, Text]) -> None:
        super().__init__(text)
        self.errors = errors

    def as_dict(self) -> dict[str, Any]:
        body = super().as_dict()
        body["error"]["fields"] = {name: msg.as_dict() for name, msg in self.errors.items()}
        return body
