"""Reception and transitions against the database: codes, deadlines, locking, isolation."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest

from conftest import ward_of
from motcua.db import database
from motcua.errors import Conflict, NotFound, UserError, ValidationFailed
from motcua.records import (
    Applicant,
    WorkFilters,
    get_record,
    lookup_public,
    receive,
    transition,
    work_list,
)
from motcua.records.models import IdempotencyKey, Record, RecordCounter, RecordEvent
from motcua.records.service import events_of
from motcua.tenancy.models import CalendarOverride, Counter
from records_support import CERTIFY, MARITAL, publish_form, sample_values

APPLICANT = Applicant("Vũ Hoàng Nam", "024096003333", "0977111222", "Tổ 3, phường Nếnh")
MON = datetime(2026, 3, 2, 9, 0)


def rows() -> tuple[int, int, int, int]:
    return (
        Record.select().count(),
        RecordEvent.select().count(),
        RecordCounter.select().count(),
        IdempotencyKey.select().count(),
    )


@pytest.fixture
def ward(ward_a):  # noqa: ANN001, ANN201
    publish_form(ward_a, MARITAL)
    publish_form(ward_a, CERTIFY)
    return ward_a


def take(tenant, now=MON, **kw):  # noqa: ANN001, ANN003, ANN201
    kw.setdefault("applicant", APPLICANT)
    return receive(
        ward_of(tenant),
        kw.pop("key", MARITAL),
        kw.pop("values", sample_values()),
        actor="canbo",
        now=now,
        **kw,
    )


def test_receive_pins_version_computes_due_and_codes(ward):
    counter = Counter.get(Counter.tenant == ward)
    got = take(ward, counter=counter.id, documents=[{"key": _doc_key(ward), "count": 1}])
    record = got.record
    assert record.code == f"{ward.code}-260302-0001"
    assert record.status == "received" and record.notebook_version_id is not None
    assert record.due_at == datetime(2026, 3, 5, 9, 0)  # 3 working days
    assert (
        record.counter_id == counter.id and record.reception_point_id == counter.reception_point_id
    )
    assert record.documents[0]["count"] == 1
    assert take(ward).record.code.endswith("-0002")
    assert [e.action for e in events_of(ward, record)] == ["receive"]


def _doc_key(tenant) -> str:  # noqa: ANN001
    from motcua.records.procedures import procedure

    nb = procedure(tenant, MARITAL).notebook
    return next(item.key for c in nb.cells if c.kind == "documents" for item in c.document_items())


def test_code_format_is_a_tenant_setting(ward):
    ward.settings = {"record_code_format": "HS-{ward}-{yyyymmdd}-{seq:05d}"}
    ward.save()
    assert take(ward).record.code == f"HS-{ward.code}-20260302-00001"


def test_due_dates_across_tet_2026(ward):
    # Friday 13/2/2026 14:30; Tết closes offices Mon 16/2 to Fri 20/2; 3 working days -> Wed 25/2 14:30.
    record = take(ward, now=datetime(2026, 2, 13, 14, 30)).record
    assert record.due_at == datetime(2026, 2, 25, 14, 30)
    # After the 15:00 cut-off the count starts at the next working day's opening, so three
    # office days end at the close of the third working day.
    late = take(ward, now=datetime(2026, 2, 13, 15, 30)).record
    assert late.due_at == datetime(2026, 2, 25, 17, 0)


def test_ward_calendar_override_moves_the_due_date(ward):
    CalendarOverride.create(
        tenant=ward, day=datetime(2026, 3, 3).date(), working=False, note="Nghỉ"
    )
    assert take(ward).record.due_at == datetime(2026, 3, 6, 9, 0)


def test_bad_input_is_reported_per_field_and_nothing_written(ward):
    before = rows()
    values = {
        **sample_values(),
        "ngay_sinh": "31/02/1996",
        "gioi_tinh": "khong-co",
        "so_dien_thoai": "abc",
        "cccd_nguoi_yeu_cau": "12345",
    }
    with pytest.raises(ValidationFailed) as failed:
        take(
            ward,
            values=values,
            applicant=Applicant("", "12345", "abc", residence_ward_code="99999"),
            channel="fax",
            counter=999_999,
            documents=[{"key": "nope"}],
        )
    assert {
        "ngay_sinh",
        "gioi_tinh",
        "so_dien_thoai",  # the notebook's applicant fields carry the applicant's errors
        "cccd_nguoi_yeu_cau",
        "residence_ward_code",
        "channel",
        "counter",
        "documents",
    } <= set(failed.value.errors)
    assert rows() == before


def test_unknown_procedure_and_wrong_tenant(ward, ward_b):
    with pytest.raises(NotFound):
        take(ward, key="khong-co-thu-tuc")
    record = take(ward).record
    with pytest.raises(NotFound):
        get_record(ward_b, record.code)
    with pytest.raises(NotFound):
        transition(ward_of(ward_b), record.code, "assign", actor="x", role="ward_admin", expected_lock_version=1
        )
    with pytest.raises(NotFound):
        lookup_public(ward_b, record.code)
    # Another ward's counter is refused too.
    other = Counter.get(Counter.tenant == ward_b)
    with pytest.raises(ValidationFailed) as failed:
        take(ward, counter=other.id)
    assert "counter" in failed.value.errors


def test_non_territorial_and_old_address(ward):
    here = take(ward, applicant=Applicant("An", residence_ward_code=ward.code)).record
    assert not here.non_territorial
    away = take(ward, applicant=Applicant("Bình", residence_ward_code="06832")).record
    assert away.non_territorial and away.residence_ward_code == "06832"
    got = take(
        ward, applicant=Applicant("Chi", old_address="Xã Vân Trung, Huyện Việt Yên, Tỉnh Bắc Giang")
    )
    assert got.residence_hint is not None
    assert got.record.residence_ward_code == ward.code and not got.record.non_territorial


def test_idempotency_key_returns_the_first_record(ward):
    first = take(ward, idempotency_key="abc-1")
    again = take(ward, idempotency_key="abc-1")
    assert again.replayed and again.record.id == first.record.id
    assert Record.select().count() == 1


def test_concurrent_receptions_never_duplicate_or_skip_a_code(ward):
    codes, failures = [], []
    barrier = threading.Barrier(20)

    def worker() -> None:
        try:
            barrier.wait()
            codes.append(take(ward).record.code)
        except Exception as exc:  # noqa: BLE001
            failures.append(exc)
        finally:
            if not database.is_closed():
                database.close()

    threads = [threading.Thread(target=worker) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    assert sorted(codes) == [f"{ward.code}-260302-{n:04d}" for n in range(1, 21)]


def test_two_conflicting_transitions_one_wins_one_409(ward):
    record = take(ward).record
    transition(ward_of(ward), record.code, "assign", actor="a", role="staff", expected_lock_version=1, now=MON
    )
    results = []
    for action in ("approve", "reject"):
        try:
            transition(
                ward_of(ward),
                record.code,
                action,
                actor="lanhdao",
                role="leader",
                expected_lock_version=2,
                inputs={"reason": "Thiếu căn cứ"},
                now=MON,
            )
            results.append("ok")
        except Conflict as exc:
            results.append(exc.status)
    assert results == ["ok", 409]
    assert get_record(ward, record.code).status == "approved"


def test_concurrent_transitions_in_threads(ward):
    record = take(ward).record
    results: list[object] = []
    barrier = threading.Barrier(2)

    def worker(action: str) -> None:
        try:
            barrier.wait()
            transition(
                ward_of(ward),
                record.code,
                action,
                actor="a",
                role="ward_admin",
                expected_lock_version=1,
                inputs={"reason": "Đề nghị dừng"} if action == "withdraw" else {},
                now=MON,
            )
            results.append("ok")
        except UserError as exc:
            results.append(exc.status)
        finally:
            if not database.is_closed():
                database.close()

    threads = [threading.Thread(target=worker, args=(a,)) for a in ("assign", "withdraw")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results, key=str) == [409, "ok"]
    assert len(events_of(ward, get_record(ward, record.code))) == 2


def test_supplement_pause_extends_the_due_date(ward):
    record = take(ward).record  # due Thu 5/3 09:00
    transition(ward_of(ward), record.code, "assign", actor="a", role="staff", expected_lock_version=1, now=MON
    )
    transition(
        ward_of(ward),
        record.code,
        "request_supplement",
        actor="a",
        role="staff",
        expected_lock_version=2,
        inputs={"items": "Giấy khai sinh | bản sao mờ"},
        now=datetime(2026, 3, 3, 9, 0),
    )
    assert lookup_public(ward, record.code).asked == [
        {"item": "Giấy khai sinh", "reason": "bản sao mờ"}
    ]
    after = transition(
        ward_of(ward),
        record.code,
        "supplement_received",
        actor="a",
        role="staff",
        expected_lock_version=3,
        now=datetime(2026, 3, 4, 9, 0),
    )
    assert after.due_at == datetime(2026, 3, 6, 9, 0)  # one working day waited
    assert after.paused_at is None and after.paused_working_time == 8 * 3600


def test_supplement_restart_is_a_province_setting(ward):
    province = ward.province
    province.settings = {**(province.settings or {}), "supplement_rule": "restart"}
    province.save()
    record = take(ward).record
    transition(
        ward_of(ward),
        record.code,
        "request_supplement",
        actor="a",
        role="staff",
        expected_lock_version=1,
        inputs={"items": [{"item": "Ảnh", "reason": "thiếu"}]},
        now=MON,
    )
    after = transition(
        ward_of(ward),
        record.code,
        "supplement_received",
        actor="a",
        role="staff",
        expected_lock_version=2,
        now=datetime(2026, 3, 4, 10, 0),
    )
    assert after.due_at == datetime(2026, 3, 9, 10, 0)


def test_whole_life_and_outcome(ward):
    code = take(ward).record.code
    steps = [
        ("assign", "staff", {}),
        ("transfer", "specialist", {"step": "Thẩm định"}),
        ("approve", "leader", {}),
        ("result_ready", "staff", {}),
        ("return", "staff", {"method": "in_person"}),
    ]
    for version, (action, role, inputs) in enumerate(steps, start=1):
        transition(
            ward_of(ward),
            code,
            action,
            actor=role,
            role=role,
            expected_lock_version=version,
            inputs=inputs,
            now=datetime(2026, 3, 3, 10, 0),
        )
    record = get_record(ward, code)
    assert (
        record.status == "returned" and record.outcome == "early" and record.returned_at is not None
    )
    events = events_of(ward, record)
    assert [e.seq for e in events] == list(range(1, 7))
    assert all(e.step_outcome == "early" for e in events[1:])


def test_apology_only_until_the_day_before_due(ward):
    code = take(ward).record.code  # due Thu 5/3 09:00
    with pytest.raises(ValidationFailed) as failed:
        transition(
            ward_of(ward),
            code,
            "apologize",
            actor="l",
            role="leader",
            expected_lock_version=1,
            inputs={"reason": "Chờ xác minh", "new_due": "2026-03-10T16:00"},
            now=datetime(2026, 3, 5, 8, 0),
        )
    assert "new_due" in failed.value.errors
    record = transition(
        ward_of(ward),
        code,
        "apologize",
        actor="l",
        role="leader",
        expected_lock_version=1,
        inputs={"reason": "Chờ xác minh", "new_due": "2026-03-10T16:00"},
        now=datetime(2026, 3, 4, 8, 0),
    )
    assert record.due_at == datetime(2026, 3, 10, 16, 0) and record.status == "received"


def test_work_list_filters_and_keyset_pages(ward):
    for hour in range(7, 12):
        take(ward, now=datetime(2026, 3, 2, hour, 0))
    take(
        ward,
        key=CERTIFY,
        values=sample_values(CERTIFY),
        now=datetime(2026, 3, 2, 12, 0),
        applicant=Applicant("Trần Thị Bé", phone="0912000111"),
        channel="postal",
    )
    first = work_list(ward, WorkFilters(), limit=4)
    assert len(first.records) == 4 and first.next_cursor
    second = work_list(ward, WorkFilters(), after=first.next_cursor, limit=4)
    codes = [r.code for r in first.records + second.records]
    assert len(codes) == len(set(codes)) == 6 and second.next_cursor is None
    assert [r.procedure_key for r in work_list(ward, WorkFilters(search="tran thi")).records] == [
        CERTIFY
    ]
    assert len(work_list(ward, WorkFilters(search="0912000111")).records) == 1
    assert len(work_list(ward, WorkFilters(channel="postal")).records) == 1
    assert len(work_list(ward, WorkFilters(procedure=MARITAL)).records) == 5
    assert (
        len(work_list(ward, WorkFilters(overdue=True), now=datetime(2026, 3, 20, 9, 0)).records)
        == 6
    )
    assert len(work_list(ward, WorkFilters(due_within=1), now=MON).records) == 1  # the same-day one
    assert work_list(ward, WorkFilters(search=codes[0])).records[0].code == codes[0]


def test_public_lookup_masks_the_name(ward):
    record = take(ward).record
    status = lookup_public(ward, record.code.lower())
    assert status.masked_name == "V* H**** N**"
    body = str(status.as_dict())
    for secret in ("Vũ Hoàng Nam", "024096003333", "0977111222", "Tổ 3"):
        assert secret not in body
