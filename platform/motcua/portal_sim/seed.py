"""Online dossiers for the simulator: the library's valid samples with Vietnamese applicants."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from motcua.config import REPO_ROOT

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô")
MIDDLE = ("Văn", "Thị", "Minh", "Thu", "Đức", "Ngọc", "Hữu", "Thanh")
GIVEN = ("An", "Bình", "Chi", "Dũng", "Hà", "Hùng", "Lan", "Mai", "Nam", "Phương", "Quang", "Thảo")
# Procedures whose valid samples need no file upload and no choice of an outside ward.
DEFAULT_FORMS = ("xac-nhan-tinh-trang-hon-nhan", "dang-ky-khai-sinh", "chung-thuc-chu-ky")


def samples(
    forms_dir: Path | None = None, keys: tuple[str, ...] = DEFAULT_FORMS
) -> list[dict[str, Any]]:
    """Return ``{key, national_code, values, roles}`` for the first valid sample of each form."""
    from motcua.notebooks import read_ipynb

    folder = forms_dir or REPO_ROOT / "forms"
    found = []
    for key in keys:
        path = folder / f"{key}.ipynb"
        if not path.exists():
            continue
        notebook = read_ipynb(path)
        sample = next((s for s in notebook.samples if s.expect_valid), None)
        if sample is None:
            continue
        found.append(
            {
                "key": notebook.key,
                "national_code": notebook.national_code or "",
                "values": dict(sample.values),
                "roles": {role: f.name for role, f in notebook.applicant_fields().items()},
            }
        )
    return found


def person(rng: random.Random, base_id: str) -> dict[str, str]:
    """Return a Vietnamese applicant; the ID keeps ``base_id``'s first 6 digits (birth data)."""
    name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    prefix = base_id[:6] if len(base_id) == 12 and base_id.isdigit() else "001096"
    return {
        "HoTen": name,
        "SoGiayTo": prefix + f"{rng.randrange(10**6):06d}",
        "SoDienThoai": "09" + f"{rng.randrange(10**8):08d}",
        "Email": "",
        "DiaChi": "",
    }


def dossiers(
    ward_code: str, count: int, rng: random.Random, now: datetime, forms: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Return ``count`` online dossiers for ``ward_code`` in the portal's list format."""
    items = []
    for number in range(1, count + 1):
        if not forms:
            break
        form = forms[(number - 1) % len(forms)]
        roles: dict[str, str] = form["roles"]
        values = dict(form["values"])
        applicant = person(rng, str(values.get(roles.get("id_number", ""), "")))
        for role, key in (("name", "HoTen"), ("id_number", "SoGiayTo"), ("phone", "SoDienThoai")):
            if role in roles:
                values[roles[role]] = applicant[key]
        submitted = now - timedelta(minutes=7 * number)
        items.append(
            {
                "MaHoSo": f"G{ward_code}-{submitted:%y%m%d}-{number:04d}",
                "MaTTHC": form["national_code"],
                "MaThuTuc": form["key"],
                "NgayNop": submitted.strftime("%Y%m%d%H%M%S"),
                "ChuHoSo": applicant,
                "DuLieuBieuMau": values,
                "TepDinhKem": [],
            }
        )
    return items
