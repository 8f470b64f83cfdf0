"""Old (pre-merger) address text to the new ward, offline.

The package's own ``convert_address`` geocodes addresses of split wards that carry a
street, through an online service. motcua must work without network, so this module
only uses the package's parser and its converter tables, and leaves the choice between
the parts of a split ward to the person at the counter.
"""

from __future__ import annotations

from dataclasses import dataclass

from motcua.i18n import T, Text
from motcua.units.catalogue import (
    LegacyUnit,
    Ward,
    legacy_by_key,
    new_province_of_legacy_key,
    new_wards_of_legacy_key,
    province,
)


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
