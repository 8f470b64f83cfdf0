"""Records (dossiers): reception, the lifecycle state machine, work lists, public lookup.

``lifecycle`` and ``codes`` are pure; ``service`` and ``queries`` take the tenant
explicitly and filter every query by it.
"""

from __future__ import annotations

from motcua.records.lifecycle import ACTIONS as ACTIONS
from motcua.records.lifecycle import STATUSES as STATUSES
from motcua.records.lifecycle import allowed_actions as allowed_actions
from motcua.records.queries import Page as Page
from motcua.records.queries import PublicStatus as PublicStatus
from motcua.records.queries import WorkFilters as WorkFilters
from motcua.records.queries import lookup_public as lookup_public
from motcua.records.queries import work_list as work_list
from motcua.records.service import Applicant as Applicant
from motcua.records.service import Received as Received
from motcua.records.service import get_record as get_record
from motcua.records.service import receive as receive
from motcua.records.service import transition as transition
