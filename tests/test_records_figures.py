"""Province overview per ward: received, online, open, overdue, resolved, on-time rate (A),
from the report engine (motcua.reports) as of the moment the page is read."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from conftest import login, ward_of
from motcua.records.models import Record
from motcua.records.service import Applicant, receive, transition
from motcua.reports.engine import count_figures, ward_scope
from motcua.reports.period import Period
from records_support import CERTIFY, publish_form, sample_values


def test_figures_count_each_ward_apart(db, users, ward_a, ward_b):
    publish_form(ward_a, CERTIFY)
    publish_form(ward_b, CERTIFY)
    monday = datetime(2026, 3, 2, 9, 0)
    values = sample_values(CERTIFY)
    for i, channel in enumerate(["direct", "direct", "online"]):
        receive(
            ward_of(ward_a),
            CERTIFY,
            values,
            applicant=Applicant(name=f"Người {i}"),
            channel=channel,
            actor="canbo-a",
            now=monday + timedelta(minutes=i),
        )
    receive(ward_of(ward_b), CERTIFY, values, applicant=Applicant(name="Người B"), actor="canbo-b", now=monday
    )
    first = Record.select().where(Record.tenant == ward_a).order_by(Record.id).first()
    for action, role in (("assign", "leader"), ("approve", "leader")):
        current = Record.get_by_id(first.id)
        transition(
            ward_of(ward_a),
            current.code,
            action,
            actor="lanhdao-a",
            role=role,
            expected_lock_version=current.lock_version,
            inputs={},
            now=monday + timedelta(hours=1),
        )
    later = monday + timedelta(days=3)  # the same-day limit has passed for the other two
    march = Period(date(2026, 3, 1), date(2026, 3, 31))
    a = count_figures(ward_scope(ward_a), march, now=later)[None]
    b = count_figures(ward_scope(ward_b), march, now=later)[None]
    assert (a["received"], a["received_online"], a.carried_forward, a["overdue"], a["resolved"]) == (3, 1, 2, 2, 1)
    assert a.rate("on_time_rate_a") == Decimal("1")
    assert (b["received"], b.carried_forward, b["resolved"], b.rate("on_time_rate_a")) == (1, 1, 0, None)


def test_province_overview_shows_the_figures(client, users, ward_a):
    publish_form(ward_a, CERTIFY)
    receive(
        ward_of(ward_a),
        CERTIFY,
        sample_values(CERTIFY),
        applicant=Applicant(name="Lê Thị Hạnh"),
        channel="online",
        actor="canbo-a",
    )
    login(client, "tinh-a")
    page = client.get(f"/tinh/{ward_a.province.slug}/").get_data(as_text=True)
    assert "Tiếp nhận trong tháng" in page and "Tỷ lệ đúng hạn" in page
    row = page[page.index(ward_a.code) :]
    assert "<td>1</td><td>1</td>" in row  # one received, one online
