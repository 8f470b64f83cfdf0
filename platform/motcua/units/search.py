"""Accent-insensitive ward search, for server-side filtered pickers.

The 3,321 wards are never shipped to a browser at once: the picker sends what the user
typed and shows the few best matches this returns.
"""

from __future__ import annotations

import functools

from motcua.units.catalogue import Ward, province, wards
from motcua.units.text import fold


def search_wards(query: str, province_code: str | None = None, limit: int = 20) -> list[Ward]:
    """Return up to ``limit`` wards matching ``query``, best first.

    Matching ignores case and diacritics ("nenh" finds "Phường Nếnh"); every word of the
    query must appear in the ward's name or its province's name ("tam thanh lang son").
    Digits match the start of a ward code. Names starting with the query rank first,
    then names with a word starting with it, then the rest; ties go by name. A blank
    query returns the first wards by name, useful once a province is chosen.

    :raises motcua.errors.NotFound: ``province_code`` is given and unknown.
    """
    if limit <= 0:
        return []
    candidates = wards(province_code)
    needle = fold(query)
    if not needle:
        return sorted(candidates, key=_name_key)[:limit]
    if needle.isdigit():
        return [w for w in candidates if w.code.startswith(needle)][:limit]
    words = needle.split()
    ranked = []
    for unit in candidates:
        short, name, haystack = _folded(unit)
        if not all(word in haystack for word in words):
            continue
        if short.startswith(needle) or name.startswith(needle):
            rank = 0
        elif f" {needle}" in f" {name}":
            rank = 1
        else:
            rank = 2
        ranked.append((rank, _name_key(unit), unit))
    ranked.sort(key=lambda item: item[:2])
    return [unit for _, _, unit in ranked[:limit]]


def _name_key(unit: Ward) -> tuple[str, str]:
    return (fold(unit.short_name), unit.code)


@functools.cache
def _folded(unit: Ward) -> tuple[str, str, str]:
    """Return the folded short name, full name, and full name plus province names."""
    home = province(unit.province_code)
    return (
        fold(unit.short_name),
        fold(unit.name),
        fold(f"{unit.name} {home.name} {home.short_name}"),
    )
