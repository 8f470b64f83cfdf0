"""Sample contexts for every built-in form: the reference for the context shape.

Tests, previews in the template editor and the benchmark all render these. The shape is
documented in docs/printing.md; every value is plain data (dict, list, str, int, date,
datetime), as the sandbox requires.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from motcua.errors import UserError
from motcua.i18n import T

_AGENCY = {
    "name": "Trung tâm Phục vụ hành chính công",
    "parent_name": "Ủy ban nhân dân phường Nếnh",
    "place": "Nếnh",
    "code": "000.45.17.H24",
}

_RECEIVED_AT = datetime(2025, 11, 5, 14, 35)
_DUE_AT = datetime(2025, 11, 12, 16, 30)
_CODE = "000.45.17.H24-251105-0042"
_LOOKUP = "https://dichvucong.bacninh.gov.vn/tra-cuu?ma=000.45.17.H24-251105-0042"

_SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ")
_MIDDLE = ("Thị", "Văn", "Hữu", "Minh", "Thu", "Quốc", "Ngọc", "Đức")
_GIVEN = ("Ánh", "Đức", "Hương", "Việt", "Cường", "Thủy", "Lưu", "Ưng", "Ơn", "Ẩn", "Yến", "Hằng")
_PROCEDURES = (
    "Đăng ký khai sinh",
    "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
    "Đăng ký kết hôn",
    "Cấp bản sao trích lục hộ tịch",
    "Đăng ký thường trú",
    "Xác nhận tình trạng hôn nhân",
)
_OUTCOMES = ("early", "on_time", "on_time", "late", None)


def _record() -> dict[str, Any]:
    return {
        "code": _CODE,
        "procedure_name": "Đăng ký khai sinh",
        "procedure_code": "1.001193",
        "applicant": {
            "name": "Nguyễn Thị Hồng Ánh",
            "address": "Số 12 đường Hoàng Hoa Thám, phường Nếnh, tỉnh Bắc Ninh",
            "phone": "0912 345 678",
            "email": "hong.anh@example.vn",
            "id_number": "024190001234",
        },
        "documents": [
            {"name": "Tờ khai đăng ký khai sinh", "form_label": "Bản chính", "count": 1},
            {"name": "Giấy chứng sinh", "form_label": "Bản chính", "count": 1},
            {
                "name": "Giấy chứng nhận kết hôn của cha, mẹ",
                "form_label": "Bản sao chứng thực",
                "count": 1,
            },
            {"name": "Thẻ căn cước của người đi đăng ký", "form_label": "Xuất trình", "count": 1},
        ],
        "sets": 1,
        "limit_text": "03 ngày làm việc",
        "received_at": _RECEIVED_AT,
        "due_at": _DUE_AT,
        "collect_at": "Quầy số 2, Trung tâm Phục vụ hành chính công phường Nếnh",
        "channel_label": "Trực tiếp",
        "tracking_entry": "Quyển số 01/2025, số thứ tự 42",
    }


def _base() -> dict[str, Any]:
    return {
        "agency": dict(_AGENCY),
        "number": "42/PTN",
        "issued_at": _RECEIVED_AT.date(),
        "record": _record(),
        "lookup_url": _LOOKUP,
        "receiver": {
            "name": "Phạm Quốc Việt",
            "title": "Công chức tiếp nhận",
            "phone": "0204 3866 123",
        },
    }


def _signer() -> dict[str, str]:
    return {"title": "Trưởng phòng Văn hóa - Xã hội", "name": "Đỗ Mạnh Cường"}


def register_rows(count: int, start: date = date(2025, 11, 3)) -> list[dict[str, Any]]:
    """Return ``count`` deterministic rows of a record tracking book (form 07)."""
    rows = []
    for i in range(count):
        received_at = datetime.combine(start, datetime.min.time()) + timedelta(
            days=i // 25, hours=7 + (i % 9), minutes=(i * 7) % 60
        )
        name = f"{_SURNAMES[i % 10]} {_MIDDLE[i % 8]} {_GIVEN[i % 12]}"
        outcome = _OUTCOMES[i % 5]
        rows.append(
            {
                "code": f"000.45.17.H24-{received_at:%y%m%d}-{i + 1:04d}",
                "procedure_name": _PROCEDURES[i % 6],
                "sets": 1 + i % 2,
                "applicant_name": name,
                "applicant_contact": f"Tổ {1 + i % 15}, phường Nếnh; 09{i:08d}",
                "received_at": received_at,
                "due_at": received_at + timedelta(days=3),
                "returned_at": received_at + timedelta(days=2 + (i % 3)) if outcome else None,
                "outcome": outcome,
                "note": "Phi địa giới" if i % 11 == 0 else "",
            }
        )
    return rows


def sample_context(form: str, *, rows: int = 30) -> dict[str, Any]:
    """Return a complete sample context for ``form`` ("01"-"07", "ticket", "receipt80").

    ``rows`` sets the number of register rows for form 07.

    :raises UserError: unknown form.
    """
    context = _base()
    if form == "01":
        pass
    elif form == "02":
        context["supplement"] = {
            "requests": [
                {
                    "name": "Giấy chứng sinh (bản chính)",
                    "reason": "Bản đã nộp là bản photocopy, không có chứng thực",
                },
                {
                    "name": "Tờ khai đăng ký khai sinh",
                    "reason": "Thiếu chữ ký của người đi đăng ký",
                },
            ]
        }
    elif form == "03":
        context["refusal"] = {
            "legal_ground": "Khoản 1 Điều 13 Luật Hộ tịch năm 2014",
            "reason": "Việc khai sinh đã được đăng ký tại Ủy ban nhân dân xã Vân Trung.",
        }
    elif form == "04":
        context["extension"] = {
            "unit_name": "Phòng Văn hóa - Xã hội",
            "reason": "Cần xác minh thông tin với cơ quan đăng ký hộ tịch nơi cư trú trước đây.",
            "new_due_at": datetime(2025, 11, 17, 10, 0),
        }
        context["signer"] = _signer()
        context["issued_at"] = date(2025, 11, 11)
    elif form == "05":
        context["stop"] = {
            "requested_at": datetime(2025, 11, 7, 9, 15),
            "stopped_at": datetime(2025, 11, 7, 10, 0),
            "reason": "Người nộp rút hồ sơ để bổ sung giấy tờ",
            "return_note": "Hồ sơ gốc được trả lại tại Quầy số 2.",
        }
        context["signer"] = _signer()
        context["issued_at"] = date(2025, 11, 7)
    elif form == "06":
        context["events"] = [
            {
                "from_name": "Bộ phận Một cửa (Phạm Quốc Việt)",
                "to_name": "Phòng Văn hóa - Xã hội",
                "at": datetime(2025, 11, 5, 15, 10),
                "outcome": "on_time",
                "note": "",
            },
            {
                "from_name": "Phòng Văn hóa - Xã hội",
                "to_name": "Công chức Tư pháp - Hộ tịch (Lê Thu Hương)",
                "at": datetime(2025, 11, 6, 8, 5),
                "outcome": "early",
                "note": "",
            },
            {
                "from_name": "Công chức Tư pháp - Hộ tịch (Lê Thu Hương)",
                "to_name": "Lãnh đạo Ủy ban (Đỗ Mạnh Cường)",
                "at": datetime(2025, 11, 10, 16, 40),
                "outcome": "late",
                "note": "Chờ xác minh",
            },
        ]
    elif form == "07":
        context["period"] = {"start": date(2025, 11, 3), "end": date(2025, 11, 30)}
        context["rows"] = register_rows(rows)
        context["issued_at"] = date(2025, 11, 30)
        del context["record"]
    elif form == "ticket":
        context["ticket"] = {
            "number": "2045",
            "counter": "Quầy 3 - Hộ tịch, chứng thực",
            "service": "Đăng ký khai sinh",
            "issued_at": datetime(2025, 11, 5, 8, 12),
            "waiting": 6,
        }
        context["lookup_url"] = "https://nenh.example.vn/xep-hang/2045"
    elif form == "receipt80":
        pass
    else:
        raise UserError(T("Không có mẫu in {form}.", "There is no print form {form}.", form=form))
    return context
