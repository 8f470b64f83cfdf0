"""``motcua calendar update``: a decision loaded before the package ships it moves the due
dates of open records, each move logged on the record."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ward_of
from motcua.calendar import parse_decisions
from motcua.cli import main
from motcua.errors import UserError
from motcua.records import Applicant, receive, transition
from motcua.records.models import Record, RecordEvent
from motcua.tenancy.calendar_update import load_national_calendar, update_national_calendar
from motcua.tenancy.models import CalendarDecision
from motcua.tenancy.workdays import national_decisions, ward_calendar
from records_support import MARITAL, publish_form, sample_values

APPLICANT = Applicant("Vũ Hoàng Nam", "024096003333", "0977111222", "Tổ 3, phường Nếnh")
# A made-up document for the test (never ship one like it): Thursday 31/12/2026 off.
DECISION = """
[[decision]]
number = "TEST-1/2026"
issued = 2026-12-01
name = "Nghỉ thử nghiệm"
source = "https://example.org/test-1"
days_off = [2026-12-31]
working_days = [2027-01-09]
"""
MON = datetime(2026, 12, 28, 14, 0)
NOW = datetime(2026, 12, 2, 9, 30)


@pytest.fixture
def env(app, monkeypatch):  # noqa: ANN001, ANN201
    settings = app.extensions["motcua.settings"]
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("SECRET_KEY", "test-secret")
    monkeypatch.setenv("MOTCUA_PLUGIN_AUTOLOAD", "0")
    return settings


def take(tenant, now=MON):  # noqa: ANN001, ANN201
    return receive(ward_of(tenant), MARITAL, sample_values(), applicant=APPLICANT, actor="canbo", now=now).record


@pytest.fixture
def wards(ward_a, ward_b):  # noqa: ANN001, ANN201
    publish_form(ward_a, MARITAL)
    publish_form(ward_b, MARITAL)
    return ward_a, ward_b


def test_update_moves_open_dues_in_every_ward_and_logs_them(wards):
    ward_a, ward_b = wards
    open_a, open_b = take(ward_a), take(ward_b)
    assert open_a.due_at == datetime(2026, 12, 31, 14, 0)  # 3 working days
    early = take(ward_a, now=datetime(2026, 12, 21, 9, 0))  # due 24/12: untouched
    done = take(ward_a)
    transition(ward_of(ward_a), done.code, "withdraw", actor="canbo", role="staff",
               expected_lock_version=done.lock_version, inputs={"reason": "Đề nghị dừng"})
    by_hand = take(ward_a)
    Record.update(due_at=datetime(2027, 1, 8, 10, 0)).where(Record.id == by_hand.id).execute()

    preview = update_national_calendar(parse_decisions(DECISION), origin="t", actor="it", now=NOW,
                                       apply=False)
    assert preview.added == ["TEST-1/2026"] and not preview.applied
    assert [(c.day, c.was_working, c.working) for c in preview.days] == [
        (date(2026, 12, 31), True, False), (date(2027, 1, 9), False, True)]
    assert sorted(m.record_code for m in preview.records) == sorted([open_a.code, open_b.code])
    assert CalendarDecision.select().count() == 0
    assert Record.get_by_id(open_a.id).due_at == datetime(2026, 12, 31, 14, 0)

    applied = update_national_calendar(parse_decisions(DECISION), origin="t", actor="it", now=NOW)
    assert applied.as_dict()["records"] == preview.as_dict()["records"]
    # 31/12 off, 1/1/2027 New Year, then the weekend: Monday 4/1 14:00.
    for record in (open_a, open_b):
        moved = Record.get_by_id(record.id)
        assert moved.due_at == datetime(2027, 1, 4, 14, 0)
        assert moved.lock_version == record.lock_version + 1
        event = RecordEvent.select().where(RecordEvent.record == record).order_by(
            RecordEvent.seq.desc()).get()
        assert (event.action, event.note, event.actor) == ("recalculate_due", "TEST-1/2026", "it")
        assert event.details == {"old_due": "2026-12-31T14:00:00", "new_due": "2027-01-04T14:00:00"}
    assert Record.get_by_id(early.id).due_at == datetime(2026, 12, 24, 9, 0)
    assert Record.get_by_id(done.id).due_at == datetime(2026, 12, 31, 14, 0)
    assert Record.get_by_id(by_hand.id).due_at == datetime(2027, 1, 8, 10, 0)
    assert not ward_calendar(ward_a).is_working_day(date(2026, 12, 31))
    assert ward_calendar(ward_b).is_working_day(date(2027, 1, 9))
    assert "TEST-1/2026" in [d.number for d in national_decisions()]
    # New receptions count on the new calendar too.
    assert take(ward_a).due_at == datetime(2027, 1, 4, 14, 0)

    again = update_national_calendar(parse_decisions(DECISION), origin="t", actor="it", now=NOW)
    assert again.unchanged == ["TEST-1/2026"] and not again.days and not again.records


def test_a_correction_replaces_the_loaded_decision_and_moves_dues_back(wards):
    ward_a, _ = wards
    update_national_calendar(parse_decisions(DECISION), origin="t", actor="it", now=NOW)
    record = take(ward_a)
    assert record.due_at == datetime(2027, 1, 4, 14, 0)
    corrected = DECISION.replace("days_off = [2026-12-31]", "days_off = [2027-01-08]")
    update = update_national_calendar(parse_decisions(corrected), origin="t", actor="it", now=NOW)
    assert update.replaced == ["TEST-1/2026"]
    assert [(c.day, c.working) for c in update.days] == [(date(2026, 12, 31), True),
                                                        (date(2027, 1, 8), False)]
    assert Record.get_by_id(record.id).due_at == datetime(2026, 12, 31, 14, 0)


def test_a_paused_record_is_replayed_with_its_supplement(wards):
    ward_a, _ = wards
    record = take(ward_a, now=datetime(2026, 12, 23, 14, 0))  # due 28/12 14:00
    ward = ward_of(ward_a)
    assert record.due_at == datetime(2026, 12, 28, 14, 0)
    record = transition(ward, record.code, "request_supplement", actor="cb", role="staff",
                        expected_lock_version=record.lock_version,
                        inputs={"items": "Bản sao CCCD | mờ"}, now=datetime(2026, 12, 24, 9, 0))
    record = transition(ward, record.code, "supplement_received", actor="cb", role="staff",
                        expected_lock_version=record.lock_version, now=datetime(2026, 12, 29, 9, 0))
    # extend: 3 working days waited (24/12 9:00 to 29/12 9:00 is 24 office hours): 31/12 14:00.
    assert record.due_at == datetime(2026, 12, 31, 14, 0)
    update_national_calendar(parse_decisions(DECISION), origin="t", actor="it", now=NOW)
    assert Record.get_by_id(record.id).due_at == datetime(2027, 1, 4, 14, 0)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    (tmp_path / "decision.toml").write_text(DECISION, encoding="utf-8")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN204
            super().__init__(*args, directory=str(tmp_path), **kwargs)

        def log_message(self, *args):  # noqa: ANN002, ANN201
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_cli_loads_from_a_url_with_a_dry_run_first(env, wards, served):
    ward_a, _ = wards
    record = take(ward_a)
    runner = CliRunner()
    dry = runner.invoke(main, ["calendar", "update", f"{served}/decision.toml", "--dry-run", "--json"],
                        catch_exceptions=False)
    assert dry.exit_code == 0, dry.output
    report = json.loads(dry.output)
    assert report["applied"] is False and report["added"] == ["TEST-1/2026"]
    assert {"tenant": ward_a.code, "record": record.code, "old_due": "2026-12-31T14:00",
            "new_due": "2027-01-04T14:00"} in report["records"]
    assert CalendarDecision.select().count() == 0
    done = runner.invoke(main, ["calendar", "update", f"{served}/decision.toml", "--by", "so-tt"],
                         catch_exceptions=False)
    assert done.exit_code == 0, done.output
    assert "31/12/2026" in done.output and record.code in done.output
    assert CalendarDecision.get().loaded_by == "so-tt"
    listed = runner.invoke(main, ["calendar", "decisions"], catch_exceptions=False)
    assert "12729/VPCP-KGVX" in listed.output and "TEST-1/2026" in listed.output
    missing = runner.invoke(main, ["calendar", "update", f"{served}/none.toml"])
    assert missing.exit_code == 1 and "404" in missing.output


def test_an_unreadable_file_is_refused_clearly(db, tmp_path):
    with pytest.raises(UserError) as raised:
        load_national_calendar(str(tmp_path / "none.toml"), actor="it", now=NOW)
    assert "Không đọc được tệp" in raised.value.text.render("vi")
