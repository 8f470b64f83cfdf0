"""Print jobs: durable across app and worker restarts, retried after a dead worker's lease,
in the record's timeline and the audit log, and their PDFs read back right."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from PIL import Image

from conftest import REPO, login, ward_of
from motcua import clock
from motcua.app import create_app
from motcua.audit import AuditLog
from motcua.db import database
from motcua.errors import NotFound, UserError
from motcua.printing.jobs import (
    claim_next,
    get_job,
    pdf_for,
    print_record,
    print_register,
    queue_reception_slip,
    run_worker,
)
from motcua.printing.models import PrintJob
from motcua.records import Applicant, receive, transition
from motcua.records.models import RecordEvent
from motcua.web.ward import ward_for
from records_support import MARITAL, publish_form, sample_values

APPLICANT = Applicant(
    "Nguyễn Thị Hồng Ánh", "024190001234", "0912345678", "Số 12 Hoàng Hoa Thám, phường Nếnh"
)
MON = datetime(2026, 3, 2, 9, 0)


def pdf_text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def pdf_qr_codes(pdf: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[0].render(scale=300 / 72).to_pil()
    finally:
        document.close()
    return [found.text for found in zxingcpp.read_barcodes(image)]


@pytest.fixture
def record(ward_a):  # noqa: ANN001, ANN201
    publish_form(ward_a, MARITAL)
    return receive(ward_of(ward_a), MARITAL, sample_values(), applicant=APPLICANT, actor="canbo-a", now=MON
    ).record


def settings_of(app):  # noqa: ANN001, ANN201
    return app.extensions["motcua.settings"]


def test_job_survives_app_and_worker_restart(app, ward_a, record, tmp_path):
    job = print_record(ward_of(ward_a), record.code, "01", actor="canbo-a")
    assert job.status == "queued" and not job.reprint
    job_id, data_dir = job.id, settings_of(app).data_dir
    database.close()

    # A new app process (same database and data folder) runs the worker once.
    again = create_app(
        {
            "database_url": settings_of(app).database_url,
            "data_dir": data_dir,
            "secret_key": "test-secret",
            "testing": True,
            "tenants_dir": REPO / "tenants",
        }
    )
    database.connect(reuse_if_open=True)
    assert run_worker(partial(ward_for, again), once=True) == 1
    stored = PrintJob.get_by_id(job_id)
    assert stored.status == "rendered" and stored.attempts == 1
    path = data_dir / stored.pdf_path
    assert path.is_file() and Path(stored.pdf_path).parts[:2] == ("prints", ward_a.code)
    text = pdf_text(path.read_bytes())
    assert "Nguyễn Thị Hồng Ánh" in text and record.code in text
    assert "09:00 02/03/2026" in text  # received at
    # A second worker run finds nothing left, and the PDF is served from disk.
    assert run_worker(partial(ward_for, again), once=True) == 0
    assert pdf_for(ward_of(stored.tenant, again), stored) == path.read_bytes()


def test_printed_slip_qr_opens_the_lookup_page(app, ward_a, record):
    job = print_record(ward_of(ward_a), record.code, "01", actor="canbo-a")
    pdf = pdf_for(ward_of(job.tenant), job)
    expected = f"{settings_of(app).public_url}/{ward_a.slug}/tra-cuu?ma={record.code}"
    assert expected in pdf_qr_codes(pdf)
    assert get_job(ward_a, job.id).status == "rendered"


def test_lease_expired_job_is_claimed_again(app, ward_a, record):
    job = print_record(ward_of(ward_a), record.code, "01", actor="canbo-a")
    claimed = claim_next(lease_seconds=60)  # a worker claims it, then dies
    assert claimed.id == job.id
    assert claim_next(lease_seconds=60) is None  # still leased: nobody else takes it
    assert run_worker(partial(ward_for, app), once=True) == 0
    PrintJob.update(lease_until=clock.now() - timedelta(minutes=5)).where(
        PrintJob.id == job.id
    ).execute()
    assert run_worker(partial(ward_for, app), once=True) == 1
    stored = PrintJob.get_by_id(job.id)
    assert stored.status == "rendered" and stored.attempts == 2


def test_reprint_is_marked_in_timeline_and_audit(app, ward_a, record):
    first = queue_reception_slip(ward_of(ward_a), record, "canbo-a")
    second = print_record(ward_of(ward_a), record.code, "01", copies=2, actor="canbo-a")
    assert not first.reprint and second.reprint and second.copies == 2
    printed = list(
        RecordEvent.select()
        .where(RecordEvent.record == record.id, RecordEvent.action == "printed")
        .order_by(RecordEvent.seq)
    )
    assert [e.details["reprint"] for e in printed] == [False, True]
    assert printed[1].note.startswith("In lại") and printed[1].details["job"] == second.id
    assert printed[0].to_status == "received"
    rows = list(
        AuditLog.select()
        .where(AuditLog.action == "print.job", AuditLog.tenant == ward_a)
        .order_by(AuditLog.id)
    )
    assert [r.detail["reprint"] for r in rows] == [False, True] and rows[0].target == record.code


def test_legal_forms_need_their_event_and_show_it(app, ward_a, record):
    with pytest.raises(UserError):
        print_record(ward_of(ward_a), record.code, "02", actor="canbo-a")
    transition(
        ward_of(ward_a),
        record.code,
        "request_supplement",
        actor="canbo-a",
        role="staff",
        expected_lock_version=1,
        inputs={"items": "Tờ khai | Thiếu chữ ký của người yêu cầu"},
        now=MON + timedelta(hours=1),
    )
    job = print_record(ward_of(ward_a), record.code, "02", actor="canbo-a")
    text = pdf_text(pdf_for(ward_of(job.tenant), job))
    assert "Thiếu chữ ký của người yêu cầu" in text and "Tờ khai" in text
    control = pdf_text(
        pdf_for(ward_of(ward_a), print_record(ward_of(ward_a), record.code, "06", actor="canbo-a"))
    )
    assert "Yêu cầu bổ sung" in control


def test_register_lists_the_period(app, ward_a, record):
    job = print_register(ward_of(ward_a), date(2026, 3, 1), date(2026, 3, 3), actor="canbo-a")
    text = pdf_text(pdf_for(ward_of(job.tenant), job))
    assert record.code in text and "Nguyễn Thị Hồng Ánh" in text
    empty = print_register(ward_of(ward_a), date(2026, 4, 1), date(2026, 4, 2), actor="canbo-a")
    assert record.code not in pdf_text(pdf_for(ward_of(empty.tenant), empty))


def test_web_download_and_other_wards_job(app, client, users, ward_a, ward_b, record):
    login(client, "canbo-a")
    page = client.get(f"/{ward_a.slug}/ho-so/{record.code}").get_data(as_text=True)
    assert "In 01" in page
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(
        f"/{ward_a.slug}/in/",
        data={
            "csrf_token": token,
            "record": record.code,
            "form": "01",
            "copies": "1",
            "next": f"/{ward_a.slug}/ho-so/{record.code}",
        },
    )
    assert response.status_code == 302
    job = PrintJob.get(PrintJob.record == record.id)
    pdf = client.get(f"/{ward_a.slug}/in/{job.id}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert record.code in pdf_text(pdf.data)
    png = client.get(f"/{ward_a.slug}/in/{job.id}.png")
    assert png.status_code == 200 and Image.open(io.BytesIO(png.data)).mode == "1"
    assert f"/{ward_a.slug}/in/{job.id}.pdf" in client.get(
        f"/{ward_a.slug}/ho-so/{record.code}"
    ).get_data(as_text=True)
    # Ward B's job is not found through ward A, and not by ward A's id through ward B's service.
    other = print_register(ward_of(ward_b), date(2026, 3, 1), date(2026, 3, 2), actor="canbo-b")
    assert client.get(f"/{ward_a.slug}/in/{other.id}.pdf").status_code == 404
    with pytest.raises(NotFound):
        get_job(ward_b, job.id)
