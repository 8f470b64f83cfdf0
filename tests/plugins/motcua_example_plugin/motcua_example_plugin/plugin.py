"""Example plugin: the copy fee function ``phi_sao_y`` and a procedure that uses it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from motcua.plugin_api import FormulaFunction, T, ValueType, hookimpl

FORMS = Path(__file__).parent / "forms"


def copy_fee(pages: object, copies: object) -> Decimal:
    """Return 2,000 đ per page per copy."""
    return Decimal(2000) * Decimal(int(pages or 0)) * Decimal(int(copies or 0))


@hookimpl
def register_formula_functions() -> list[FormulaFunction]:
    return [
        FormulaFunction(
            "phi_sao_y",
            copy_fee,
            [ValueType.NUMBER, ValueType.NUMBER],
            ValueType.NUMBER,
            doc=T("Phí sao y: 2.000 đ mỗi trang mỗi bản", "Copy fee: 2,000 VND per page per copy"),
        )
    ]


@hookimpl
def register_procedures() -> list[Path]:
    return sorted(FORMS.glob("*.ipynb"))
