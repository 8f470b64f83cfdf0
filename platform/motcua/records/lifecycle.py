"""The record state machine: statuses, actions, who may take them, what each one needs.

Pure logic over plain data (DESIGN.md §6, DOMAIN.md "Record lifecycle")::

    received -> in_progress -> (supplement_requested <-> in_progress) -> approved | rejected
             -> result_ready -> returned      (withdrawn, refused_at_reception also end it)

plus the late path: an apology with a reason and a new due moment, allowed only until
the working day before the due date (Circular 03/2025 form 04). :func:`plan` is the one
gate every transition passes: it checks the action, the role, the status and the
inputs, and returns the :class:`Step` the service then writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from motcua.calendar import WorkCalendar, latest_apology_day
from motcua.errors import Forbidden, UserError, ValidationFailed
from motcua.i18n import T, Text

STATUSES: dict[str, Text] = {
    "received": T("Đã tiếp nhận", "Received"),
    "in_progress": T("Đang xử lý", "In progress"),
    "supplement_requested": T("Chờ bổ sung", "Supplement requested"),
    "approved": T("Đã phê duyệt", "Approved"),
    "rejected": T("Không giải quyết", "Rejected"),
    "result_ready": T("Có kết quả, chờ trả", "Result ready"),
    "returned": T("Đã trả kết quả", "Returned"),
    "withdrawn": T("Dừng xử lý theo đề nghị", "Stopped at the applicant's request"),
    "refused_at_reception": T("Từ chối tiếp nhận", "Refused at reception"),
}
FINAL_STATUSES = frozenset({"returned", "withdrawn", "refused_at_reception"})
# Statuses where the legal clock runs (supplement_requested pauses it).
OPEN_STATUSES = frozenset({"received", "in_progress"})
RESOLVED_STATUSES = frozenset({"approved", "rejected", "result_ready", "returned"})
RETURN_METHODS: dict[str, Text] = {
    "in_person": T("Trực tiếp", "In person"),
    "post": T("Qua bưu chính", "By post"),
    "electronic": T("Trực tuyến", "Electronically"),
}
CHANNELS: dict[str, Text] = {
    "direct": T("Trực tiếp", "Direct"),
    "online": T("Trực tuyến", "Online"),
    "postal": T("Bưu chính", "Postal"),
}
OUTCOMES: dict[str, Text] = {
    "early": T("Trước hạn", "Early"),
    "on_time": T("Đúng hạn", "On time"),
    "late": T("Quá hạn", "Late"),
}

_STAFF = frozenset({"staff", "specialist", "leader", "ward_admin"})
_PROCESSING = frozenset({"specialist", "leader", "ward_admin"})
_DECIDING = frozenset({"leader", "ward_admin"})
_DESK = frozenset({"staff", "leader", "ward_admin"})


@dataclass(frozen=True)
class Action:
    """One transition: from which statuses, to which (None keeps the status), by whom.

    ``inputs`` names what the action needs, each required unless listed in ``optional``;
    ``permission`` is the permission (and API token scope) the action needs besides the role.
    """

    name: str
    label: Text
    sources: frozenset[str]
    target: str | None
    roles: frozenset[str]
    inputs: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    permission: str = "records.process"


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action(
            "refuse",
            T("Từ chối tiếp nhận", "Refuse at reception"),
            frozenset({"received"}),
            "refused_at_reception",
            _DESK,
            ("legal_ground",),
            ("note",),
        ),
        Action(
            "assign",
            T("Chuyển xử lý", "Transfer for processing"),
            frozenset({"received"}),
            "in_progress",
            _STAFF,
            (),
            ("step", "assignee", "note"),
        ),
        Action(
            "transfer",
            T("Chuyển bước xử lý", "Hand over to the next step"),
            frozenset({"in_progress"}),
            None,
            _PROCESSING,
            ("step",),
            ("assignee", "note"),
        ),
        Action(
            "request_supplement",
            T("Yêu cầu bổ sung", "Request a supplement"),
            frozenset({"received", "in_progress"}),
            "supplement_requested",
            _STAFF,
            ("items",),
            ("note",),
        ),
        Action(
            "supplement_received",
            T("Nhận hồ sơ bổ sung", "Supplement received"),
            frozenset({"supplement_requested"}),
            "in_progress",
            _STAFF,
            (),
            ("note",),
        ),
        Action(
            "approve",
            T("Phê duyệt", "Approve"),
            frozenset({"in_progress"}),
            "approved",
            _DECIDING,
            (),
            ("note",),
            "records.decide",
        ),
        Action(
            "reject",
            T("Không giải quyết", "Reject"),
            frozenset({"in_progress"}),
            "rejected",
            _DECIDING,
            ("reason",),
            ("note",),
            "records.decide",
        ),
        Action(
            "result_ready",
            T("Có kết quả", "Result ready"),
            frozenset({"approved", "rejected"}),
            "result_ready",
            _STAFF,
            (),
            ("note",),
        ),
        Action(
            "return",
            T("Trả kết quả", "Return the result"),
            frozenset({"result_ready"}),
            "returned",
            _DESK,
            ("method",),
            ("note",),
        ),
        Action(
            "withdraw",
            T("Dừng xử lý theo đề nghị", "Stop at the applicant's request"),
            frozenset({"received", "in_progress", "supplement_requested"}),
            "withdrawn",
            _DESK,
            ("reason",),
            ("note",),
        ),
        Action(
            "apologize",
            T("Xin lỗi, hẹn lại ngày trả", "Apologise and set a new date"),
            frozenset({"received", "in_progress", "supplement_requested"}),
            None,
            _PROCESSING,
            ("reason", "new_due"),
            ("note",),
        ),
    )
}
# Reception itself is the first event of every record (not a transition between statuses).
RECEIVE = "receive"
PRINTED = "printed"  # an event, not a transition: the status stays
# An imported record's first event: it came from an old district or commune system.
IMPORT = "import"
ACTION_LABELS: dict[str, Text] = {
    RECEIVE: T("Tiếp nhận", "Receive"),
    IMPORT: T("Chuyển từ hệ thống cũ", "Imported from the old system"),
    # Logged by motcua.records.due_recalculation when a national calendar decision moves it.
    "recalculate_due": T("Tính lại hạn theo lịch nghỉ mới", "Due date recomputed (new calendar decision)"),
    PRINTED: T("In phiếu", "Printed"),  # written by motcua.printing.jobs
    **{n: a.label for n, a in ACTIONS.items()},
}


@dataclass(frozen=True)
class Step:
    """A checked transition: the status after it and the cleaned inputs to record."""

    action: str
    from_status: str
    to_status: str
    inputs: dict[str, Any] = field(default_factory=dict)


def allowed_actions(status: str, role: str) -> list[Action]:
    """Return the actions ``role`` may take on a record in ``status``, in lifecycle order."""
    return [a for a in ACTIONS.values() if status in a.sources and role in a.roles]


def plan(
    status: str,
    action: str,
    role: str,
    inputs: dict[str, Any],
    *,
    due_at: datetime | None,
    now: datetime,
    calendar: WorkCalendar,
    permissions: frozenset[str] | None = None,
) -> Step:
    """Return the :class:`Step` for taking ``action`` on a record in ``status``.

    :raises UserError: unknown action, or the action does not apply to ``status`` (409).
    :raises Forbidden: ``role`` may not take the action, or ``permissions`` (those of the
        caller's API token, when given) lack the action's permission.
    :raises ValidationFailed: an input is missing or wrong (per field).
    """
    spec = ACTIONS.get(action)
    if spec is None:
        raise UserError(
            T(
                "Không có thao tác “{action}”; dùng một trong: {known}",
                "There is no action “{action}”; use one of: {known}",
                action=action,
                known=", ".join(ACTIONS),
            ),
            field="action",
        )
    if role not in spec.roles:
        raise Forbidden(
            T(
                "Vai trò của bạn không được “{label}”",
                "Your role may not “{label}”",
                label=spec.label,
            ),
            action=action,
        )
    if permissions is not None and spec.permission not in permissions:
        raise Forbidden(
            T(
                "Mã truy cập không có quyền “{p}” để “{label}”",
                "The token lacks the “{p}” permission to “{label}”",
                p=spec.permission,
                label=spec.label,
            ),
            action=action,
            permission=spec.permission,
        )
    if status not in spec.sources:
        raise UserError(
            T(
                "Không thể “{label}” hồ sơ đang ở trạng thái “{status}”",
                "Cannot “{label}” a record whose status is “{status}”",
                label=spec.label,
                status=STATUSES.get(status, T(status, status)),
            ),
            status=409,
            action=action,
            record_status=status,
        )
    cleaned = _clean_inputs(spec, inputs, due_at=due_at, now=now, calendar=calendar)
    return Step(action, status, spec.target or status, cleaned)


def _clean_inputs(
    spec: Action,
    inputs: dict[str, Any],
    *,
    due_at: datetime | None,
    now: datetime,
    calendar: WorkCalendar,
) -> dict[str, Any]:
    errors: dict[str, Text] = {}
    cleaned: dict[str, Any] = {}
    for name in (*spec.inputs, *spec.optional):
        value = inputs.get(name)
        if isinstance(value, str):
            value = value.strip()
        if value in (None, "", []):
            if name in spec.inputs:
                errors[name] = _REQUIRED.get(name, T("Bắt buộc", "Required"))
            continue
        try:
            cleaned[name] = _CLEANERS.get(name, _text)(value)
        except ValueError as problem:
            errors[name] = (
                problem.args[0]
                if problem.args and isinstance(problem.args[0], Text)
                else T("Giá trị không hợp lệ", "Invalid value")
            )
    if spec.name == "apologize" and "new_due" in cleaned and due_at is not None:
        last_day = latest_apology_day(due_at, calendar)
        if now.date() > last_day:
            errors["new_due"] = T(
                "Đã quá hạn gửi thư xin lỗi: chậm nhất ngày {day} (một ngày làm việc trước hạn {due})",
                "Too late for an apology: the last day was {day} (one working day before the due date {due})",
                day=last_day.strftime("%d/%m/%Y"),
                due=due_at.strftime("%H:%M %d/%m/%Y"),
            )
        elif cleaned["new_due"] <= due_at:
            errors["new_due"] = T(
                "Ngày hẹn mới phải sau hạn hiện tại {due}",
                "The new date must be after the current due moment {due}",
                due=due_at.strftime("%H:%M %d/%m/%Y"),
            )
    if errors:
        raise ValidationFailed(
            T("Có {n} chỗ cần sửa", "{n} entries need fixing", n=len(errors)), errors
        )
    return cleaned


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(T("Phải là văn bản", "Must be text"))
    if len(value) > 2000:
        raise ValueError(T("Quá dài (tối đa 2000 ký tự)", "Too long (at most 2000 characters)"))
    return value


def _method(value: Any) -> str:
    if value not in RETURN_METHODS:
        raise ValueError(
            T(
                "Chọn một trong: trực tiếp, bưu chính, trực tuyến (in_person, post, electronic)",
                "Choose one of: in_person, post, electronic",
            )
        )
    return str(value)


def _datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None, microsecond=0)
    try:
        return datetime.fromisoformat(str(value)).replace(tzinfo=None, microsecond=0)
    except ValueError:
        raise ValueError(
            T("Ghi ngày giờ dạng 2026-03-05T16:00", "Write the date-time as 2026-03-05T16:00")
        ) from None


def _items(value: Any) -> list[dict[str, str]]:
    """Supplement items: a list of {"item", "reason"}, or text lines "item | reason"."""
    if isinstance(value, str):
        value = [
            dict(zip(("item", "reason"), (p.strip() for p in line.split("|", 1)), strict=False))
            for line in value.splitlines()
            if line.strip()
        ]
    if not isinstance(value, list) or not value:
        raise ValueError(
            T("Liệt kê ít nhất một giấy tờ cần bổ sung", "List at least one item to supplement")
        )
    items = []
    for entry in value:
        if not isinstance(entry, dict) or not str(entry.get("item") or "").strip():
            raise ValueError(
                T("Mỗi dòng ghi: giấy tờ | lý do", "Write each line as: item | reason")
            )
        reason = str(entry.get("reason") or "").strip()
        if not reason:
            raise ValueError(
                T(
                    "Ghi lý do cho “{item}” (giấy tờ | lý do)",
                    "Give the reason for “{item}” (item | reason)",
                    item=str(entry["item"]).strip(),
                )
            )
        items.append({"item": _text(str(entry["item"]).strip()), "reason": _text(reason)})
    return items


_CLEANERS = {"method": _method, "new_due": _datetime, "items": _items}
_REQUIRED: dict[str, Text] = {
    "legal_ground": T(
        "Ghi căn cứ pháp lý của việc từ chối", "Give the legal ground for the refusal"
    ),
    "items": T("Liệt kê giấy tờ cần bổ sung và lý do", "List the items to supplement and why"),
    "method": T("Chọn cách trả kết quả", "Choose how the result is returned"),
    "reason": T("Ghi lý do", "Give the reason"),
    "new_due": T("Ghi ngày hẹn trả mới", "Give the new due date"),
    "step": T("Ghi bước xử lý tiếp theo", "Name the next processing step"),
}
