"""The transactional outbox and its worker: written with the change, delivered once, in order."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from conftest import ward_of
from connectors_support import HANG_MS, check_received, connect_ward, worker
from motcua.connectors.backoff import RetryPolicy
from motcua.connectors.delivery import due_messages, retry
from motcua.connectors.models import OutboxMessage
from motcua.errors import UserError
from motcua.portal_sim.process import running_sim
from motcua.records.applicant import Applicant
from motcua.records.models import Record
from motcua.records.service import receive, transition
from records_support import MARITAL, publish_form, sample_values

APPLICANT = Applicant(name="Vũ Hoàng Nam", id_number="024096003333", phone="0977111222")
MOVES = ("assign", "request_supplement", "supplement_received")


def test_backoff_doubles_with_jitter_up_to_the_cap():
    policy = RetryPolicy(max_attempts=4, base_delay=2.0, max_delay=10.0)
    rng = random.Random(7)
    waits = [policy.delay(n, rng) for n in (1, 2, 3, 4, 5)]
    assert 1.0 <= waits[0] <= 2.0 and 2.0 <= waits[1] <= 4.0 and 4.0 <= waits[2] <= 8.0
    assert all(5.0 <= w <= 10.0 for w in waits[3:])
    assert len({round(policy.delay(3, rng), 6) for _ in range(20)}) > 10  # jitter spreads them
    assert not policy.exhausted(3) and policy.exhausted(4)


def _receive(tenant, **extra):  # noqa: ANN001, ANN003, ANN202
    return receive(
        ward_of(tenant), MARITAL, sample_values(), applicant=APPLICANT, actor="canbo", **extra
    ).record


def _move(tenant, code: str, actions=MOVES) -> None:  # noqa: ANN001
    for action in actions:
        record = Record.get(Record.tenant == tenant, Record.code == code)
        inputs = (
            {"items": [{"item": "Bản sao CCCD", "reason": "mờ"}]}
            if action == "request_supplement"
            else {}
        )
        transition(
            ward_of(tenant),
            code,
            action,
            actor="lanhdao",
            role="ward_admin",
            expected_lock_version=record.lock_version,
            inputs=inputs,
        )


def test_a_change_writes_its_message_in_its_own_transaction(app, ward_a, ward_b):
    publish_form(ward_a)
    publish_form(ward_b)
    connect_ward(app, ward_a, "http://127.0.0.1:9")
    record = _receive(ward_a)
    _move(ward_a, record.code, ("assign",))
    _receive(ward_b)  # ward B has no connector: nothing to send
    messages = list(OutboxMessage.select().order_by(OutboxMessage.id))
    assert [(m.tenant_id, m.kind, m.record_key, m.seq, m.state) for m in messages] == [
        (ward_a.id, "record.received", record.code, 1, "pending"),
        (ward_a.id, "record.status", record.code, 2, "pending"),
    ]
    assert messages[1].payload["event"]["to_status"] == "in_progress"
    assert len({m.idempotency_key for m in messages}) == 2
    # A change that rolls back takes its message with it.
    ward = ward_of(ward_a)
    with pytest.raises(RuntimeError), ward.events.change():
        receive(ward, MARITAL, sample_values(), applicant=APPLICANT, actor="canbo")
        raise RuntimeError("the change fails after the reception")
    assert OutboxMessage.select().count() == 2 and Record.select().count() == 2


def test_only_the_first_undelivered_message_of_a_record_is_due(app, ward_a, clock):
    publish_form(ward_a)
    connect_ward(app, ward_a, "http://127.0.0.1:9")
    first, second = _receive(ward_a), _receive(ward_a)
    _move(ward_a, first.code, ("assign",))
    due = list(due_messages(clock, 10))
    assert [(m.record_key, m.seq) for m in due] == [(first.code, 1), (second.code, 1)]
    OutboxMessage.update(state="dead").where(
        OutboxMessage.record_key == first.code, OutboxMessage.seq == 1
    ).execute()
    assert [(m.record_key, m.seq) for m in due_messages(clock, 10)] == [(second.code, 1)]


def test_failing_portal_retries_with_backoff_then_dead_letter_then_retry(app, ward_a, clock):
    publish_form(ward_a)
    with running_sim("--fail-rate", "1", "--hang-ms", str(HANG_MS), "--seed", "3") as sim:
        connect_ward(app, ward_a, sim.url)
        record = _receive(ward_a)
        runner, moving = worker(app, clock, policy=RetryPolicy(max_attempts=4, base_delay=1.0))
        runner.drain()
        message = OutboxMessage.get()
        assert message.state == "dead" and message.attempts == 4 and message.last_error
        assert moving.slept >= 0.5 + 1 + 2  # three backoffs, each at least half its step
        sim.configure(fail_rate=0)
        assert retry(ward_a, message.id).state == "pending"
        runner.drain()
        assert OutboxMessage.get().state == "delivered"
        report = check_received(sim.received(), {record.code: 1})
        assert report.lost == 0 and report.duplicates_applied == 0
        with pytest.raises(UserError, match="đã gửi xong"):
            retry(ward_a, message.id)


def test_a_dead_message_holds_back_its_record_and_a_drain_still_ends(app, ward_a, clock):
    publish_form(ward_a)
    with running_sim("--fail-rate", "1", "--hang-ms", str(HANG_MS), "--seed", "6") as sim:
        connect_ward(app, ward_a, sim.url)
        record = _receive(ward_a)
        _move(ward_a, record.code, ("assign",))
        runner, _ = worker(app, clock, policy=RetryPolicy(max_attempts=2, base_delay=1.0))
        runner.drain()  # returns although the second message is still pending
        states = [m.state for m in OutboxMessage.select().order_by(OutboxMessage.seq)]
        assert states == ["dead", "pending"] and runner.next_wake() is None
        first = OutboxMessage.get(OutboxMessage.seq == 1)
        assert OutboxMessage.get(OutboxMessage.seq == 2).attempts == 0  # never sent before the first
        sim.configure(fail_rate=0)
        retry(ward_a, first.id)
        runner.drain()
        assert [m.state for m in OutboxMessage.select()] == ["delivered", "delivered"]
        seqs = [a["seq"] for a in sim.received()["applied"] if a["record_code"] == record.code]
    # The first may have been applied by a failed try already ("applied, then 500"); either
    # way the portal applied each message once, the first before the second.
    assert seqs == [1, 2]


def test_statuses_reach_the_portal_once_each_in_order_despite_failures(app, ward_a, clock):
    publish_form(ward_a)
    with running_sim("--fail-rate", "0.4", "--hang-ms", str(HANG_MS), "--seed", "11") as sim:
        connect_ward(app, ward_a, sim.url)
        codes = [_receive(ward_a).code for _ in range(8)]
        for code in codes:
            _move(ward_a, code)
        runner, _ = worker(app, clock)
        runner.drain()
        report = check_received(sim.received(), {code: 1 + len(MOVES) for code in codes})
    assert OutboxMessage.select().where(OutboxMessage.state != "delivered").count() == 0
    assert report.lost == 0 and report.duplicates_applied == 0 and report.out_of_order == 0
    assert report.applied == 8 * (1 + len(MOVES))
    assert all(seqs == [1, 2, 3, 4] for seqs in report.per_record.values())
    assert report.deliveries > report.applied  # the failures made it send again


def _worker_process(migrated_db: str, data_dir, *arguments: str) -> subprocess.Popen:  # noqa: ANN001
    env = {**os.environ, "DATABASE_URL": migrated_db, "MOTCUA_DATA_DIR": str(data_dir)}
    return subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "motcua.cli",
            "worker",
            "--drain",
            "--lease",
            "2",
            "--base-delay",
            "0.2",
            "--max-delay",
            "1",
            "--max-attempts",
            "30",
            "--threads",
            "4",
            *arguments,
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def test_kill_9_mid_drain_then_restart_loses_nothing_and_applies_nothing_twice(
    app, ward_a, migrated_db, tmp_path
):
    publish_form(ward_a)
    with running_sim(
        "--fail-rate", "0.3", "--latency-ms", "60", "--hang-ms", str(HANG_MS), "--seed", "5"
    ) as sim:
        connect_ward(app, ward_a, sim.url)
        codes = [_receive(ward_a).code for _ in range(12)]
        for code in codes:
            _move(ward_a, code)
        total = len(codes) * (1 + len(MOVES))
        first = _worker_process(migrated_db, tmp_path)
        deadline = time.monotonic() + 60
        while sim.received()["deliveries"] < total // 3 and time.monotonic() < deadline:
            assert first.poll() is None, first.stdout.read().decode()
            time.sleep(0.05)
        first.send_signal(signal.SIGKILL)
        first.wait()
        assert first.returncode == -signal.SIGKILL
        left = OutboxMessage.select().where(OutboxMessage.state == "pending").count()
        assert left > 0  # killed mid-drain, with work (and likely leases) left
        second = _worker_process(migrated_db, tmp_path)
        output = second.communicate(timeout=120)[0].decode()
        assert second.returncode == 0, output
        report = check_received(sim.received(), {code: 1 + len(MOVES) for code in codes})
    assert report.lost == 0 and report.duplicates_applied == 0 and report.out_of_order == 0
    assert report.applied == total
    assert OutboxMessage.select().where(OutboxMessage.state != "delivered").count() == 0
