"""``motcua print`` writes a form's PDF or thermal image through a print job; ``motcua worker --once``."""

from __future__ import annotations

import io
from datetime import date, datetime

import pypdfium2
import pytest
from click.testing import CliRunner
from PIL import Image

from conftest import ward_of
from motcua.audit import AuditLog
from motcua.cli import main
from motcua.db import database
from motcua.printing.jobs import print_register
from motcua.printing.models import PrintJob
from motcua.records import Applicant, receive
from motcua.records.models import RecordEvent
from records_support import MARITAL, publish_form, sample_values


def pdf_text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


@pytest.fixture
def env(app, monkeypatch):  # noqa: ANN001, ANN201
    settings = app.extensions["motcua.settings"]
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("SECRET_KEY", "test-secret")
    monkeypatch.setenv("MOTCUA_PLUGIN_AUTOLOAD", "0")
    return settings


@pytest.fixture
def record(ward_a):  # noqa: ANN001, ANN201
    publish_form(ward_a, MARITAL)
    return receive(
        ward_of(ward_a),
        MARITAL,
        sample_values(),
        applicant=Applicant("Lê Thu Hương", phone="0912345678"),
        actor="canbo-a",
        now=datetime(2026, 3, 2, 9, 0),
    ).record


def run(*args: str):  # noqa: ANN201
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    database.connect(reuse_if_open=True)
    return result


def test_print_a_record_form_to_pdf(env, ward_a, record, tmp_path):
    target = tmp_path / "phieu.pdf"
    result = run(
        "print", "--tenant", ward_a.code, "--record", record.code, "--form", "01", "-o", str(target)
    )
    assert result.exit_code == 0, result.output
    text = pdf_text(target.read_bytes())
    assert "Lê Thu Hương" in text and record.code in text
    job = PrintJob.get(PrintJob.record == record.id)
    assert job.status == "rendered" and job.created_by == "cli"
    assert (
        RecordEvent.select()
        .where(RecordEvent.record == record.id, RecordEvent.action == "printed")
        .count()
        == 1
    )
    assert (
        AuditLog.select()
        .where(AuditLog.action == "print.job", AuditLog.target == record.code)
        .count()
        == 1
    )
    again = run(
        "print", "--tenant", ward_a.code, "--record", record.code, "--form", "01", "-o", str(target)
    )
    assert again.exit_code == 0 and PrintJob.select().where(PrintJob.reprint == True).count() == 1  # noqa: E712


def test_raster_writes_the_thermal_image(env, ward_a, record, tmp_path):
    target = tmp_path / "phieu.png"
    result = run(
        "print",
        "--tenant",
        ward_a.code,
        "--record",
        record.code,
        "--form",
        "receipt80",
        "--raster",
        str(target),
    )
    assert result.exit_code == 0, result.output
    image = Image.open(io.BytesIO(target.read_bytes()))
    assert image.mode == "1" and image.width == 576 and 200 < image.height < 2400


def test_register_needs_dates_and_prints_the_period(env, ward_a, record, tmp_path):
    target = tmp_path / "so.pdf"
    missing = run("print", "--tenant", ward_a.code, "--form", "07", "-o", str(target))
    assert missing.exit_code == 2 and "--from" in missing.output
    result = run(
        "print",
        "--tenant",
        ward_a.code,
        "--form",
        "07",
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-02",
        "-o",
        str(target),
    )
    assert result.exit_code == 0, result.output
    assert record.code in pdf_text(target.read_bytes())


def test_unknown_ward_record_or_form_fail_clearly(env, ward_a, record, tmp_path):
    target = str(tmp_path / "x.pdf")
    assert (
        "99999"
        in run(
            "print", "--tenant", "99999", "--record", record.code, "--form", "01", "-o", target
        ).output
    )
    gone = run(
        "print", "--tenant", ward_a.code, "--record", "KHONG-CO", "--form", "01", "-o", target
    )
    assert gone.exit_code == 1 and "KHONG-CO" in gone.output
    refused = run(
        "print", "--tenant", ward_a.code, "--record", record.code, "--form", "03", "-o", target
    )
    assert refused.exit_code == 1 and "Error:" in refused.output


def test_worker_once_renders_queued_jobs(env, app, ward_a, record):
    job = print_register(ward_of(ward_a), date(2026, 3, 1), date(2026, 3, 3), actor="canbo-a")
    result = run("worker", "--once")
    assert result.exit_code == 0 and "1" in result.output
    assert PrintJob.get_by_id(job.id).status == "rendered"
