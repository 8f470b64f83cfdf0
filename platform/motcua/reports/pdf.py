"""The printable report: the official header (Decree 30/2020/ND-CP), the summary of every
figure and both on-time rates, then a table per breakdown, through motcua's WeasyPrint
renderer (:mod:`motcua.printing.runtime`), on A4 landscape with page numbers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from motcua.printing.contexts import agency
from motcua.printing.runtime import process_renderers
from motcua.reports.engine import BREAKDOWNS, Report
from motcua.reports.figures import COUNTS, RATE_DEFINITIONS, RATES, number, percent
from motcua.tenancy.models import Province

TEMPLATE = "report.html"
PAPER = "A4-landscape"


def issuing_body(report: Report) -> dict[str, str]:
    """Return the header's issuing body: the ward's People's Committee (its print settings
    apply), or the province's for a province report."""
    if report.scope.kind == "ward":
        return agency(report.scope.tenants[0])
    province = Province.get_by_id(report.scope.code)
    lowered = province.name[:1].lower() + province.name[1:]
    return {"name": f"Ủy ban nhân dân {lowered}", "parent_name": "", "place": province.short_name,
            "code": province.code}


def report_context(summary: Report, breakdowns: Sequence[Report], *, now: datetime) -> dict[str, Any]:
    """Return what ``report.html`` prints: header, period, figures, breakdown tables."""
    return {
        "agency": issuing_body(summary),
        "number": None,
        "issued_at": now,
        "report": summary,
        "breakdowns": [(BREAKDOWNS[r.by].vi, r) for r in breakdowns if r.by],
        "counts": {name: label.vi for name, label in COUNTS.items()},
        "rates": {name: label.vi for name, label in RATES.items()},
        "definitions": {name: text.vi for name, text in RATE_DEFINITIONS.items()},
        "percent": percent,
        "number_text": number,
    }


def report_pdf(summary: Report, breakdowns: Sequence[Report], *, now: datetime) -> bytes:
    """Return the PDF of ``summary`` with a table per report of ``breakdowns``."""
    context = report_context(summary, breakdowns, now=now)
    return process_renderers().render_document(TEMPLATE, context, paper=PAPER)
