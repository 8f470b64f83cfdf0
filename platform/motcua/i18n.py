"""Bilingual user-visible text: Vietnamese first, English second.

motcua speaks exactly two languages, so every user-visible string is written once as a
pair, side by side in the code, and chosen at the edge (web page, API response, CLI).
Pure modules never look at the request: they build :class:`Text` values and raise
:class:`motcua.errors.UserError` carrying them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"


@dataclass(frozen=True)
class Text:
    """A user-visible message in Vietnamese and English.

    ``params`` are substituted into both halves with :meth:`str.format` when the text is
    rendered, so ``Text("`{name}` không tồn tại", "`{name}` does not exist", {"name": "x"})``
    renders as "`x` không tồn tại".
    """

    vi: str
    en: str
    params: dict[str, Any] = field(default_factory=dict, compare=False)

    def with_params(self, **params: Any) -> Text:
        """Return a copy with ``params`` merged in."""
        return Text(self.vi, self.en, {**self.params, **params})

    def render(self, language: str = DEFAULT_LANGUAGE) -> str:
        """Return the text in ``language`` ("vi" or "en"), parameters filled in."""
        template = self.en if language == "en" else self.vi
        if not self.params:
            return template
        return template.format(**{k: _plain(v, language) for k, v in self.params.items()})

    def as_dict(self) -> dict[str, str]:
        """Return ``{"vi": ..., "en": ...}``, as the JSON API sends it."""
        return {"vi": self.render("vi"), "en": self.render("en")}

    def __str__(self) -> str:
        return self.render(DEFAULT_LANGUAGE)


def T(vi: str, en: str, **params: Any) -> Text:  # noqa: N802 - reads like gettext's _()
    """Build a :class:`Text`; the short name keeps call sites readable."""
    return Text(vi, en, params)


def _plain(value: Any, language: str) -> Any:
    return value.render(language) if isinstance(value, Text) else value
