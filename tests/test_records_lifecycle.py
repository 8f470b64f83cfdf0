"""The record state machine: every action allowed and refused per role and status (pure)."""

from __future__ import annotations

from datetime import datetime

import pytest

from motcua.calendar import WorkCalendar
from motcua.errors import Forbidden, UserError, ValidationFailed
from motcua.records.lifecycle import ACTIONS, STATUSES, allowed_actions, plan

CALENDAR = WorkCalendar()
NOW = datetime(2026, 3, 2, 9, 0)
DUE = datetime(2026, 3, 5, 9, 0)
GOOD_INPUTS = {
    "refuse": {"legal_ground": "Điều 9 Nghị định 118/2025"},
    "transfer": {"step": "Thẩm định"},
    "request_supplement": {"items": "Ảnh 4x6 | thiếu"},
    "reject": {"reason": "Không đủ điều kiện"},
    "return": {"method": "post"},
    "withdraw": {"reason": "Người nộp đề nghị"},
    "apologize": {"reason": "Chờ xác minh", "new_due": "2026-03-10T16:00"},
}
EXPECTED_ROLES = {
    "refuse": {"staff", "leader", "ward_admin"},
    "assign": {"staff", "specialist", "leader", "ward_admin"},
    "transfer": {"specialist", "leader", "ward_admin"},
    "request_supplement": {"staff", "specialist", "leader", "ward_admin"},
    "supplement_received": {"staff", "specialist", "leader", "ward_admin"},
    "approve": {"leader", "ward_admin"},
    "reject": {"leader", "ward_admin"},
    "result_ready": {"staff", "specialist", "leader", "ward_admin"},
    "return": {"staff", "leader", "ward_admin"},
    "withdraw": {"staff", "leader", "ward_admin"},
    "apologize": {"specialist", "leader", "ward_admin"},
}
ROLES = ("staff", "specialist", "leader", "ward_admin", "province_admin")


def test_every_action_has_its_expected_roles():
    assert {name: set(a.roles) for name, a in ACTIONS.items()} == EXPECTED_ROLES


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("status", sorted(STATUSES))
def test_each_action_role_and_status(action, role, status):
    spec = ACTIONS[action]

    def call():  # noqa: ANN202
        return plan(
            status,
            action,
            role,
            GOOD_INPUTS.get(action, {}),
            due_at=DUE,
            now=NOW,
            calendar=CALENDAR,
        )

    if role not in spec.roles:
        with pytest.raises(Forbidden):
            call()
    elif status not in spec.sources:
        with pytest.raises(UserError) as refused:
            call()
        assert refused.value.status == 409
    else:
        step = call()
        assert step.to_status == (spec.target or status)
        assert spec in allowed_actions(status, role)


def test_final_statuses_allow_nothing():
    for status in ("returned", "withdrawn", "refused_at_reception"):
        for role in ROLES:
            assert allowed_actions(status, role) == []


@pytest.mark.parametrize("action", sorted(a for a, spec in ACTIONS.items() if spec.inputs))
def test_required_inputs_are_reported_per_field(action):
    source = sorted(ACTIONS[action].sources)[0]
    with pytest.raises(ValidationFailed) as failed:
        plan(source, action, "ward_admin", {}, due_at=DUE, now=NOW, calendar=CALENDAR)
    assert set(failed.value.errors) == set(ACTIONS[action].inputs)


def test_bad_inputs():
    with pytest.raises(ValidationFailed) as failed:
        plan(
            "result_ready",
            "return",
            "staff",
            {"method": "fax"},
            due_at=DUE,
            now=NOW,
            calendar=CALENDAR,
        )
    assert "method" in failed.value.errors
    with pytest.raises(ValidationFailed) as failed:
        plan(
            "in_progress",
            "request_supplement",
            "staff",
            {"items": "Ảnh 4x6"},
            due_at=DUE,
            now=NOW,
            calendar=CALENDAR,
        )
    assert "items" in failed.value.errors  # a reason is required for every item
    with pytest.raises(ValidationFailed) as failed:
        plan(
            "in_progress",
            "apologize",
            "leader",
            {"reason": "x", "new_due": "mai"},
            due_at=DUE,
            now=NOW,
            calendar=CALENDAR,
        )
    assert "new_due" in failed.value.errors


def test_apology_deadline_and_new_date():
    ok = plan(
        "in_progress",
        "apologize",
        "leader",
        GOOD_INPUTS["apologize"],
        due_at=DUE,
        now=datetime(2026, 3, 4, 16, 0),
        calendar=CALENDAR,
    )
    assert ok.inputs["new_due"] == datetime(2026, 3, 10, 16, 0)
    for now, new_due in (
        (datetime(2026, 3, 5, 7, 0), "2026-03-10T16:00"),
        (NOW, "2026-03-04T16:00"),
    ):
        with pytest.raises(ValidationFailed):
            plan(
                "in_progress",
                "apologize",
                "leader",
                {"reason": "x", "new_due": new_due},
                due_at=DUE,
                now=now,
                calendar=CALENDAR,
            )


def test_unknown_action():
    with pytest.raises(UserError):
        plan("received", "teleport", "ward_admin", {}, due_at=DUE, now=NOW, calendar=CALENDAR)
