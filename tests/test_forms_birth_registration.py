"""The birth registration notebook's documents list (Decree 123/2015/ND-CP art. 9(1))."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from motcua.calendar import WorkCalendar
from motcua.expressions.context import EvalContext
from motcua.notebooks import evaluate, read_ipynb
from motcua.notebooks.samples import run_samples
from records_support import FORMS

BIRTH = read_ipynb(FORMS / "dang-ky-khai-sinh.ipynb")
VALUES = dict(next(s.values for s in BIRTH.samples if s.expect_valid))
CONTEXT = EvalContext(date(2026, 3, 2), datetime(2026, 3, 2, 9, 0), WorkCalendar())


def papers(**values: object) -> list[str]:
    evaluation = evaluate(BIRTH, {**VALUES, **values}, CONTEXT)
    [documents] = [o for o in evaluation.outputs.values() if hasattr(o, "items")
                   and all(hasattr(i, "key") for i in o.items)]
    return [item.key for item in documents.items]


@pytest.mark.parametrize(
    ("values", "wanted", "not_wanted"),
    [
        ({"loai_noi_sinh": "co_so_y_te"}, "giay_chung_sinh", "xac_nhan_mang_thai_ho"),
        ({"loai_noi_sinh": "ngoai_co_so_y_te"}, "van_ban_lam_chung", "giay_chung_sinh"),
        # Surrogacy: the assisted-reproduction facility's confirmation replaces the certificate.
        ({"loai_noi_sinh": "co_so_y_te", "mang_thai_ho": "true"}, "xac_nhan_mang_thai_ho",
         "giay_chung_sinh"),
        ({"loai_noi_sinh": "ngoai_co_so_y_te", "mang_thai_ho": "true"}, "xac_nhan_mang_thai_ho",
         "van_ban_lam_chung"),
    ],
)
def test_documents_follow_the_birth(values: dict, wanted: str, not_wanted: str) -> None:
    found = papers(**values)
    assert wanted in found and not_wanted not in found
    assert "to_khai" in found


def test_every_sample_still_passes() -> None:
    results = run_samples(BIRTH, lambda sample: CONTEXT)
    assert results and all(r.passed for r in results), [r for r in results if not r.passed]
