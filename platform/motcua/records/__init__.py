"""Records (dossiers): reception, the lifecycle state machine, work lists, public lookup.

``lifecycle`` and ``codes`` are pure (importing them loads no database layer); ``service``
and ``queries`` take the ward explicitly and filter every query by it.
"""

from __future__ import annotations

from motcua.lazy import lazy_exports

_EXPORTS = {
    "ACTIONS": "motcua.records.lifecycle",
    "STATUSES": "motcua.records.lifecycle",
    "allowed_actions": "motcua.records.lifecycle",
    "Page": "motcua.records.queries",
    "PublicStatus": "motcua.records.queries",
    "WorkFilters": "motcua.records.queries",
    "lookup_public": "motcua.records.queries",
    "work_list": "motcua.records.queries",
    "Applicant": "motcua.records.service",
    "Received": "motcua.records.service",
    "get_record": "motcua.records.service",
    "receive": "motcua.records.service",
    "transition": "motcua.records.service",
}
__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
