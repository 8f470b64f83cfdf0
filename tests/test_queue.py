"""The queue plugin: services from the ward's counters, gap-free daily numbers under
concurrency (threads and processes, SQLite and PostgreSQL), and the calling order."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest

from motcua import NotFound, UserError
from motcua import clock as motcua_clock
from motcua.db import database
from queue_support import seeded, take_in_process


def test_services_and_counters_come_from_the_wards_counters(ward_a):
    from motcua_queue.setup import desks, seed_from_counters, services

    info = seeded(ward_a)
    keys = [s.key for s in services(info.id)]
    assert keys == ["tu-phap", "tra-ket-qua"]
    assert [s.letter for s in services(info.id)] == ["A", "B"]
    (desk,) = desks(info.id)
    assert desk.number == 1 and desk.services == ["tu-phap", "tra-ket-qua"]
    assert seed_from_counters(info) == 0  # a second run leaves the ward's setup alone


def test_numbers_are_daily_per_service_and_restart_each_day(ward_a, ward_b, clock):
    from motcua_queue.tickets import take_ticket

    a, b = seeded(ward_a), seeded(ward_b)
    assert [take_ticket(a.id, "tu-phap").ticket.number for _ in range(3)] == ["A-001", "A-002", "A-003"]
    assert take_ticket(a.id, "tra-ket-qua").ticket.number == "B-001"
    assert take_ticket(b.id, "tu-phap").ticket.number == "A-001"  # another ward counts on its own
    with clock_at(clock + timedelta(days=1)):
        assert take_ticket(a.id, "tu-phap").ticket.number == "A-001"


def clock_at(moment: datetime):  # noqa: ANN201
    return motcua_clock.frozen(moment)


def test_take_refuses_unknown_service_and_priority(ward_a):
    from motcua_queue.tickets import take_ticket

    info = seeded(ward_a)
    with pytest.raises(NotFound) as missing:
        take_ticket(info.id, "khong-co")
    assert "tu-phap" in missing.value.text.render("vi")
    with pytest.raises(UserError):
        take_ticket(info.id, "tu-phap", priority="vip")


def test_a_failed_ticket_gives_its_number_back(ward_a):
    from motcua.plugin_api import transaction
    from motcua_queue.tickets import take_ticket

    info = seeded(ward_a)
    with pytest.raises(RuntimeError), transaction():
        take_ticket(info.id, "tu-phap")
        raise RuntimeError("the kiosk lost power before the commit")
    assert take_ticket(info.id, "tu-phap").ticket.number == "A-001"


def _assert_consecutive(numbers: list[str], count: int) -> None:
    assert len(numbers) == count and len(set(numbers)) == count
    assert sorted(int(n.split("-")[1]) for n in numbers) == list(range(1, count + 1))


def test_fifty_tickets_from_threads_are_distinct_and_consecutive(ward_a, clock):
    from motcua_queue.tickets import take_ticket

    info = seeded(ward_a)

    def take(_: int) -> str:
        with clock_at(clock):
            try:
                return take_ticket(info.id, "tu-phap").ticket.number
            finally:
                database.close()  # each thread's own connection (a pool slot on PostgreSQL)

    with ThreadPoolExecutor(max_workers=8) as pool:
        numbers = list(pool.map(take, range(50)))
    _assert_consecutive(numbers, 50)


def test_fifty_tickets_from_parallel_processes_are_distinct_and_consecutive(ward_a, migrated_db, clock):
    info = seeded(ward_a)
    database.close()  # the children open their own connections
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=5, mp_context=spawn) as pool:
        jobs = [pool.submit(take_in_process, migrated_db, info.id, "tu-phap", 10, clock.isoformat())
                for _ in range(5)]
        numbers = [n for job in jobs for n in job.result(timeout=120)]
    _assert_consecutive(numbers, 50)


def test_priority_first_then_order_and_two_counters_never_share_a_ticket(ward_a, clock):
    from motcua_queue.setup import desks, save_desk
    from motcua_queue.tickets import call_next, take_ticket

    info = seeded(ward_a)
    second = save_desk(info.id, point="chinh", number=2, name="Quầy 2", service_keys=["tu-phap"])
    first = desks(info.id)[0]
    plain = take_ticket(info.id, "tu-phap").ticket
    with clock_at(clock + timedelta(minutes=1)):
        elderly = take_ticket(info.id, "tu-phap", priority="elderly").ticket
    with clock_at(clock + timedelta(minutes=5)):
        assert call_next(info.id, first).id == elderly.id
        assert call_next(info.id, second).id == plain.id
        assert call_next(info.id, first) is None  # nobody left; the elderly citizen counts as a no-show


def test_the_plugins_models_match_its_migrated_tables(db):
    from motcua_queue.models import MODELS

    for model in MODELS:
        table = model._meta.table_name
        expected = {f.column_name for f in model._meta.sorted_fields}
        assert {c.name for c in db.get_columns(table)} == expected, table
        for index in db.get_indexes(table):
            if index.unique and not index.name.endswith("pkey"):
                assert index.columns[0] == "tenant_id", f"{table}.{index.name}"


def test_the_call_is_spoken_digit_by_digit_in_vietnamese():
    from motcua_queue.voice import call_phrase

    assert call_phrase("B-023", 3) == "Mời số B, không hai ba, đến quầy 3"
    assert call_phrase("AB-1024", 12) == "Mời số A B, một không hai bốn, đến quầy 12"


def test_espeak_ng_makes_the_clip_and_bad_input_makes_none():
    from motcua_queue.voice import espeak, speech_wav

    assert espeak() is not None, "install espeak-ng (./run installs it; Dockerfile has it)"
    assert speech_wav("B-023", 3)[:4] == b"RIFF"
    assert speech_wav("B-023; rm -rf /", 3) is None and speech_wav("B-023", 0) is None


def test_figures_arithmetic_nearest_rank_p90_and_no_shows():
    from motcua_queue.figures import Visit, percentile, summarize

    start = datetime(2026, 12, 2, 8, 0)
    visits = [
        Visit(start.date(), "Đất đai", "Quầy 1", "done", start, start + timedelta(minutes=m),
              start + timedelta(minutes=m), start + timedelta(minutes=m + 5), scores=(3,) if m == 1 else ())
        for m in range(1, 11)
    ] + [Visit(start.date(), "Đất đai", "Quầy 1", "skipped", start, start + timedelta(minutes=30))]
    figures = summarize(visits)
    assert figures["tickets"] == 11 and figures["served"] == 10 and figures["no_shows"] == 1
    assert figures["wait_p90"] == 10.0 and figures["service_avg"] == 5.0
    assert figures["wait_avg"] == round((55 + 30) / 11, 1)
    assert figures["ratings"] == {"very_satisfied": 1, "satisfied": 0, "not_satisfied": 0}
    assert percentile([], 0.9) is None and percentile([4.0], 0.9) == 4.0


def test_two_counters_calling_at_once_never_share_a_ticket(ward_a, clock):
    from motcua_queue.setup import save_desk
    from motcua_queue.tickets import call_next, take_ticket

    info = seeded(ward_a)
    counters = [save_desk(info.id, point="chinh", number=n, name=f"Quầy {n}", service_keys=["tu-phap"])
                for n in (2, 3, 4)]
    for _ in range(30):
        take_ticket(info.id, "tu-phap")

    def work(desk):  # noqa: ANN001, ANN202
        called = []
        with clock_at(clock + timedelta(minutes=1)):
            try:
                while (ticket := call_next(info.id, desk)) is not None:
                    called.append(ticket.number)
            finally:
                database.close()
        return called

    with ThreadPoolExecutor(max_workers=3) as pool:
        calls = [n for numbers in pool.map(work, counters) for n in numbers]
    assert sorted(calls) == [f"A-{n:03d}" for n in range(1, 31)]


def test_a_new_ward_gets_its_services_through_tenant_created(app, ward_a):
    from motcua.plugins import plugin_host
    from motcua_queue.setup import services

    plugin_host(app).notify("tenant_created", ward_a)
    assert [s.key for s in services(ward_a.id)] == ["tu-phap", "tra-ket-qua"]
    assert list(plugin_host(app).recent_failures) == []


def test_the_estimated_wait_learns_the_days_service_time(ward_a, clock):
    from motcua_queue.setup import desks, service_by_key
    from motcua_queue.tickets import call_next, estimated_wait, finish, start_serving, take_ticket

    info = seeded(ward_a)
    desk = desks(info.id)[0]
    service = service_by_key(info.id, "tu-phap")
    assert estimated_wait(info.id, service, 2) == 20  # the setting: 10 minutes a ticket, one counter
    for _ in range(3):
        take_ticket(info.id, "tu-phap")
    for minute in (0, 4, 8):  # three served in 4 minutes each
        with clock_at(clock + timedelta(minutes=minute)):
            call_next(info.id, desk)
            start_serving(info.id, desk, "canbo-a")
        with clock_at(clock + timedelta(minutes=minute + 4)):
            finish(info.id, desk)
    assert estimated_wait(info.id, service, 2) == 8
    assert estimated_wait(info.id, service, 0) == 0


def test_the_plugin_imports_only_the_public_api():
    import ast
    from pathlib import Path

    import motcua_queue

    allowed = {"motcua", "motcua.plugin_api"}
    found = set()
    for path in Path(motcua_queue.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0 else [])
            found |= {(path.name, n) for n in names if n == "motcua" or n.startswith("motcua.")}
    assert found and {n for _, n in found} <= allowed, sorted(found)


def test_position_counts_priority_first_then_time_taken(ward_a, clock):
    from motcua_queue.setup import desks
    from motcua_queue.tickets import call_next, position, take_ticket, waiting

    info = seeded(ward_a)
    taken = []
    for minute, priority in enumerate(["", "", "merit", "", "elderly", ""]):
        with clock_at(clock + timedelta(minutes=minute)):
            taken.append(take_ticket(info.id, "tu-phap", priority=priority).ticket)
    order = waiting(info.id, [taken[0].service_id], clock.date())
    assert [t.number for t in order] == ["A-003", "A-005", "A-001", "A-002", "A-004", "A-006"]
    assert [position(t) for t in order] == list(range(6))
    with clock_at(clock + timedelta(minutes=10)):
        call_next(info.id, desks(info.id)[0])
    assert [position(t) for t in order[1:]] == list(range(5))
