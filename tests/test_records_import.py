"""``motcua records import``: old systems' records come into the merged ward, once each."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from conftest import ward_of
from motcua.calendar import compute_due, parse_limit
from motcua.cli import main
from motcua.records import importing
from motcua.records.importing import import_records
from motcua.records.models import Record, RecordCounter, RecordEvent
from motcua.records.queries import WorkFilters, lookup_public, work_list
from records_support import CERTIFY, MARITAL, publish_form

HEADER_VI = (
    "Mã hồ sơ,Thủ tục,Kênh,Ngày tiếp nhận,Ngày hẹn trả,Ngày giải quyết,Ngày trả kết quả,"
    "Trạng thái,Người nộp,Số CCCD,Địa chỉ,Mã đơn vị cũ,Ghi chú"
)
GOOD_ROWS = [
    # in progress, due date given by the old system
    "VT-2025-0101,1.004873,trực tiếp,25/06/2025 08:15,30/06/2025 16:00,,,Đang xử lý,Nguyễn Văn An,"
    '024090001234,"Xã Vân Trung, Huyện Việt Yên, Tỉnh Bắc Giang",07801,chuyển từ Vân Trung',
    # received online, no due date: computed from the procedure's 3 working days
    "VT-2025-0102,Cấp Giấy xác nhận tình trạng hôn nhân,2,27/06/2025 14:00,,,,Đã tiếp nhận,Trần Thị Bình,"
    ',"Phường Phương Đông, Thành phố Uông Bí, Tỉnh Quảng Ninh",07801,',
    # returned, with every date
    "QC-2025-0007,2.000815,direct,2025-06-20,2025-06-20,2025-06-20 10:00,2025-06-23,Đã trả kết quả,"
    "Lê Văn Cường,24090005678,,07807,",
]


@pytest.fixture
def ward(ward_a):  # noqa: ANN001, ANN201
    publish_form(ward_a, MARITAL)
    publish_form(ward_a, CERTIFY)
    return ward_a


def write_csv(
    tmp_path: Path, rows: list[str], header: str = HEADER_VI, name: str = "vt.csv"
) -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8-sig")
    return path


def test_records_keep_old_codes_due_dates_and_get_new_codes(ward, tmp_path):
    report = import_records(ward_of(ward), write_csv(tmp_path, GOOD_ROWS), actor="admin")
    assert report.refused == [] and report.rows == 3 and len(report.imported) == 3
    records = {r.legacy_code: r for r in Record.select().where(Record.tenant == ward)}
    assert set(records) == {"VT-2025-0101", "VT-2025-0102", "QC-2025-0007"}

    first = records["VT-2025-0101"]
    assert first.code == "07795-250625-0001"  # the new ward's code for its reception day
    assert first.procedure_key == MARITAL and first.notebook_version_id is not None
    assert first.status == "in_progress" and first.channel == "direct"
    assert first.received_at == datetime(2025, 6, 25, 8, 15)
    assert first.due_at == datetime(2025, 6, 30, 16, 0)  # the legal due date is kept
    assert first.applicant_id_number == "024090001234" and first.legacy_unit_code == "07801"
    assert first.residence_ward_code == "07795" and not first.non_territorial

    second = records["VT-2025-0102"]
    calendar = ward_of(ward).calendar
    assert second.channel == "online"
    assert second.due_at == compute_due(datetime(2025, 6, 27, 14, 0), parse_limit("3d"), calendar)
    assert second.residence_ward_code == "06832" and second.non_territorial  # lives in Yên Tử now

    third = records["QC-2025-0007"]
    assert third.status == "returned" and third.outcome == "on_time"
    assert third.applicant_id_number == "024090005678"  # Excel's lost leading zero restored
    assert third.returned_at == datetime(2025, 6, 23, 7, 0)  # a bare date: the office opening

    event = RecordEvent.get(RecordEvent.record == first)
    assert (event.seq, event.action, event.from_status, event.to_status) == (
        1,
        "import",
        "",
        "in_progress",
    )
    assert event.note == "chuyển từ Vân Trung" and event.details["line"] == 2


def test_old_codes_are_searchable_and_the_public_lookup_finds_them(ward, tmp_path):
    import_records(ward_of(ward), write_csv(tmp_path, GOOD_ROWS), actor="admin")
    found = work_list(ward, WorkFilters(search="VT-2025-0101"), limit=10).records
    assert [r.legacy_code for r in found] == ["VT-2025-0101"]
    assert lookup_public(ward, "vt-2025-0102").code.startswith("07795-250627-")


def test_importing_the_same_file_twice_changes_nothing(ward, tmp_path):
    path = write_csv(tmp_path, GOOD_ROWS)
    import_records(ward_of(ward), path, actor="admin")
    before = sorted((r.code, r.legacy_code, r.status) for r in Record.select())
    counters = sorted((c.day, c.value) for c in RecordCounter.select())
    again = import_records(ward_of(ward), path, actor="admin")
    assert again.imported == [] and sorted(again.unchanged) == sorted(r[1] for r in before)
    assert sorted((r.code, r.legacy_code, r.status) for r in Record.select()) == before
    assert sorted((c.day, c.value) for c in RecordCounter.select()) == counters
    assert RecordEvent.select().count() == 3


BAD_ROWS = [
    "B-1,1.004873,,01/07/2025,,,,đang chờ,Phạm Văn Dũng,,,,",  # line 2: unknown status
    "B-2,1.004873,,31/02/2025,,,,received,Phạm Văn Dũng,,,,",  # line 3: no such date
    "B-3,Đăng ký đất đai,,01/07/2025,,,,received,Phạm Văn Dũng,,,,",  # line 4: not published
    "B-4,1.004873,,01/07/2025,,,,received,Phạm Văn Dũng,,,06829,",  # line 5: Thượng Yên Công
    "B-5,1.004873,,01/07/2025,,,,received,,12345,,,",  # line 6: no name, 5-digit ID
    "B-6,1.004873,fax,01/07/2025,30/06/2025,,,returned,Phạm Văn Dũng,,,,",  # line 7: four faults
    "B-7,1.004873,,02/07/2025,,,,received,Hoàng Thị Em,,,,",  # line 8: good
    "B-7,1.004873,,02/07/2025,,,,received,Hoàng Thị Em,,,,",  # line 9: same code again
]


def test_bad_rows_are_named_with_line_column_and_reason_and_the_good_ones_go_in(ward, tmp_path):
    report = import_records(ward_of(ward), write_csv(tmp_path, BAD_ROWS), actor="admin")
    errors = [(e.line, e.column) for e in report.refused]
    assert errors == [
        (2, "Trạng thái"),
        (3, "Ngày tiếp nhận"),
        (4, "Thủ tục"),
        (5, "Mã đơn vị cũ"),
        (6, "Người nộp"),
        (6, "Số CCCD"),
        (7, "Kênh"),
        (7, "Ngày giải quyết"),
        (7, "Ngày trả kết quả"),
        (7, "Ngày hẹn trả"),
        (9, "Mã hồ sơ"),
    ]
    reasons = {(e.line, e.column): e.reason for e in report.refused}
    assert "Trạng thái “đang chờ” không rõ" in reasons[2, "Trạng thái"].render("vi")
    assert "Unknown status" in reasons[2, "Trạng thái"].render("en")
    assert "chưa ban hành thủ tục “Đăng ký đất đai”" in reasons[4, "Thủ tục"].render("vi")
    assert "Xã Thượng Yên Công (06829) không sáp nhập vào Phường Nếnh" in reasons[
        5, "Mã đơn vị cũ"
    ].render("vi")
    assert "đã có ở dòng 8" in reasons[9, "Mã hồ sơ"].render("vi")
    assert [old for old, _ in report.imported] == ["B-7"]
    assert [r.legacy_code for r in Record.select()] == ["B-7"]


def test_strict_imports_nothing_when_a_row_is_bad(ward, tmp_path):
    report = import_records(
        ward_of(ward), write_csv(tmp_path, [*GOOD_ROWS, BAD_ROWS[0]]), actor="a", strict=True
    )
    assert len(report.refused) == 1
    assert Record.select().count() == 0


def test_dry_run_writes_nothing(ward, tmp_path):
    report = import_records(ward_of(ward), write_csv(tmp_path, GOOD_ROWS), actor="a", dry_run=True)
    assert report.dry_run and len(report.imported) == 3
    assert Record.select().count() == 0 and RecordCounter.select().count() == 0


def test_xlsx_with_english_headers_and_date_cells(ward, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        [
            "code",
            "procedure",
            "received_at",
            "due_at",
            "status",
            "applicant_name",
            "applicant_id",
            "old_unit_code",
        ]
    )
    sheet.append(
        [
            "X-1",
            "Certificate of marital status",
            datetime(2025, 6, 26, 9, 0),
            date(2025, 7, 1),
            "in progress",
            "Đỗ Văn Phúc",
            24090001111,
            7789,
        ]
    )
    path = tmp_path / "old.xlsx"
    book.save(path)
    report = import_records(ward_of(ward), path, actor="a")
    assert report.refused == []
    record = Record.get(Record.legacy_code == "X-1")
    assert record.applicant_id_number == "024090001111" and record.legacy_unit_code == "07789"
    assert record.due_at == datetime(2025, 7, 1, 17, 0)  # a bare due date: closing time


def test_a_failing_batch_leaves_whole_records_and_the_next_run_resumes(ward, tmp_path, monkeypatch):
    rows = [f"R-{i},1.004873,,0{1 + i % 3}/07/2025,,,,received,Người Thứ {i},,,," for i in range(7)]
    path = write_csv(tmp_path, rows)
    monkeypatch.setattr(importing, "BATCH", 3)
    real = importing.insert_rows
    calls = []

    def failing(model, rows):  # noqa: ANN001, ANN202 - the second batch dies after its records
        if model is RecordEvent:
            calls.append(1)
            if len(calls) == 2:
                raise RuntimeError("killed")
        return real(model, rows)

    monkeypatch.setattr(importing, "insert_rows", failing)
    with pytest.raises(RuntimeError):
        import_records(ward_of(ward), path, actor="a")
    assert Record.select().count() == 3 == RecordEvent.select().count()
    monkeypatch.setattr(importing, "insert_rows", real)
    report = import_records(ward_of(ward), path, actor="a")
    assert len(report.unchanged) == 3 and len(report.imported) == 4
    codes = [r.code for r in Record.select()]
    assert Record.select().count() == 7 == RecordEvent.select().count() == len(set(codes))


def run(*args: str):  # noqa: ANN201
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_cli_json_report_and_exit_codes(ward, cli_env, tmp_path):
    path = write_csv(tmp_path, [*GOOD_ROWS, BAD_ROWS[0]])
    dry = run("records", "import", "--tenant", "07795", path, "--dry-run", "--json")
    assert dry.exit_code == 1  # a row was refused
    report = json.loads(dry.output)
    assert report["dry_run"] and report["imported"] == 3 and report["refused"][0]["line"] == 5
    assert report["refused"][0]["vi"].startswith("Trạng thái") and report["refused"][0][
        "en"
    ].startswith("Unknown")
    assert Record.select().count() == 0
    real = run(
        "records",
        "import",
        "--tenant",
        "phuong-nenh",
        write_csv(tmp_path, GOOD_ROWS, name="ok.csv"),
    )
    assert real.exit_code == 0, real.output
    assert "3 hồ sơ đã nhập, 0 đã có, 0 dòng bị từ chối" in real.output
    assert "3 records imported, 0 already there, 0 rows refused" in real.output


def test_cli_refuses_an_unknown_column_before_reading_rows(ward, cli_env, tmp_path):
    path = write_csv(tmp_path, GOOD_ROWS, header=HEADER_VI.replace("Ghi chú", "Ghi chu thêm"))
    result = run("records", "import", "--tenant", "07795", path)
    assert result.exit_code == 1
    assert "Cột “Ghi chu thêm” không có trong danh sách cột nhập" in result.output
    assert "is not one of the import columns" in result.output
    assert Record.select().count() == 0


def test_kill_9_mid_import_leaves_no_half_record(ward, cli_env, tmp_path):
    rows = [
        f"K-{i:05d},1.004873,,{1 + i % 28:02d}/06/2025,,,,received,Người Thứ {i},,,,"
        for i in range(6000)
    ]
    path = write_csv(tmp_path, rows)
    command = [
        sys.executable,
        "-m",
        "motcua.cli",
        "records",
        "import",
        "--tenant",
        "07795",
        str(path),
        "--json",
    ]
    process = subprocess.Popen(
        command, env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 60
    while Record.select().count() == 0 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, process.stderr.read().decode()[-2000:]
    landed = Record.select().count()
    assert 0 < landed < 6000 and landed % importing.BATCH == 0
    assert RecordEvent.select().count() == landed
    report = import_records(ward_of(ward), path, actor="a")
    assert len(report.unchanged) == landed and len(report.imported) == 6000 - landed
    assert Record.select().count() == 6000 == RecordEvent.select().count()
    assert len({r.code for r in Record.select(Record.code)}) == 6000


def test_the_slip_of_an_imported_record_shows_the_old_code_and_the_new_ward(ward, tmp_path):
    import pypdfium2

    from motcua.printing.jobs import pdf_for, print_record

    import_records(ward_of(ward), write_csv(tmp_path, GOOD_ROWS), actor="admin")
    record = Record.get(Record.legacy_code == "VT-2025-0102")
    job = print_record(ward_of(ward), record.code, "01", actor="admin")
    document = pypdfium2.PdfDocument(pdf_for(ward_of(ward), job))
    try:
        text = " ".join("\n".join(p.get_textpage().get_text_range() for p in document).split())
    finally:
        document.close()
    assert f"Mã hồ sơ: {record.code} (mã cũ: VT-2025-0102)" in text
    assert "Phường Phương Đông, Thành phố Uông Bí, Tỉnh Quảng Ninh (nay thuộc Phường Yên Tử, Tỉnh Quảng Ninh)" in text


def test_the_record_page_shows_the_old_code_and_the_new_ward(ward, users, client, tmp_path):
    from conftest import login

    import_records(ward_of(ward), write_csv(tmp_path, GOOD_ROWS), actor="admin")
    record = Record.get(Record.legacy_code == "VT-2025-0102")
    login(client, "canbo-a")
    page = client.get(f"/phuong-nenh/ho-so/{record.code}").get_data(as_text=True)
    assert "mã cũ VT-2025-0102" in page
    assert "(nay thuộc Phường Yên Tử, Tỉnh Quảng Ninh)" in page
