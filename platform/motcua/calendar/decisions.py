"""The Government's calendar decisions: days off and swapped working days, one per document.

Each year the Government announces the Tết, New Year and National Day swaps a few weeks
ahead, faster than the ``holidays`` package is released; a legal deadline cannot wait for
it. A :class:`Decision` names its document and says which days become days off and which
become working days. The decisions shipped with motcua are in ``decisions.toml`` beside
this module; :func:`parse_decisions` reads the same format from a file or URL that
province IT loads with ``motcua calendar update``.

Pure: parsing text and merging lists, no database and no network.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

from motcua.errors import UserError
from motcua.i18n import T


@dataclass(frozen=True)
class Decision:
    """One Government document about the national calendar.

    ``days_off`` become days off and ``working_days`` become working days for every ward,
    over what ``holidays`` says and under the province's and the ward's own days.
    """

    number: str
    issued: date
    name: str
    name_en: str
    source: str
    days_off: tuple[date, ...] = ()
    working_days: tuple[date, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """Return the decision as plain JSON-ready data (dates as ISO text)."""
        return {
            "number": self.number,
            "issued": self.issued.isoformat(),
            "name": self.name,
            "name_en": self.name_en,
            "source": self.source,
            "days_off": [day.isoformat() for day in self.days_off],
            "working_days": [day.isoformat() for day in self.working_days],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Decision:
        """Return the decision :meth:`as_dict` wrote (or a TOML table of the same shape).

        :raises UserError: a field is missing, a date is not a date, or a day is both a day
            off and a working day.
        """
        where = str(data.get("number") or "?")
        number = _text(data, "number", where)
        decision = cls(
            number=number,
            issued=_day(data.get("issued"), "issued", where),
            name=_text(data, "name", where),
            name_en=str(data.get("name_en") or data.get("name") or ""),
            source=_text(data, "source", where),
            days_off=tuple(sorted(_days(data.get("days_off", []), "days_off", where))),
            working_days=tuple(sorted(_days(data.get("working_days", []), "working_days", where))),
        )
        both = set(decision.days_off) & set(decision.working_days)
        if both:
            raise UserError(
                T(
                    "Văn bản {number}: ngày {day} vừa là ngày nghỉ vừa là ngày làm việc",
                    "Document {number}: {day} is both a day off and a working day",
                    number=number,
                    day=min(both).isoformat(),
                ),
                field="days_off",
            )
        if not decision.days_off and not decision.working_days:
            raise UserError(
                T(
                    "Văn bản {number} không có ngày nào (days_off, working_days)",
                    "Document {number} names no day (days_off, working_days)",
                    number=number,
                ),
                field="days_off",
            )
        return decision


def parse_decisions(text: str) -> list[Decision]:
    """Return the decisions of a TOML text with ``[[decision]]`` tables, by document date.

    :raises UserError: the text is not TOML, holds no decision, repeats a document number
        or has a bad entry (the message names the document).
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise UserError(
            T(
                "Tệp quyết định lịch không phải TOML hợp lệ: {error}",
                "The calendar decisions file is not valid TOML: {error}",
                error=str(error),
            )
        ) from error
    tables = data.get("decision")
    if not isinstance(tables, list) or not tables:
        raise UserError(
            T(
                "Tệp không có mục [[decision]] nào (xem docs/calendar.md)",
                "The file has no [[decision]] entry (see docs/calendar.md)",
            )
        )
    decisions = [Decision.from_dict(table) for table in tables if isinstance(table, dict)]
    seen: set[str] = set()
    for decision in decisions:
        if decision.number in seen:
            raise UserError(
                T(
                    "Văn bản {number} xuất hiện hai lần trong tệp",
                    "Document {number} appears twice in the file",
                    number=decision.number,
                ),
                field="number",
            )
        seen.add(decision.number)
    return sorted(decisions, key=lambda d: (d.issued, d.number))


@functools.cache
def shipped_decisions() -> tuple[Decision, ...]:
    """Return the decisions shipped with this release of motcua (``decisions.toml``)."""
    text = resources.files("motcua.calendar").joinpath("decisions.toml").read_text("utf-8")
    return tuple(parse_decisions(text))


def layered(shipped: Iterable[Decision], loaded: Iterable[Decision]) -> list[Decision]:
    """Return ``shipped`` with ``loaded`` over it: a loaded document replaces the shipped one
    with the same number (a correction), and the rest are added; ordered by date."""
    by_number = {decision.number: decision for decision in shipped}
    by_number.update({decision.number: decision for decision in loaded})
    return sorted(by_number.values(), key=lambda d: (d.issued, d.number))


def _text(data: dict[str, Any], key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise UserError(
            T(
                "Văn bản {number}: thiếu trường `{key}`",
                "Document {number}: the field `{key}` is missing",
                number=where,
                key=key,
            ),
            field=key,
        )
    return value.strip()


def _day(value: Any, key: str, where: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise UserError(
            T(
                "Văn bản {number}: `{key}` = {value} không phải ngày (YYYY-MM-DD)",
                "Document {number}: `{key}` = {value} is not a date (YYYY-MM-DD)",
                number=where,
                key=key,
                value=str(value),
            ),
            field=key,
        ) from None


def _days(values: Any, key: str, where: str) -> list[date]:
    if not isinstance(values, list):
        values = [values]
    return [_day(value, key, where) for value in values]
