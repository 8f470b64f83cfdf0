"""The dvcqg connector: the pure mapping to the portal's fields, and records synced through the API."""

from __future__ import annotations

from datetime import datetime

import pytest

from connectors_support import HANG_MS, check_received, connect_ward, worker
from motcua.accounts.service import create_token
from motcua.plugin_api import ApplicantInfo, EventInfo, OnlineSubmission, RecordInfo, SubmittedFile
from motcua.portal_sim.process import running_sim
from motcua_dvcqg import mapping
from records_support import MARITAL, publish_form, sample_values

RECORD = RecordInfo(
    code="000.00.24.H01-261202-0007",
    procedure_key=MARITAL,
    status="supplement_requested",
    received_at=datetime(2026, 12, 2, 9, 30, 5),
    due_at=datetime(2026, 12, 7, 17, 0),
    channel="online",
    applicant=ApplicantInfo(name="Ngô Thị Hà", id_number="024196003333", phone="0977111222"),
    procedure_name="Xác nhận tình trạng hôn nhân",
)
EVENT = EventInfo("request_supplement", "in_progress", "supplement_requested", datetime(2026, 12, 3, 14, 5), "canbo-a", "thiếu bản sao")
SETTINGS = {"agency_code": "000.00.24.H01", "ward_code": "07795"}


def test_status_sync_maps_fields_codes_dates_and_channel():
    body = mapping.status_sync(RECORD, EVENT, settings=SETTINGS, sequence=3, portal_ref="G07795-261202-0001")
    assert body["MaHoSo"] == "G07795-261202-0001" and body["MaHoSoMotCua"] == RECORD.code
    assert body["TrangThaiHoSo"] == 5 and body["KenhThucHien"] == 2 and body["SoThuTu"] == 3
    assert body["NgayTiepNhan"] == "20261202093005" and body["NgayHenTra"] == "20261207170000"
    assert body["NgayYeuCauBoSung"] == "20261203140500" and body["NgayTuChoi"] == "" and body["NgayTra"] == ""
    assert body["LoaiGiayTo"] == "CCCD" and body["MaDonVi"] == "000.00.24.H01" and body["MaXaPhuong"] == "07795"
    assert body["QuaTrinhXuLy"] == [{"HanhDong": "request_supplement", "TuTrangThai": "in_progress",
                                     "DenTrangThai": "supplement_requested", "ThoiDiem": "20261203140500",
                                     "NguoiXuLy": "canbo-a", "GhiChu": "thiếu bản sao"}]


@pytest.mark.parametrize(("status", "code"), [("received", 2), ("refused_at_reception", 3), ("in_progress", 4),
                                               ("supplement_requested", 5), ("withdrawn", 8), ("approved", 9),
                                               ("result_ready", 9), ("returned", 10)])
def test_every_status_has_its_portal_code(status, code):
    from dataclasses import replace

    body = mapping.status_sync(replace(RECORD, status=status, channel="counter"), None, settings=SETTINGS, sequence=1)
    assert body["TrangThaiHoSo"] == code and body["KenhThucHien"] == 1 and body["MaHoSo"] == RECORD.code


def test_unknown_status_and_bad_dossiers_are_refused_with_the_reason():
    from dataclasses import replace

    with pytest.raises(ValueError, match="no portal status code"):
        mapping.status_sync(replace(RECORD, status="lost"), None, settings=SETTINGS, sequence=1)
    with pytest.raises(ValueError, match="NgayNop"):
        mapping.read_submission({"MaHoSo": "G1", "ChuHoSo": {}})
    with pytest.raises(ValueError, match="base64"):
        mapping.read_submission({"MaHoSo": "G1", "NgayNop": "20261202093000", "ChuHoSo": {},
                                 "TepDinhKem": [{"TenTep": "a.pdf", "NoiDung": "@@@"}]})
    assert mapping.id_type("024096") == "KHAC" and mapping.id_type("024096003") == "CMND"


def test_refusal_and_submission_round_trip():
    body = mapping.refusal_sync("G07795-1", "Sai thẩm quyền", datetime(2026, 12, 2, 10, 0), settings=SETTINGS, sequence=1)
    assert body["TrangThaiHoSo"] == 3 and body["LyDoTuChoi"] == "Sai thẩm quyền" and body["NgayTuChoi"] == "20261202100000"
    submission = OnlineSubmission(
        portal_ref="G07795-1", submitted_at=datetime(2026, 12, 1, 20, 15),
        applicant=ApplicantInfo(name="Lê Văn An", id_number="024096003333"),
        procedure_key=MARITAL, procedure_code="1.004873", values={"a": 1},
        files=(SubmittedFile("don.pdf", "application/pdf", b"%PDF-1.4 x %%EOF"),),
    )
    assert mapping.read_submission(mapping.write_submission(submission)) == submission


def test_records_created_through_the_api_reach_the_portal_once_each_in_order(app, client, users, ward_a, clock):
    publish_form(ward_a)
    _, token = create_token(ward_a, users.admin_a)
    headers = {"Authorization": f"Bearer {token}"}
    moves = ("assign", "request_supplement", "supplement_received", "approve")
    with running_sim("--fail-rate", "0.3", "--hang-ms", str(HANG_MS), "--seed", "2026") as sim:
        connect_ward(app, ward_a, sim.url)
        expected = {}
        for number in range(30):
            created = client.post("/api/v1/records", headers=headers, json={
                "procedure": MARITAL, "values": sample_values(), "channel": "direct",
                "applicant": {"name": f"Trần Thị Thử {number}", "id_number": "024096003333", "phone": "0977111222"}})
            assert created.status_code == 201, created.json
            code, lock = created.json["code"], created.json["lock_version"]
            for action in moves:
                inputs = {"items": [{"item": "Bản sao CCCD", "reason": "mờ"}]} if action == "request_supplement" else {}
                moved = client.post(f"/api/v1/records/{code}/transitions", headers=headers,
                                    json={"action": action, "lock_version": lock, "inputs": inputs})
                assert moved.status_code == 200, moved.json
                lock = moved.json["lock_version"]
            expected[code] = 1 + len(moves)
        runner, _ = worker(app, clock)
        runner.drain()
        received = sim.received()
    report = check_received(received, expected)
    print(f"received {report.deliveries}, applied {report.applied}, duplicates {report.duplicates_received}, "
          f"out of order {report.out_of_order}, lost {report.lost}")
    assert report.applied == sum(expected.values()) == 150
    assert report.out_of_order == 0 and report.lost == 0 and report.duplicates_applied == 0
    assert sum(received["failures"].values()) > 0  # the simulator did fail on purpose
    last = {e["record_code"]: e["status_code"] for e in received["applied"]}
    assert set(last.values()) == {9}  # approved: done
