"""The unit catalogue over time: change sets after the 1 July 2025 catalogue.

The 2025 catalogue (:mod:`motcua.units.catalogue`) is the starting point. Each later
resolution is a :class:`ChangeSet`, effective from a day and citing its document, that
renames provinces and wards (a province becoming a centrally-run city, communes becoming
wards). :func:`name_on` answers what a unit was called on any day, so a slip prints the
name valid on its date. The change sets shipped with motcua are in ``changes.toml``; more
are applied with ``motcua units apply FILE`` (see :mod:`motcua.tenancy.unit_changes`).

Pure: parsing text and looking names up, no database and no network.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any, Literal

from motcua.errors import UserError
from motcua.i18n import T
from motcua.units.catalogue import province, ward

Level = Literal["province", "ward"]
_KINDS = ("Thành phố", "Tỉnh", "Phường", "Xã", "Đặc khu")


@dataclass(frozen=True)
class Rename:
    """A unit's new name (and with it its type: "Thành phố", "Phường", ...)."""

    level: Level
    code: str
    name: str

    @property
    def kind(self) -> str:
        """Return the type the name starts with ("Thành phố Đồng Nai" -> "Thành phố")."""
        return next((k for k in _KINDS if self.name.startswith(k + " ")), "")

    @property
    def short_name(self) -> str:
        """Return the name without its type ("Thành phố Đồng Nai" -> "Đồng Nai")."""
        return self.name.removeprefix(self.kind).strip() if self.kind else self.name

    def catalogue_name(self) -> str:
        """Return the unit's name in the 2025 catalogue."""
        return province(self.code).name if self.level == "province" else ward(self.code).name


@dataclass(frozen=True)
class ChangeSet:
    """One resolution's changes to the catalogue, from ``effective`` on."""

    key: str
    effective: date
    citation: str
    title: str
    source: str
    renames: tuple[Rename, ...]

    def as_dict(self) -> dict[str, Any]:
        """Return the change set as JSON-ready data (the TOML table's shape)."""
        return {
            "key": self.key,
            "effective": self.effective.isoformat(),
            "citation": self.citation,
            "title": self.title,
            "source": self.source,
            "unit": [{"level": r.level, "code": r.code, "name": r.name} for r in self.renames],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ChangeSet:
        """Return the change set of a ``[[change_set]]`` table (or :meth:`as_dict`).

        :raises UserError: a field is missing, the day is not a date, a code is not in the
            2025 catalogue, or a unit is renamed twice in the set.
        """
        where = str(data.get("key") or "?")
        effective = data.get("effective")
        if not isinstance(effective, date):
            try:
                effective = date.fromisoformat(str(effective))
            except ValueError:
                raise _bad(where, "effective", "ngày YYYY-MM-DD", "a YYYY-MM-DD date") from None
        renames = []
        for unit in data.get("unit") or []:
            level = unit.get("level")
            if level not in ("province", "ward"):
                raise _bad(where, "level", "province hoặc ward", "province or ward")
            rename = Rename(level, str(unit.get("code", "")).strip(), _text(unit, "name", where))
            rename.catalogue_name()  # raises NotFound for a code outside the catalogue
            renames.append(rename)
        if not renames:
            raise _bad(where, "unit", "ít nhất một đơn vị", "at least one unit")
        if len({(r.level, r.code) for r in renames}) != len(renames):
            raise _bad(where, "unit", "mỗi đơn vị một lần", "each unit once")
        return cls(
            key=_text(data, "key", where),
            effective=effective,
            citation=_text(data, "citation", where),
            title=_text(data, "title", where),
            source=_text(data, "source", where),
            renames=tuple(renames),
        )


def parse_change_sets(text: str, *, allow_empty: bool = False) -> list[ChangeSet]:
    """Return the change sets of a TOML text with ``[[change_set]]`` tables, by date.

    :raises UserError: not TOML, no change set (unless ``allow_empty``), a repeated key,
        or a bad entry (the message names the change set).
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise UserError(
            T(
                "Tệp thay đổi đơn vị không phải TOML hợp lệ: {error}",
                "The unit changes file is not valid TOML: {error}",
                error=str(error),
            )
        ) from error
    sets = [ChangeSet.from_dict(table) for table in data.get("change_set") or []]
    if not sets and not allow_empty:
        raise UserError(
            T(
                "Tệp không có mục [[change_set]] nào (xem docs/tenants.md)",
                "The file has no [[change_set]] entry (see docs/tenants.md)",
            )
        )
    keys = [s.key for s in sets]
    for key in keys:
        if keys.count(key) > 1:
            raise _bad(key, "key", "không trùng", "unique")
    return ordered(sets)


@functools.cache
def shipped_change_sets() -> tuple[ChangeSet, ...]:
    """Return the change sets shipped with this release (``changes.toml``)."""
    text = resources.files("motcua.units").joinpath("changes.toml").read_text("utf-8")
    return tuple(parse_change_sets(text, allow_empty=True))


def ordered(sets: Iterable[ChangeSet]) -> list[ChangeSet]:
    """Return ``sets`` by effective day (then key), the order their renames apply in."""
    return sorted(sets, key=lambda s: (s.effective, s.key))


def name_on(level: Level, code: str, day: date, sets: Sequence[ChangeSet]) -> str | None:
    """Return the unit's name on ``day`` by the change sets effective by then, or None
    when none of them renamed it (then the 2025 catalogue's name holds)."""
    name = None
    for change_set in ordered(sets):
        if change_set.effective > day:
            break
        for rename in change_set.renames:
            if rename.level == level and rename.code == code:
                name = rename.name
    return name


def changes_since(since: date, sets: Sequence[ChangeSet]) -> list[tuple[ChangeSet, Rename, str]]:
    """Return each rename effective on or after ``since``: its set, itself and the name it
    replaced (the 2025 name, or an earlier set's)."""
    found = []
    for change_set in ordered(sets):
        for rename in change_set.renames:
            before = name_on(
                rename.level,
                rename.code,
                date.fromordinal(change_set.effective.toordinal() - 1),
                sets,
            )
            if change_set.effective >= since:
                found.append((change_set, rename, before or rename.catalogue_name()))
    return found


def _text(data: dict[str, Any], key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _bad(where, key, "bắt buộc", "required")
    return value.strip()


def _bad(where: str, key: str, vi: str, en: str) -> UserError:
    return UserError(
        T(
            "Thay đổi đơn vị {key_set}: `{key}` phải là {want}",
            "Unit change set {key_set}: `{key}` must be {want_en}",
            key_set=where,
            key=key,
            want=vi,
            want_en=en,
        ),
        field=key,
    )
