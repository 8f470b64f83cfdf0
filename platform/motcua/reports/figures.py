"""The figures of a period and the rates computed from them (pure arithmetic).

Counts come from :mod:`motcua.reports.engine`; this module only names them, labels them
in both languages and divides. Rates are fractions (0..1) or None when the denominator
is zero. The two on-time rates of DOMAIN.md "Figures" are both given, each labelled:

- **A** (``on_time_rate_a``): (early + on time) / resolved.
- **B** (``on_time_rate_b``): 1 - (resolved late + overdue at the period's end)
  / (received + carried over).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from motcua.i18n import T, Text

# Counts, in the order reports print them.
COUNTS: dict[str, Text] = {
    "carried_over": T("Kỳ trước chuyển sang", "Carried over"),
    "received": T("Tiếp nhận trong kỳ", "Received"),
    "received_direct": T("Trực tiếp", "Direct"),
    "received_online": T("Trực tuyến", "Online"),
    "received_postal": T("Bưu chính", "Postal"),
    "non_territorial": T("Phi địa giới", "Non-territorial"),
    "resolved": T("Đã giải quyết", "Resolved"),
    "resolved_early": T("Trước hạn", "Early"),
    "resolved_on_time": T("Đúng hạn", "On time"),
    "resolved_late": T("Quá hạn", "Late"),
    "in_progress": T("Đang giải quyết trong hạn", "In progress within the limit"),
    "overdue": T("Đang giải quyết quá hạn", "In progress, overdue"),
    "withdrawn": T("Dừng xử lý theo đề nghị", "Withdrawn"),
    "refused": T("Từ chối tiếp nhận", "Refused at reception"),
    "returned": T("Đã trả kết quả", "Returned"),
}
RATES: dict[str, Text] = {
    "online_rate": T("Tỷ lệ trực tuyến", "Online rate"),
    "on_time_rate_a": T("Tỷ lệ đúng hạn (A)", "On-time rate (A)"),
    "on_time_rate_b": T("Tỷ lệ đúng hạn (B)", "On-time rate (B)"),
}
RATE_DEFINITIONS: dict[str, Text] = {
    "online_rate": T("trực tuyến / tiếp nhận", "online / received"),
    "on_time_rate_a": T(
        "(trước hạn + đúng hạn) / đã giải quyết", "(early + on time) / resolved"
    ),
    "on_time_rate_b": T(
        "100% − (giải quyết quá hạn + đang quá hạn) / (tiếp nhận + kỳ trước chuyển sang)",
        "100% − (resolved late + overdue) / (received + carried over)",
    ),
}


def _rate(numerator: int, denominator: int) -> Decimal | None:
    if denominator <= 0:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


@dataclass
class Figures:
    """The counts of one scope (a ward, a province, a procedure…) for one period."""

    counts: dict[str, int] = field(default_factory=dict)

    def __getitem__(self, name: str) -> int:
        return int(self.counts.get(name, 0))

    @property
    def carried_forward(self) -> int:
        """Return the records still open at the period's end (to the next period)."""
        return self["in_progress"] + self["overdue"]

    def rate(self, name: str) -> Decimal | None:
        """Return the rate ``name`` (a key of :data:`RATES`) as a fraction, or None.

        :raises KeyError: ``name`` is not a rate.
        """
        if name == "online_rate":
            return _rate(self["received_online"], self["received"])
        if name == "on_time_rate_a":
            return _rate(self["resolved_early"] + self["resolved_on_time"], self["resolved"])
        if name == "on_time_rate_b":
            workload = self["received"] + self["carried_over"]
            late = _rate(self["resolved_late"] + self["overdue"], workload)
            return None if late is None else Decimal(1) - late
        raise KeyError(name)

    def as_dict(self) -> dict[str, Any]:
        """Return every count and rate (rates as floats 0..1, or None) by key."""
        values: dict[str, Any] = {name: self[name] for name in COUNTS}
        values["carried_forward"] = self.carried_forward
        for name in RATES:
            rate = self.rate(name)
            values[name] = None if rate is None else float(rate)
        return values


def percent(rate: Decimal | float | None, language: str = "vi") -> str:
    """Return a rate as printed: ``0.9122`` -> ``91,22 %`` (English: ``91.22%``); None -> ``—``."""
    if rate is None:
        return "—"
    value = (Decimal(str(rate)) * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"{value:.2f}%" if language == "en" else f"{value:.2f}".replace(".", ",") + " %"


def number(value: int, language: str = "vi") -> str:
    """Return a count with thousands separators: ``15805`` -> ``15.805`` (English ``15,805``)."""
    text = f"{value:,}"
    return text if language == "en" else text.replace(",", ".")
