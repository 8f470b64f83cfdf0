"""Reports: the figures a ward, a province and an inspector ask for (DOMAIN.md "Figures").

``period`` and ``figures`` are pure (dates and arithmetic); ``measures`` names each figure
once as a condition on a record, which ``engine`` sums in SQL and ``drill`` lists;
``export``, ``charts`` and ``pdf`` turn a :class:`Report` into files and pictures.
Definitions in docs/reports.md.
"""

from __future__ import annotations

from motcua.lazy import lazy_exports

_EXPORTS = {
    "Period": "motcua.reports.period",
    "parse_period": "motcua.reports.period",
    "Figures": "motcua.reports.figures",
    "Scope": "motcua.reports.engine",
    "Report": "motcua.reports.engine",
    "ward_scope": "motcua.reports.engine",
    "province_scope": "motcua.reports.engine",
    "period_report": "motcua.reports.engine",
    "trend": "motcua.reports.engine",
    "drill_down": "motcua.reports.drill",
}
__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
