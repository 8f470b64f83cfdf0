"""Field areas (lĩnh vực) a counter serves, named by a short stable key.

Counters in tenant files list the keys (``fields = ["tu-phap"]``); the names are shown
on queue tickets, screens and reports.
"""

from __future__ import annotations

from dataclasses import dataclass

from motcua.errors import NotFound
from motcua.i18n import T, Text


@dataclass(frozen=True)
class FieldArea:
    """A field of procedures that one-stop counters are organised by."""

    key: str
    name: Text


FIELD_AREAS: tuple[FieldArea, ...] = (
    FieldArea(
        "tu-phap", T("Tư pháp – hộ tịch, chứng thực", "Justice – civil status, certification")
    ),
    FieldArea("dat-dai", T("Đất đai", "Land")),
    FieldArea("kinh-doanh", T("Đăng ký kinh doanh", "Business registration")),
    FieldArea("xay-dung", T("Xây dựng", "Construction")),
    FieldArea(
        "lao-dong-xa-hoi",
        T("Lao động – Thương binh xã hội", "Labour, invalids and social affairs"),
    ),
    FieldArea("tong-hop", T("Tổng hợp", "General")),
)


def field_area_keys() -> tuple[str, ...]:
    """Return the keys of all field areas, in display order."""
    return tuple(area.key for area in FIELD_AREAS)


def field_area(key: str) -> FieldArea:
    """Return the field area with ``key``.

    :raises motcua.errors.NotFound: no field area has that key; the message lists them.
    """
    for area in FIELD_AREAS:
        if area.key == key:
            return area
    raise NotFound(
        T(
            "Không có lĩnh vực `{key}`; các lĩnh vực: {keys}.",
            "There is no field area `{key}`; the field areas are: {keys}.",
            key=key,
            keys=", ".join(field_area_keys()),
        ),
        field="fields",
    )
