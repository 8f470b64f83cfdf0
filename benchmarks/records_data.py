"""Realistic, deterministic sample data for the records benchmark: Vietnamese names
(family names in their real shares), phones, CCCD numbers, addresses, API request bodies
and the rows of a million-record ward.

No motcua imports here except :func:`motcua.units.fold` (the app's own name folding), so
``bare_app.py`` can share the request bodies.
"""

from __future__ import annotations

import json
import random
from datetime import date, datetime, time, timedelta
from typing import Any

# Family names with rough national shares (per cent).
FAMILY = [
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9.5), ("Phạm", 7), ("Hoàng", 3), ("Huỳnh", 2),
    ("Phan", 4.5), ("Vũ", 2.5), ("Võ", 1.5), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 1.4),
    ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1), ("Lý", 0.5), ("Đinh", 0.6), ("Trịnh", 0.6),
    ("Đào", 0.5), ("Mai", 0.4), ("Lương", 0.4), ("Tạ", 0.3), ("Cao", 0.3), ("Chu", 0.2),
    ("Lưu", 0.2), ("Tô", 0.2), ("Kiều", 0.1), ("Quách", 0.1), ("Thân", 0.1), ("Khúc", 0.05),
]
MIDDLE_M = ["Văn", "Đức", "Minh", "Quốc", "Hữu", "Thanh", "Xuân", "Công", "Hoàng", "Ngọc",
            "Tuấn", "Mạnh", "Duy", "Bảo", "Gia", "Trọng", "Đình", "Quang"]
MIDDLE_F = ["Thị", "Ngọc", "Thu", "Thanh", "Minh", "Kim", "Hồng", "Bích", "Phương", "Thùy",
            "Mai", "Diệu", "Khánh", "Hải", "Lan"]
GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Đạt", "Giang", "Hải", "Hiếu", "Hoàng", "Hùng",
           "Huy", "Khánh", "Khoa", "Kiên", "Lâm", "Long", "Mạnh", "Minh", "Nam", "Nghĩa",
           "Phong", "Phúc", "Quân", "Quang", "Sơn", "Tài", "Thắng", "Thành", "Thịnh", "Toàn",
           "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Vũ", "Hưng", "Lộc", "Đông", "Khải"]
GIVEN_F = ["Anh", "Bích", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hồng",
           "Huyền", "Hương", "Lan", "Liên", "Linh", "Loan", "Mai", "My", "Nga", "Ngân",
           "Ngọc", "Nhung", "Oanh", "Phương", "Quỳnh", "Thảo", "Thu", "Thủy", "Trang", "Trâm",
           "Tuyết", "Vân", "Yến", "Uyên", "Nhi", "Hiền", "Duyên", "Gấm", "Xuân", "Ánh"]
STREETS = ["Lê Lợi", "Trần Hưng Đạo", "Nguyễn Trãi", "Lý Thái Tổ", "Hai Bà Trưng", "Ngô Gia Tự",
           "Nguyễn Văn Cừ", "Kinh Dương Vương", "Hoàng Quốc Việt", "Lạc Long Quân"]
HAMLETS = ["Thôn Đông", "Thôn Trung", "Thôn Bắc", "Thôn Nếnh", "Khu phố 1", "Khu phố 2",
           "Khu phố 3", "Tổ dân phố Đình", "Tổ dân phố Vân Cốc", "Thôn Quang Biểu"]
DOCS = ["Bằng tốt nghiệp đại học", "Giấy khai sinh", "Sổ hộ khẩu", "Giấy chứng nhận kết hôn",
        "Học bạ trung học phổ thông", "Giấy chứng nhận quyền sử dụng đất",
        "Bằng tốt nghiệp trung học phổ thông", "Chứng chỉ tiếng Anh"]
# Birth provinces for CCCD prefixes (Bắc Ninh / Bắc Giang area heavy, a few elsewhere).
ID_PROVINCES = ["024", "024", "024", "027", "027", "001", "022", "030", "033", "036", "038",
                "040", "079", "019", "025"]
PHONE_PREFIXES = ["091", "094", "088", "098", "097", "096", "086", "032", "033", "035",
                  "090", "093", "070", "077", "081", "083", "085", "056", "058"]

_FAMILY_NAMES = [name for name, _ in FAMILY]
_FAMILY_WEIGHTS = [share for _, share in FAMILY]


class People:
    """A seeded generator of applicants."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)

    def name(self) -> tuple[str, bool]:
        """Return a full name and whether the person is female."""
        r = self.rng
        female = r.random() < 0.55
        family = r.choices(_FAMILY_NAMES, _FAMILY_WEIGHTS)[0]
        middle = r.choice(MIDDLE_F if female else MIDDLE_M)
        given = r.choice(GIVEN_F if female else GIVEN_M)
        if r.random() < 0.15:  # four-word names
            return f"{family} {middle} {r.choice(MIDDLE_F if female else MIDDLE_M)} {given}", female
        return f"{family} {middle} {given}", female

    def cccd(self, female: bool) -> str:
        """Return a 12-digit CCCD number: place, century/gender digit, birth year, serial."""
        r = self.rng
        year = r.randint(1950, 2007)
        century = (0 if year < 2000 else 2) + (1 if female else 0)
        return f"{r.choice(ID_PROVINCES)}{century}{year % 100:02d}{r.randint(0, 999999):06d}"

    def phone(self) -> str:
        return f"{self.rng.choice(PHONE_PREFIXES)}{self.rng.randint(0, 9999999):07d}"

    def address(self) -> str:
        r = self.rng
        if r.random() < 0.5:
            return f"Số {r.randint(1, 300)}, đường {r.choice(STREETS)}"
        return f"{r.choice(HAMLETS)}, tổ {r.randint(1, 12)}"

    def certify_values(self, name: str, today: date) -> dict[str, Any]:
        """Values of the chung-thuc-ban-sao form (same shape as its sample)."""
        r = self.rng
        return {
            "co_quan_cap": "viet_nam",
            "ho_ten_nguoi_yeu_cau": name,
            "ngay_nop": today.isoformat(),
            "so_ban": r.randint(1, 5),
            "so_trang": r.randint(1, 6),
            "ten_giay_to": r.choice(DOCS),
        }


def api_bodies(count: int, today: date, *, counter_id: int | None, procedure: str, seed: int = 11) -> list[str]:
    """Return ``count`` JSON bodies for POST /api/v1/records (chung-thuc-ban-sao)."""
    people = People(seed)
    bodies = []
    for _ in range(count):
        name, female = people.name()
        body = {
            "procedure": procedure,
            "values": people.certify_values(name, today),
            "applicant": {
                "name": name,
                "id_number": people.cccd(female),
                "phone": people.phone(),
                "address": people.address(),
            },
            "documents": [
                {"key": "ban_chinh", "form": "shown"},
                {"key": "ban_chup", "form": "copy", "count": people.rng.randint(1, 5)},
            ],
            "channel": "direct",
        }
        if counter_id is not None:
            body["counter"] = counter_id
        bodies.append(json.dumps(body, ensure_ascii=False))
    return bodies


# ---------------------------------------------------------------- a million records

RECORD_COLUMNS = [
    "id", "tenant_id", "code", "procedure_key", "procedure_name", "notebook_version_id",
    "status", "channel", "applicant_name", "applicant_search", "applicant_id_number",
    "applicant_phone", "applicant_address", "residence_ward_code", "non_territorial", "data",
    "documents", "reception_point_id", "counter_id", "received_by", "received_at", "due_at",
    "limit_spec", "paused_at", "paused_working_time", "resolved_at", "returned_at", "outcome",
    "lock_version", "updated_at",
]
# (key, name, limit in working days (0 = same day), share)
PROCEDURES = [
    ("chung-thuc-ban-sao", "Chứng thực bản sao từ bản chính", 0, 45),
    ("xac-nhan-tinh-trang-hon-nhan", "Cấp Giấy xác nhận tình trạng hôn nhân", 3, 15),
    ("dang-ky-khai-sinh", "Đăng ký khai sinh", 3, 12),
    ("chung-thuc-chu-ky", "Chứng thực chữ ký", 0, 10),
    ("dang-ky-ket-hon", "Đăng ký kết hôn", 5, 5),
    ("dang-ky-khai-tu", "Đăng ký khai tử", 3, 4),
    ("trich-luc-ho-tich", "Cấp bản sao trích lục hộ tịch", 0, 5),
    ("xac-nhan-cu-tru", "Xác nhận thông tin cư trú", 7, 4),
]
_PROC_WEIGHTS = [p[3] for p in PROCEDURES]
# Status shares for records whose deadline has passed, and for those still within it.
PAST_DUE = [("returned", 88.0), ("result_ready", 1.5), ("approved", 0.8), ("rejected", 3.0),
            ("withdrawn", 1.5), ("refused_at_reception", 2.2), ("supplement_requested", 2.4),
            ("in_progress", 0.5), ("received", 0.1)]
WITHIN_DUE = [("received", 25.0), ("in_progress", 45.0), ("supplement_requested", 8.0),
              ("approved", 6.0), ("result_ready", 8.0), ("returned", 6.0),
              ("refused_at_reception", 2.0)]


def working_days(end: date, days: int, add_workdays: Any) -> list[date]:
    """Return the ward's working days among the ``days`` days up to ``end`` (inclusive)."""
    out = []
    for back in range(days, -1, -1):
        day = end - timedelta(days=back)
        if add_workdays(day - timedelta(days=1), 1) == day:  # day is a working day
            out.append(day)
    return out


def record_rows(
    *,
    tenant_id: int,
    agency: str,
    count: int,
    now: datetime,
    add_workdays: Any,
    fold: Any,
    first_id: int,
    reception_point_id: int | None,
    counter_id: int | None,
    notebook_version_id: int | None,
    seed: int,
) -> list[tuple]:
    """Return ``count`` record rows received over the year before ``now``, oldest first,
    with codes ``<agency>-YYMMDD-NNNN`` numbered per day; statuses depend on the due date."""
    people = People(seed)
    r = people.rng
    days = [d for d in working_days(now.date(), 365, add_workdays) if d <= now.date()]
    per_day = [0] * len(days)
    for _ in range(count):
        per_day[r.randrange(len(days))] += 1
    due_cache: dict[tuple[date, int], date] = {}
    fold_cache: dict[str, str] = {}
    rows: list[tuple] = []
    next_id = first_id
    for day, n in zip(days, per_day, strict=True):
        # office hours 07:00-11:30 and 13:30-17:00 (the last day stops at `now`)
        seconds = sorted(r.choice((r.randint(7 * 3600, 41400), r.randint(48600, 61200))) for _ in range(n))
        for seq, sec in enumerate(seconds, start=1):
            received = datetime.combine(day, time()) + timedelta(seconds=sec)
            if received > now:
                received = now - timedelta(seconds=r.randint(1, 3600))
            key, pname, limit, _ = r.choices(PROCEDURES, _PROC_WEIGHTS)[0]
            late_cutoff = received.time() >= time(15, 0) and limit == 0
            workdays = limit + (1 if late_cutoff else 0)
            if workdays:
                due_day = due_cache.get((day, workdays))
                if due_day is None:
                    due_day = due_cache[(day, workdays)] = add_workdays(day, workdays)
            else:
                due_day = day
            due = datetime.combine(due_day, time(17, 0))
            status = r.choices(*zip(*(PAST_DUE if due < now else WITHIN_DUE), strict=True))[0]
            name, female = people.name()
            search = fold_cache.get(name)
            if search is None:
                search = fold_cache[name] = fold(name)
            resolved = returned = paused = None
            outcome = ""
            if status in ("approved", "rejected", "result_ready", "returned"):
                span = (due - received).total_seconds()
                late = r.random() < 0.03
                resolved = received + timedelta(seconds=span * (1.2 if late else r.uniform(0.1, 0.95)))
                if resolved > now:
                    resolved = now
                outcome = "late" if resolved > due else ("on_time" if r.random() < 0.6 else "early")
                if status == "returned":
                    returned = min(now, resolved + timedelta(hours=r.uniform(0.5, 48)))
            elif status == "supplement_requested":
                paused = min(now, received + timedelta(hours=r.uniform(1, 30)))
            elif status in ("withdrawn", "refused_at_reception"):
                resolved = received + timedelta(minutes=r.randint(5, 600))
            channel = r.choices(("direct", "online", "postal"), (55, 40, 5))[0]
            values = people.certify_values(name, day) if key == "chung-thuc-ban-sao" else {
                "ho_ten": name, "ngay_sinh": f"{r.randint(1950, 2007)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}",
                "noi_cu_tru": people.address(), "ghi_chu": "",
            }
            events = 1 + {"in_progress": 1, "supplement_requested": 2, "approved": 2, "rejected": 2,
                          "result_ready": 3, "returned": 4, "withdrawn": 1, "refused_at_reception": 1}.get(status, 0)
            last_change = returned or resolved or paused or received
            rows.append((
                next_id, tenant_id, f"{agency}-{day:%y%m%d}-{seq:04d}", key, pname, notebook_version_id,
                status, channel, name, search, people.cccd(female), people.phone(), people.address(),
                "", False,
                json.dumps(values, ensure_ascii=False),
                json.dumps([{"key": "ban_chinh", "name": "Bản chính", "form": "shown", "count": 1},
                            {"key": "ban_chup", "name": "Bản chụp", "form": "copy", "count": r.randint(1, 5)}],
                           ensure_ascii=False),
                reception_point_id if channel != "online" else None,
                counter_id if channel != "online" else None,
                "canbo.motcua", received, due, f"{limit}d" if limit else "same-day", paused, 0,
                resolved, returned, outcome, events, last_change,
            ))
            next_id += 1
    return rows
