"""Jinja filters shared by the built-in and the sandboxed template environments.

Every filter takes plain values (``datetime``, ``date``, ``str``) and returns ``str`` or
:class:`markupsafe.Markup`; none reads global state, so both environments can share them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import segno
from markupsafe import Markup

OUTCOME_LABELS = {
    "early": "Trước hạn",
    "on_time": "Đúng hạn",
    "late": "Quá hạn",
}


def format_datetime(value: datetime | date | None) -> str:
    """Return ``value`` as "hh:mm dd/mm/yyyy", the form slips use; "" for ``None``.

    A bare ``date`` is shown as "dd/mm/yyyy".
    """
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        return value.strftime("%H:%M %d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def format_date(value: datetime | date | None) -> str:
    """Return ``value`` as "dd/mm/yyyy"; "" for ``None``."""
    if value is None or value == "":
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def place_date(value: datetime | date | None, place: str = "") -> str:
    """Return the place-and-date line "<place>, ngày 05 tháng 02 năm 2026".

    Decree 30/2020/ND-CP, Appendix I: days below 10 and months below 3 take a leading
    zero (so "ngày 05 tháng 02" but "tháng 11" and "tháng 3"). With ``value`` ``None``
    the blanks are left for handwriting: "ngày … tháng … năm …".
    """
    prefix = f"{place}, " if place else ""
    if value is None or value == "":
        return f"{prefix}ngày … tháng … năm …"
    day = f"{value.day:02d}" if value.day < 10 else str(value.day)
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"{prefix}ngày {day} tháng {month} năm {value.year}"


def outcome_label(value: str | None) -> str:
    """Return the Vietnamese label of a step outcome ("early", "on_time", "late"); "" if unset."""
    if not value:
        return ""
    return OUTCOME_LABELS.get(str(value), str(value))


def qr_svg(url: str, *, css_class: str = "qr") -> str:
    """Return an inline ``<svg>`` QR code (error level M) encoding ``url``.

    The SVG has a viewBox but no width or height, so the stylesheet sizes it.

    :raises ValueError: ``url`` is empty or too long for a QR code.
    """
    if not url:
        raise ValueError("QR content is empty")
    qr = segno.make(str(url), error="m", micro=False)
    return qr.svg_inline(border=2, omitsize=True, svgclass=css_class, lineclass=None)


def qr_markup(url: Any) -> Markup:
    """Jinja filter: return :func:`qr_svg` as safe markup (segno writes only path data)."""
    return Markup(qr_svg(str(url)))  # noqa: S704 - generated SVG, the URL is not echoed as text


FILTERS = {
    "dt": format_datetime,
    "d": format_date,
    "place_date": place_date,
    "outcome": outcome_label,
    "qr": qr_markup,
}
