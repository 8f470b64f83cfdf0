"""The mapping between motcua records and the portal's status-sync fields (pure functions).

Field names and status codes follow the status-sync data of a provincial system's public
code (DOMAIN.md "Portal data"); dates are ``yyyyMMddHHmmss`` in Vietnam time; the channel
is 1 direct, 2 online, 3 postal.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from motcua.plugin_api import (
    ApplicantInfo,
    EventInfo,
    OnlineSubmission,
    RecordInfo,
    SubmittedFile,
)

# DOMAIN.md: 1 submitted online, 2 received, 3 not accepted, 4 processing, 5 supplement
# requested, 6 awaiting fees, 7 withdrawn, 8 stopped, 9 done, 10 returned.
STATUS_CODES = {
    "received": 2,
    "refused_at_reception": 3,
    "in_progress": 4,
    "supplement_requested": 5,
    "withdrawn": 8,
    "approved": 9,
    "rejected": 9,
    "result_ready": 9,
    "returned": 10,
}
NOT_ACCEPTED = 3
CHANNELS = {"counter": 1, "direct": 1, "online": 2, "post": 3, "postal": 3}
DATE_FORMAT = "%Y%m%d%H%M%S"


def portal_date(moment: datetime | None) -> str:
    """Return ``moment`` as the portal writes dates (``yyyyMMddHHmmss``), or "" for none."""
    return moment.strftime(DATE_FORMAT) if moment else ""


def read_portal_date(text: str) -> datetime:
    """Return the moment of a portal date ``yyyyMMddHHmmss``.

    :raises ValueError: the text is not such a date.
    """
    return datetime.strptime(text.strip(), DATE_FORMAT)


def id_type(number: str) -> str:
    """Return the portal's ID type: ``CCCD`` for 12 digits, ``CMND`` for 9, else ``KHAC``."""
    digits = number.strip()
    if digits.isdigit() and len(digits) == 12:
        return "CCCD"
    if digits.isdigit() and len(digits) == 9:
        return "CMND"
    return "KHAC"


def status_sync(
    record: RecordInfo,
    event: EventInfo | None,
    *,
    settings: Mapping[str, Any],
    sequence: int,
    portal_ref: str = "",
) -> dict[str, Any]:
    """Return the portal's status-sync body for ``record`` after ``event`` (None: its reception).

    ``settings`` gives ``agency_code`` (the receiving unit's electronic code) and
    ``ward_code``; ``portal_ref`` is the portal's code of an online dossier.

    :raises ValueError: the record's status has no portal code.
    """
    status = STATUS_CODES.get(record.status)
    if status is None:
        raise ValueError(f"status {record.status!r} has no portal status code")
    at = event.at if event else record.received_at
    to_status = event.to_status if event else record.status
    applicant = record.applicant
    return {
        "MaHoSo": portal_ref or record.code,
        "MaHoSoMotCua": record.code,
        "MaDonVi": str(settings.get("agency_code", "")),
        "MaXaPhuong": str(settings.get("ward_code", "")),
        "MaTTHC": record.procedure_key,
        "TenTTHC": record.procedure_name,
        "KenhThucHien": CHANNELS.get(record.channel, 1),
        "ChuHoSo": applicant.name,
        "LoaiDoiTuong": 1,
        "SoGiayToChuHoSo": applicant.id_number,
        "LoaiGiayTo": id_type(applicant.id_number),
        "SoDienThoai": applicant.phone,
        "Email": applicant.email,
        "DiaChiThuongTru": applicant.address,
        "NgayTiepNhan": portal_date(record.received_at),
        "NgayHenTra": portal_date(record.due_at),
        "NgayKetThucXuLy": portal_date(record.resolved_at),
        "NgayTra": portal_date(record.returned_at),
        "NgayYeuCauBoSung": portal_date(at) if to_status == "supplement_requested" else "",
        "NgayTuChoi": portal_date(at) if to_status == "refused_at_reception" else "",
        "TrangThaiHoSo": status,
        "DaXacThucVNeID": 0,
        "ThanhToanTrucTuyen": 0,
        "DaSoHoa": 1 if record.channel == "online" else 0,
        "SoThuTu": sequence,
        "QuaTrinhXuLy": [
            {
                "HanhDong": event.action if event else "receive",
                "TuTrangThai": (event.from_status or "") if event else "",
                "DenTrangThai": to_status,
                "ThoiDiem": portal_date(at),
                "NguoiXuLy": event.actor if event else "",
                "GhiChu": event.note if event else "",
            }
        ],
    }


def refusal_sync(
    portal_ref: str, reason: str, at: datetime, *, settings: Mapping[str, Any], sequence: int
) -> dict[str, Any]:
    """Return the status-sync body telling the portal an online dossier was not accepted."""
    return {
        "MaHoSo": portal_ref,
        "MaHoSoMotCua": "",
        "MaDonVi": str(settings.get("agency_code", "")),
        "MaXaPhuong": str(settings.get("ward_code", "")),
        "KenhThucHien": 2,
        "NgayTuChoi": portal_date(at),
        "TrangThaiHoSo": NOT_ACCEPTED,
        "LyDoTuChoi": reason,
        "SoThuTu": sequence,
        "QuaTrinhXuLy": [],
    }


def read_submission(data: Mapping[str, Any]) -> OnlineSubmission:
    """Return the online dossier in one item of the portal's submission list.

    :raises ValueError: a field is missing or malformed (the message names it).
    """
    try:
        ref = str(data["MaHoSo"]).strip()
        submitted = read_portal_date(str(data["NgayNop"]))
        person = data["ChuHoSo"]
    except KeyError as missing:
        raise ValueError(f"the portal's dossier has no {missing.args[0]}") from None
    if not ref:
        raise ValueError("the portal's dossier has an empty MaHoSo")
    files = []
    for item in data.get("TepDinhKem") or []:
        try:
            content = base64.b64decode(str(item["NoiDung"]), validate=True)
        except (KeyError, binascii.Error) as exc:
            raise ValueError(f"file {item.get('TenTep')!r} of {ref} is not base64: {exc}") from None
        files.append(
            SubmittedFile(
                name=str(item.get("TenTep") or "tep"),
                content_type=str(item.get("LoaiTep") or "application/octet-stream"),
                content=content,
            )
        )
    values = data.get("DuLieuBieuMau") or {}
    if not isinstance(values, Mapping):
        raise ValueError(f"DuLieuBieuMau of {ref} is not an object")
    return OnlineSubmission(
        portal_ref=ref,
        submitted_at=submitted,
        applicant=ApplicantInfo(
            name=str(person.get("HoTen", "")),
            id_number=str(person.get("SoGiayTo", "")),
            phone=str(person.get("SoDienThoai", "")),
            email=str(person.get("Email", "")),
            address=str(person.get("DiaChi", "")),
        ),
        procedure_key=str(data.get("MaThuTuc", "")),
        procedure_code=str(data.get("MaTTHC", "")),
        values=dict(values),
        files=tuple(files),
    )


def write_submission(submission: OnlineSubmission) -> dict[str, Any]:
    """Return ``submission`` in the portal's list format (the inverse of :func:`read_submission`)."""
    person = submission.applicant
    return {
        "MaHoSo": submission.portal_ref,
        "MaTTHC": submission.procedure_code,
        "MaThuTuc": submission.procedure_key,
        "NgayNop": portal_date(submission.submitted_at),
        "ChuHoSo": {
            "HoTen": person.name,
            "SoGiayTo": person.id_number,
            "SoDienThoai": person.phone,
            "Email": person.email,
            "DiaChi": person.address,
        },
        "DuLieuBieuMau": submission.values,
        "TepDinhKem": [
            {
                "TenTep": f.name,
                "LoaiTep": f.content_type,
                "NoiDung": base64.b64encode(f.content).decode(),
            }
            for f in submission.files
        ],
    }
