"""Old (pre-merger) address text to the new ward, offline.

The package's own ``convert_address`` geocodes addresses of split wards that carry a
street, through an online service. motcua must work without network, so this module
only uses the package's parser and its converter tables, and leaves the choice between
the parts of a split ward to the person at the counter.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

from motcua.i18n import T, Text
from motcua.units.catalogue import (
    LegacyUnit,
    Ward,
    _legacy,
    legacy_by_key,
    new_province_of_legacy_key,
    new_wards_of_legacy_key,
    province,
)
from motcua.units.text import fold

# The kind written before an old unit's name, folded, longest first ("thi tran" before "t").
_KINDS = ("thi tran ", "phuong ", "xa ", "tt. ", "tt ", "p. ", "p.", "x. ", "x.")
_PROVINCE_KINDS = ("thanh pho ", "tinh ", "tp. ", "tp ", "t. ")


@dataclass(frozen=True)
class Conversion:
    """What an old address became.

    ``old`` is the recognised pre-merger unit (None when no ward was recognised);
    ``candidates`` the new wards it went into, the package's default first (one for a
    whole ward, several for a split ward, none when nothing was recognised); ``hint`` a
    sentence for the person at the counter.
    """

    old: LegacyUnit | None
    candidates: list[Ward]
    hint: Text


def convert_old_address(text: str) -> Conversion:
    """Return the new ward(s) for an old address like "Xã Vân Trung, Huyện Việt Yên, Tỉnh Bắc Giang".

    Never raises on unrecognised text: the :class:`Conversion` then has no candidates and
    a hint explaining how to write the address. Never touches the network.
    """
    if not text or not text.strip():
        return Conversion(
            None,
            [],
            T(
                "Hãy nhập địa chỉ cũ theo dạng: xã/phường, huyện/quận, tỉnh/thành phố.",
                "Enter the old address as: commune/ward, district, province.",
            ),
        )
    # Imported here: the package loads its parser tables (and geopy) on import, which
    # only this function needs.
    from vietnamadminunits import ParseMode, parse_address

    parsed = parse_address(text, mode=ParseMode.LEGACY, level=3)
    if not parsed.province_key:
        return Conversion(
            None,
            [],
            T(
                "Không nhận ra tỉnh, thành phố cũ trong “{text}”. Hãy ghi đủ: xã/phường, "
                "huyện/quận, tỉnh/thành phố (trước sáp nhập 2025).",
                "Could not recognise an old province in “{text}”. Write it in full: "
                "commune/ward, district, province (as before the 2025 merger).",
                text=text.strip(),
            ),
        )
    old_key = f"{parsed.province_key}_{parsed.district_key}_{parsed.ward_key or ''}"
    old = legacy_by_key(old_key) if parsed.district_key else None
    if old is None and not parsed.ward_key:
        # No district written ("xã Thượng Yên Công, tỉnh Quảng Ninh"): the old unit's name
        # alone, when the province had one unit of that name; candidates when it had several.
        keys = _named_in_province(text, parsed.province_key, parsed.province or "")
        if len(keys) == 1:
            old_key, old = keys[0], legacy_by_key(keys[0])
        elif keys:
            return _ambiguous(keys)
    candidates = new_wards_of_legacy_key(old_key) if old else []
    if old is None or not candidates:
        new_province = new_province_of_legacy_key(parsed.province_key)
        found = ", ".join(part for part in (parsed.district, parsed.province) if part)
        return Conversion(
            None,
            [],
            T(
                "Chỉ nhận ra {found}, không nhận ra xã, phường cũ. Nay thuộc {province}; "
                "hãy chọn xã, phường mới trong danh sách.",
                "Only recognised {found}, not the old commune or ward. It is now in "
                "{province}; pick the new ward from the list.",
                found=found,
                province=new_province.name if new_province else parsed.province,
            ),
        )
    new_province = province(candidates[0].province_code)
    if len(candidates) == 1:
        hint = T(
            "{old} ({where}) cũ nay thuộc {new}, {province}.",
            "The former {old} ({where}) is now part of {new}, {province}.",
            old=old.name,
            where=_where(old),
            new=candidates[0].name,
            province=new_province.name,
        )
    else:
        hint = T(
            "{old} ({where}) cũ đã được chia cho {count} đơn vị mới: "
            "phần chính nay thuộc {new}, phần còn lại thuộc {others} ({province}). "
            "Hãy kiểm tra theo tên đường, thôn, tổ dân phố.",
            "The former {old} ({where}) was split across {count} new "
            "units: most of it is now in {new}, the rest in {others} ({province}). "
            "Check the street or village.",
            old=old.name,
            where=_where(old),
            count=len(candidates),
            new=candidates[0].name,
            others=", ".join(w.name for w in candidates[1:]),
            province=new_province.name,
        )
    return Conversion(old, candidates, hint)


def _where(old: LegacyUnit) -> str:
    # Island districts had no wards: the unit is the district itself.
    if old.name == old.district_name:
        return old.province_name
    return f"{old.district_name}, {old.province_name}"


def _bare(folded: str, kinds: tuple[str, ...] = _KINDS) -> str:
    for kind in kinds:
        if folded.startswith(kind):
            return folded.removeprefix(kind).strip()
    return folded


def _spelled(text: str) -> str:
    """Return ``text`` lower-cased with its diacritics, spaces collapsed (NFC)."""
    return " ".join(unicodedata.normalize("NFC", text).lower().split())


def _name_key(text: str, accented: bool) -> str:
    # The kind is stripped on the folded text; the accented name keeps the same length
    # after it, as folding only drops marks.
    folded = fold(text)
    bare = _bare(folded)
    if not accented:
        return bare
    spelled = _spelled(text)
    return spelled[len(spelled) - len(bare):] if bare else ""


@functools.cache
def _old_units_by_name() -> dict[tuple[str, str, bool], tuple[str, ...]]:
    """Return (old province key, name without its kind, accented?) -> the old units' keys.

    Each unit is filed twice: under its accented name ("thành") and its folded one
    ("thanh"), so "Xã Tân Thành" never matches "Xã Tân Thanh", and "tan thanh" typed
    without diacritics finds both.
    """
    found: dict[tuple[str, str, bool], list[str]] = {}
    for key, unit in _legacy().by_key.items():
        if unit.code is None:  # an island district: named by the district itself
            continue
        province_key = key.split("_", 1)[0]
        for accented in (True, False):
            found.setdefault((province_key, _name_key(unit.name, accented), accented), []).append(key)
    return {name: tuple(keys) for name, keys in found.items()}


def _named_in_province(text: str, province_key: str, province_name: str) -> list[str]:
    """Return the keys of the old units of the province named by a part of ``text``."""
    index = _old_units_by_name()
    own = _bare(fold(province_name), _PROVINCE_KINDS)
    keys: list[str] = []
    for part in text.split(","):
        folded = fold(part)
        if not folded or _bare(folded, _PROVINCE_KINDS) == own:
            continue
        accented = folded != _spelled(part)  # typed with diacritics: match them
        for key in index.get((province_key, _name_key(part, accented), accented), ()):
            if key not in keys:
                keys.append(key)
    return keys


def _ambiguous(keys: list[str]) -> Conversion:
    units = [unit for unit in (legacy_by_key(key) for key in keys) if unit is not None]
    candidates: list[Ward] = []
    for key in keys:
        for ward in new_wards_of_legacy_key(key):
            if ward not in candidates:
                candidates.append(ward)
    listed = "; ".join(f"{u.name} ({u.district_name})" for u in units)
    return Conversion(
        None,
        candidates,
        T(
            "Tỉnh cũ có {count} đơn vị cùng tên: {listed}. Hãy ghi thêm huyện, quận cũ "
            "hoặc chọn xã, phường mới trong các đơn vị gợi ý.",
            "The old province had {count} units of that name: {listed}. Add the old "
            "district, or pick the new ward among the suggestions.",
            count=len(units),
            listed=listed,
        ),
    )
