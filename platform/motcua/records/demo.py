"""``motcua demo``: sample records in every status for each ward, so every screen has content.

Runs after the notebooks seeder has published the wards' procedures; a ward that already
has records is left alone, so running the demo twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from motcua.clock import now
from motcua.errors import UserError
from motcua.expressions.context import EvalContext
from motcua.notebooks import DocumentsOutput, evaluate
from motcua.records.applicant import COLUMN_ROLES
from motcua.records.models import Record
from motcua.records.procedures import procedures
from motcua.records.service import Applicant, receive, transition
from motcua.tenancy.models import Counter, Tenant

if TYPE_CHECKING:
    from motcua.ward import WardContext

APPLICANTS = (
    Applicant("Nguyễn Văn An", "024096001234", "0912345601", "Tổ 2, khu phố 1"),
    Applicant("Trần Thị Bích Ngọc", "024196002345", "0912345602", "Số 15, đường Lê Lợi"),
    Applicant("Lê Hoàng Minh", "024090003456", "0912345603", "Thôn Đông"),
    Applicant("Phạm Thu Hà", "024188004567", "0912345604", "Tổ 5, khu phố 3"),
    Applicant(
        "Hoàng Đức Thắng", "022085005678", "0912345605", "Thôn Trung", residence_ward_code="06832"
    ),
    Applicant("Vũ Thị Lan", "024194006789", "0912345606", "Số 8, ngõ 12"),
    Applicant("Đặng Quốc Huy", "024099007890", "0912345607", "Tổ 1, khu phố 2"),
    Applicant("Bùi Minh Châu", "024198008901", "0912345608", "Thôn Bắc"),
    Applicant("Đỗ Văn Khánh", "024080009012", "0912345609", "Tổ 7, khu phố 4"),
)
PATHS: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "received": [],
    "in_progress": [("assign", {"step": "Thẩm định"})],
    "supplement_requested": [
        ("assign", {}),
        (
            "request_supplement",
            {
                "items": [
                    {"item": "Bản sao giấy khai sinh", "reason": "Bản sao bị mờ, không đọc được"}
                ]
            },
        ),
    ],
    "approved": [("assign", {}), ("approve", {})],
    "rejected": [("assign", {}), ("reject", {"reason": "Không đủ điều kiện theo quy định"})],
    "result_ready": [("assign", {}), ("approve", {}), ("result_ready", {})],
    "returned": [
        ("assign", {}),
        ("approve", {}),
        ("result_ready", {}),
        ("return", {"method": "in_person"}),
    ],
    "withdrawn": [("withdraw", {"reason": "Người nộp đề nghị dừng để bổ sung thêm giấy tờ"})],
    "refused_at_reception": [
        ("refuse", {"legal_ground": "Khoản 2 Điều 9 Nghị định 118/2025/NĐ-CP"})
    ],
}


def seed_records(wards: Callable[[Tenant], WardContext]) -> None:
    """Receive sample records in every status for each active ward without records;
    ``wards`` builds each ward's context."""
    for tenant in Tenant.select().where(Tenant.active == True):  # noqa: E712
        if Record.select().where(Record.tenant == tenant).exists():
            continue
        available = [p for p in procedures(tenant) if _valid_sample(p)]
        if available:
            _seed_ward(wards(tenant), available)


def _valid_sample(proc: Any) -> dict[str, Any] | None:
    return next((dict(s.values) for s in proc.notebook.samples if s.expect_valid), None)


def _seed_ward(ward: WardContext, available: list[Any]) -> None:
    tenant = ward.tenant
    calendar = ward.calendar
    counter = Counter.select().where(Counter.tenant == tenant).first()
    actor = f"{tenant.slug}.canbo"
    day = calendar.previous_working_day(now().date())
    for index, (status, path) in enumerate(PATHS.items()):
        for _ in range(2 if status in ("received", "in_progress") else 1):
            day = calendar.previous_working_day(day)
        proc = available[index % len(available)]
        moment = datetime.combine(day, time(8, 0)) + timedelta(minutes=17 * index)
        values, applicant = _as_filed(proc, APPLICANTS[index])
        try:
            record = receive(
                ward,
                proc.key,
                values,
                applicant=applicant,
                documents=_papers(proc, values, moment, calendar, index),
                channel="postal" if index % 4 == 3 else "direct",
                counter=counter,
                actor=actor,
                now=moment,
            ).record
        except UserError:
            continue  # a sample that no longer validates (e.g. a date rule) is skipped
        for step, (action, inputs) in enumerate(path, start=1):
            transition(
                ward,
                record.code,
                action,
                actor=actor,
                role="ward_admin",
                expected_lock_version=step,
                inputs=inputs,
                now=moment + timedelta(hours=step),
            )


def _as_filed(proc: Any, person: Applicant) -> tuple[dict[str, Any], Applicant]:
    """Return the sample values with ``person`` in the notebook's applicant fields, and the
    applicant left to give only the roles the notebook lacks (as the reception screen does)."""
    values = _valid_sample(proc) or {}
    marked = {
        role: fdef
        for role, fdef in proc.notebook.applicant_fields().items()
        if role in COLUMN_ROLES
    }
    for role, fdef in marked.items():
        if getattr(person, role):
            values[fdef.name] = getattr(person, role)
    return values, replace(person, **dict.fromkeys(marked, ""))


def _papers(
    proc: Any, values: dict[str, Any], moment: datetime, calendar: Any, index: int
) -> list[dict[str, Any]]:
    """Return the documents the procedure asks for with these values, as a counter ticks
    them: originals shown or kept, copies certified on every other dossier."""
    evaluation = evaluate(proc.notebook, values, EvalContext(moment.date(), moment, calendar))
    papers = []
    for output in evaluation.outputs.values():
        if not isinstance(output, DocumentsOutput):
            continue
        for item in output.items:
            form = item.form
            if form == "original_or_certified_copy":
                form = "certified_copy" if index % 2 else "original"
            papers.append({"key": item.key, "form": form, "count": item.count})
    return papers
