"""A ward's March 2026 whose figures are known by construction (see EXPECTED_MARCH).

Records are received and moved with explicit moments (the service's ``now``) while the
test clock stays frozen, so the figures never depend on the real date.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from conftest import ward_of
from motcua.records.models import Record
from motcua.records.service import Applicant, receive, transition
from records_support import CERTIFY, MARITAL, publish_form, sample_values

MARCH = ("2026-03-01", "2026-03-31")
# Each record: name, procedure, channel, received at, non-territorial, then its steps.
# P*: received before March; M*: in March; A1: after it.
PLAN: list[tuple[str, str, str, datetime, bool, list[tuple[str, datetime, dict[str, Any]]]]] = [
    ("P1", MARITAL, "direct", datetime(2026, 2, 24, 9), False, [  # resolved before, returned in March
        ("assign", datetime(2026, 2, 24, 10), {}), ("approve", datetime(2026, 2, 26, 9), {}),
        ("result_ready", datetime(2026, 2, 27, 9), {}),
        ("return", datetime(2026, 3, 3, 9), {"method": "in_person"})]),
    ("P2", MARITAL, "online", datetime(2026, 2, 25, 9), False, [  # carried over, resolved late
        ("assign", datetime(2026, 2, 25, 10), {}), ("approve", datetime(2026, 3, 10, 9), {})]),
    ("P3", CERTIFY, "direct", datetime(2026, 2, 26, 10), False, []),  # carried over, overdue
    ("M1", MARITAL, "direct", datetime(2026, 3, 2, 9), False, [  # early
        ("assign", datetime(2026, 3, 2, 10), {}), ("approve", datetime(2026, 3, 3, 9), {})]),
    ("M2", CERTIFY, "postal", datetime(2026, 3, 2, 9, 5), False, [  # on time (same day)
        ("assign", datetime(2026, 3, 2, 10), {}), ("approve", datetime(2026, 3, 2, 16), {})]),
    ("M3", MARITAL, "online", datetime(2026, 3, 4, 9), True, []),  # non-territorial, overdue
    ("M4", MARITAL, "online", datetime(2026, 3, 30, 9), False, []),  # in progress within the limit
    ("M5", MARITAL, "direct", datetime(2026, 3, 5, 9), False, [  # withdrawn
        ("withdraw", datetime(2026, 3, 6, 9), {"reason": "Người nộp xin rút"})]),
    ("M6", CERTIFY, "direct", datetime(2026, 3, 5, 9, 10), False, [  # refused at reception
        ("refuse", datetime(2026, 3, 5, 9, 20), {"legal_ground": "Khoản 2 Điều 15"})]),
    ("M7", MARITAL, "direct", datetime(2026, 3, 6, 9), False, [  # paused at the end: in progress
        ("assign", datetime(2026, 3, 6, 10), {}),
        ("request_supplement", datetime(2026, 3, 9, 9), {"items": "Bản sao giấy khai sinh | mờ"})]),
    ("A1", MARITAL, "direct", datetime(2026, 4, 2, 9), False, []),  # after March: not counted
]
EXPECTED_MARCH = {
    "carried_over": 2, "received": 6, "received_direct": 3, "received_online": 2,
    "received_postal": 1, "non_territorial": 1, "resolved": 3, "resolved_early": 1,
    "resolved_on_time": 1, "resolved_late": 1, "in_progress": 2, "overdue": 2,
    "withdrawn": 1, "refused": 1, "returned": 1, "carried_forward": 4,
    "online_rate": 0.3333,  # 2 / 6
    "on_time_rate_a": 0.6667,  # (1 + 1) / 3
    "on_time_rate_b": 0.625,  # 1 - (1 late + 2 overdue) / (6 + 2)
}
# Per procedure: (carried over, received, resolved late, overdue, refused).
EXPECTED_BY_PROCEDURE = {MARITAL: (1, 5, 1, 1, 0), CERTIFY: (1, 1, 0, 1, 1)}


def build_march(tenant: Any) -> dict[str, Record]:
    """Publish the two forms for ``tenant`` and write the records of :data:`PLAN`."""
    publish_form(tenant, MARITAL)
    publish_form(tenant, CERTIFY)
    ward = ward_of(tenant)
    made: dict[str, Record] = {}
    for name, key, channel, received_at, outside, steps in PLAN:
        applicant = Applicant(name=f"Người nộp {name}", residence_ward_code="06832" if outside else "")
        record = receive(ward, key, sample_values(key), applicant=applicant, channel=channel,
                         actor="canbo", now=received_at).record
        for action, moment, inputs in steps:
            current = Record.get_by_id(record.id)
            transition(ward, current.code, action, actor="lanhdao", role="leader",
                       expected_lock_version=current.lock_version, inputs=inputs, now=moment)
        made[name] = Record.get_by_id(record.id)
    return made
