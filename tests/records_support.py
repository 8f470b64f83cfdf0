"""Helpers for the records tests: publish a built-in form for a ward, valid sample values."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import ward_of
from motcua.notebooks import read_ipynb
from motcua.notebooks.service import import_notebook, publish

FORMS = Path(__file__).resolve().parents[1] / "forms"
CERTIFY = "chung-thuc-ban-sao"  # same-day
MARITAL = "xac-nhan-tinh-trang-hon-nhan"  # 3 working days


def publish_form(tenant: Any, key: str = MARITAL) -> Any:
    """Publish ``forms/<key>.ipynb`` as the ward's notebook and return the version."""
    import_notebook(tenant, read_ipynb(FORMS / f"{key}.ipynb"), actor="test")
    return publish(tenant, key, toolkit=ward_of(tenant).toolkit, actor="test")


def sample_values(key: str = MARITAL) -> dict[str, Any]:
    """Return the values of the form's first valid sample."""
    nb = read_ipynb(FORMS / f"{key}.ipynb")
    return dict(next(s.values for s in nb.samples if s.expect_valid))


def at_counter(key: str = MARITAL) -> dict[str, Any]:
    """Return the reception form entries the counter adds to a sample: today's filing day
    (a sample's is fixed) and every document the form lists, ticked as received."""
    from motcua import clock

    nb = read_ipynb(FORMS / f"{key}.ipynb")
    return {
        "v.ngay_nop": clock.today().isoformat(),
        "doc": [item.key for cell in nb.cells if cell.kind == "documents" for item in cell.document_items()],
    }
