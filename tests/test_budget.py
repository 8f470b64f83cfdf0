"""No admin input can stall the server: date functions cost O(years), a request's notebook
evaluation has a wall-clock budget, and heavy previews share a bounded set of slots."""

from __future__ import annotations

import importlib
import json
import random
import threading
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from werkzeug.datastructures import MultiDict

from conftest import REPO, login
from motcua import budget
from motcua.accounts.service import create_token
from motcua.calendar import WorkCalendar
from motcua.calendar.work_calendar import FIRST_DAY, LAST_DAY, CalendarOverride
from motcua.errors import UserError
from motcua.expressions import EvalContext
from motcua.notebooks import evaluate, notebook_from_dict, read_ipynb, service
from records_support import MARITAL, publish_form, sample_values
from test_notebooks_web import editor_fields

HOSTILE = "workdays_between(date(1, 1, 1), date(9999, 12, 31))"
WIDE = "workdays_between(date(1901, 1, 1), date(2100, 12, 31))"


# ---------------------------------------------------------------- O(years) date arithmetic

def _one_by_one_between(calendar: WorkCalendar, start: date, end: date) -> int:
    if end < start:
        return -_one_by_one_between(calendar, end, start)
    return sum(calendar.is_working_day(start + timedelta(days=n)) for n in range(1, (end - start).days + 1))


def _one_by_one_add(calendar: WorkCalendar, start: date, days: int) -> date:
    day, step = start, (1 if days >= 0 else -1)
    for _ in range(abs(days)):
        day += timedelta(days=step)
        while not calendar.is_working_day(day):
            day += timedelta(days=step)
    return day


@pytest.mark.parametrize("overrides", [(), (CalendarOverride(date(2026, 3, 7), True),
                                             CalendarOverride(date(2026, 3, 9), False),
                                             CalendarOverride(date(2027, 2, 12), False))])
def test_year_skipping_counts_equal_the_day_by_day_count(overrides):
    calendar = WorkCalendar(overrides)
    rng = random.Random(18)
    for _ in range(150):
        start = date(2012, 1, 1) + timedelta(days=rng.randint(0, 6000))
        end = start + timedelta(days=rng.randint(-900, 900))
        assert calendar.workdays_between(start, end) == _one_by_one_between(calendar, start, end), (start, end)
        days = rng.randint(-700, 700)
        assert calendar.add_workdays(start, days) == _one_by_one_add(calendar, start, days), (start, days)


def test_the_whole_calendar_range_is_counted_and_anything_beyond_refused():
    calendar = WorkCalendar()
    total = calendar.workdays_between(FIRST_DAY, LAST_DAY)
    assert 49_000 < total < 52_000  # about 250 working days a year for 200 years
    assert calendar.workdays_between(FIRST_DAY, calendar.add_workdays(FIRST_DAY, total - 10)) == total - 10
    for call in (lambda: calendar.workdays_between(date(1, 1, 1), date(9999, 12, 31)),
                 lambda: calendar.add_workdays(date(2026, 12, 2), 999_999_999_999_999_999),
                 lambda: calendar.add_workdays(date(2026, 12, 2), -999_999_999_999_999_999)):
        with pytest.raises(UserError) as refused:
            call()
        assert "outside the working calendar" in refused.value.text.render("en")


# ---------------------------------------------------------------- the evaluation budget

def _formulas(count: int, source: str) -> object:
    cells = [{"id": f"o-{n}", "cell_type": "raw", "source": source,
              "metadata": {"motcua": {"kind": "formula", "name": f"o_{n}", "type": "integer",
                                      "label": {"vi": f"Ô {n}", "en": f"Cell {n}"}}}}
             for n in range(count)]
    meta = {"key": "cham", "name": {"vi": "Chậm", "en": "Slow"}}
    return notebook_from_dict({"nbformat": 4, "nbformat_minor": 5, "metadata": {"motcua": meta}, "cells": cells})


def test_evaluation_past_its_budget_is_refused_naming_the_slowest_cell(monkeypatch):
    # A fake monotonic clock: each reading is 10 ms after the previous, and the 5th cell
    # reads it 30 times more than the others: it is the slowest.
    ticks = iter(n * 0.01 for n in range(10**6))
    monkeypatch.setattr(budget, "monotonic", lambda: next(ticks))
    evaluate_module = importlib.import_module("motcua.notebooks.evaluate")
    monkeypatch.setattr(evaluate_module, "monotonic", budget.monotonic)
    nb = _formulas(25, "1 + 1")
    context = EvalContext(today=date(2026, 12, 2), now=datetime(2026, 12, 2, 9, 0), calendar=WorkCalendar())
    slow_cell = "o-4"
    original = evaluate_module._Run.cell

    def cell(run, compiled):  # noqa: ANN001, ANN202
        if compiled.cell.id == slow_cell:
            for _ in range(30):
                budget.monotonic()
        return original(run, compiled)

    monkeypatch.setattr(evaluate_module._Run, "cell", cell)
    with budget.time_budget(0.5), pytest.raises(budget.OverBudget) as refused:
        evaluate(nb, {}, context)
    assert refused.value.details["cell_id"] == slow_cell
    assert "`o-4`" in refused.value.text.render("en") and "0.5 second budget" in refused.value.text.render("en")
    assert refused.value.status == 422
    evaluate(nb, {}, context)  # no budget open: no limit


def test_the_25_cell_notebook_is_refused_cell_by_cell_at_once():
    nb = _formulas(25, HOSTILE)
    context = EvalContext(today=date(2026, 12, 2), now=datetime(2026, 12, 2, 9, 0), calendar=WorkCalendar())
    with budget.time_budget(2.0):
        evaluation = evaluate(nb, {}, context)
    errors = [evaluation.outputs[f"o-{n}"].error for n in range(25)]
    assert all(e is not None and "outside the working calendar" in e.render("en") for e in errors)


def test_the_api_refuses_a_huge_due_within_counter_and_cursor(client, users, ward_a):
    _, token = create_token(ward_a, users.admin_a)
    headers = {"Authorization": f"Bearer {token}"}
    for query in ("due_within=99999999", "counter=" + "1" * 31, "due_within=²", "limit=" + "9" * 40):
        answer = client.get(f"/api/v1/records?{query}", headers=headers)
        assert answer.status_code in (200, 422), (query, answer.status_code)
        if answer.status_code == 422:
            assert answer.json["error"]["message"]["en"]
    assert client.get("/api/v1/records?due_within=99999999", headers=headers).status_code == 422
    import base64

    cursor = base64.urlsafe_b64encode(b"2026-12-02T09:00:00|" + b"9" * 40).decode()
    assert client.get(f"/api/v1/records?after={cursor}", headers=headers).status_code == 400


# ---------------------------------------------------------------- previews in parallel

def _hostile_birth_notebook(tmp_path: Path) -> tuple[object, str]:
    raw = json.loads((REPO / "forms" / "dang-ky-khai-sinh.ipynb").read_text())
    template = next(c for c in raw["cells"] if c["metadata"]["motcua"]["kind"] == "template")
    # Legal, and slow: two nested loops the sandbox runs until its own time limit or the end.
    template["source"] = "{% for i in range(100000) %}{% for j in range(40) %}{% endfor %}{% endfor %}ok"
    raw["cells"] += [
        {"id": f"cham-{n}", "cell_type": "raw", "source": WIDE,
         "metadata": {"motcua": {"kind": "formula", "name": f"cham_{n}", "type": "integer",
                                 "label": {"vi": f"Chậm {n}", "en": f"Slow {n}"}}}}
        for n in range(25)
    ]
    path = tmp_path / "cham.ipynb"
    path.write_text(json.dumps(raw, ensure_ascii=False))
    return read_ipynb(path), template["id"]


def test_hostile_previews_in_parallel_leave_health_and_reception_answering(app, users, ward_a, tmp_path):
    publish_form(ward_a, MARITAL)
    nb, template_id = _hostile_birth_notebook(tmp_path)
    service.import_notebook(ward_a, nb, actor="test")
    url = f"/{ward_a.slug}/quy-trinh/{nb.key}/"
    _, token = create_token(ward_a, users.staff_a)
    answers: list[tuple[str, int]] = []
    kinds = ("pdf", "pdf", "pdf", "run", "run")
    admins = []
    for _ in kinds:  # signed in beforehand, so only the previews run meanwhile
        client = app.test_client()
        login(client, "quantri-a")
        admins.append((client, MultiDict(editor_fields(client, url))))

    def preview(kind: str, client, fields) -> None:  # noqa: ANN001
        if kind == "pdf":
            answers.append((kind, client.get(f"{url}mau-in/{template_id}").status_code))
        else:
            answers.append((kind, client.post(f"{url}chay", data=fields,
                                              headers={"Accept": "application/json"}).status_code))

    previews = [threading.Thread(target=preview, args=(kind, *admin)) for kind, admin in zip(kinds, admins, strict=True)]
    for thread in previews:
        thread.start()
    time.sleep(0.5)  # the first preview holds the process's one slot by now
    counter = app.test_client()
    started = time.monotonic()
    assert counter.get("/healthz").status_code == 200
    health_seconds = time.monotonic() - started
    body = {"procedure": MARITAL, "values": sample_values(), "applicant": {"name": "Vũ Hoàng Nam"},
            "channel": "direct"}
    started = time.monotonic()
    received = counter.post("/api/v1/records", json=body, headers={"Authorization": f"Bearer {token}"})
    reception_seconds = time.monotonic() - started
    still_running = sum(thread.is_alive() for thread in previews)
    for thread in previews:
        thread.join(timeout=30)
    assert received.status_code == 201, received.json
    assert health_seconds < 1 and reception_seconds < 1, (health_seconds, reception_seconds)
    assert still_running >= 1, "the previews ended before health and reception were asked"
    statuses = {status for _, status in answers}
    assert 503 in statuses, answers  # beyond the slot, a preview is refused at once, not queued
    assert statuses <= {200, 422, 503}, answers
