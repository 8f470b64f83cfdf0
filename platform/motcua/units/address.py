"""An address as it is written on a record and a slip: the street part, then the new ward."""

from __future__ import annotations

from motcua.errors import NotFound
from motcua.units.catalogue import province, ward
from motcua.units.text import fold


def full_address(text: str, ward_code: str | None) -> str:
    """Return "Số 5 Lê Lợi, Phường Nếnh, Tỉnh Bắc Ninh" from the street part ``text`` and
    the ward picked in the address picker.

    The ward part is left out when ``text`` already names the ward ("…, phường Nếnh") or
    when ``ward_code`` is blank or not in the 2025 catalogue; spaces are collapsed.
    """
    street = " ".join((text or "").split())
    if not ward_code:
        return street
    try:
        unit = ward(ward_code)
    except NotFound:
        return street
    if street and fold(unit.name) in fold(street):
        return street
    place = f"{unit.name}, {province(unit.province_code).name}"
    return f"{street}, {place}" if street else place
