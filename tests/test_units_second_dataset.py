"""The 2025 catalogue (from ``vietnamadminunits``) against a second, independent dataset:
``vietnam-provinces`` (a test dependency only). Differences are reported and pinned, so a
new release of either package that changes a unit fails here until someone looks."""

from __future__ import annotations

import unicodedata

import pytest

from motcua import units

vietnam_provinces = pytest.importorskip("vietnam_provinces")

# Both placements of the tone mark on "oa", "oe", "uy" are in use ("Hòa" / "Hoà").
_TONES = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}
# vietnam-provinces 2025.10.1 against vietnamadminunits 1.0.4, as last compared; a code in
# one list and not the other counts once, a name that differs under the same code once.
KNOWN_CODE_DIFFERENCES = 228
KNOWN_NAME_DIFFERENCES = 9
# Of the 114 codes each list has alone, this many are the same ward (name and province)
# under another code in the other list.
KNOWN_SAME_WARD_OTHER_CODE = 110


def spelling(name: str) -> str:
    """Return ``name`` with the differences that do not name another unit taken out: tone
    mark placement, doubled spaces, the apostrophe's glyph, letter case ("Đăk BLa")."""
    text = " ".join(unicodedata.normalize("NFC", name).replace("\u2019", "'").split()).casefold()
    for variant, usual in _TONES.items():
        text = text.replace(variant, usual)
    return text


def theirs() -> tuple[dict[str, object], dict[str, object]]:
    from vietnam_provinces import Province, Ward

    return (
        {f"{int(p.code):02d}": p for p in Province.iter_all()},
        {f"{int(w.code):05d}": w for w in Ward.iter_all()},
    )


def test_the_34_provinces_agree() -> None:
    provinces, _ = theirs()
    ours = {p.code: p for p in units.provinces()}
    assert set(ours) == set(provinces)
    for code, mine in ours.items():
        other = provinces[code]
        assert spelling(mine.short_name) == spelling(other.name.removeprefix("Thành phố ")), code
        central = other.division_type.value == "thành phố trung ương"
        assert mine.name.startswith("Thành phố " if central else "Tỉnh "), (code, mine.name)


def test_ward_differences_are_the_known_ones() -> None:
    _, wards = theirs()
    ours = {w.code: w for w in units.wards()}
    only_one = sorted(set(ours) ^ set(wards))
    renamed = sorted(
        (code, ours[code].name, wards[code].name)  # type: ignore[attr-defined]
        for code in set(ours) & set(wards)
        if spelling(ours[code].name) != spelling(wards[code].name)  # type: ignore[attr-defined]
    )
    report = f"codes in one list only: {only_one[:20]}...; names: {renamed[:20]}..."
    assert len(ours) == len(wards) == 3321
    assert len(only_one) == KNOWN_CODE_DIFFERENCES, report
    assert len(renamed) == KNOWN_NAME_DIFFERENCES, report
    alone = {(spelling(wards[c].name), f"{int(wards[c].province_code):02d}")  # type: ignore[attr-defined]
             for c in set(wards) - set(ours)}
    moved = [c for c in set(ours) - set(wards) if (spelling(ours[c].name), ours[c].province_code) in alone]
    assert len(moved) == KNOWN_SAME_WARD_OTHER_CODE, report
    # Same code, same province, for every ward both lists have.
    for code in set(ours) & set(wards):
        assert ours[code].province_code == f"{int(wards[code].province_code):02d}", code  # type: ignore[attr-defined]
