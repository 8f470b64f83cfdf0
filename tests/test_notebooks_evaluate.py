"""The notebook evaluator: order, reactivity, cycles, errors on the right cell, validation."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from motcua.errors import UserError, ValidationFailed
from motcua.expressions import EvalContext
from motcua.notebooks import (
    FieldOutput,
    FormulaOutput,
    check_notebook,
    evaluate,
    notebook_from_dict,
    run_samples,
    validate_submission,
)

CONTEXT = EvalContext(today=date(2026, 3, 2), now=datetime(2026, 3, 2, 9, 0))
FEE = "min(200000, if(so_trang <= 2, so_trang * 2000, 4000 + (so_trang - 2) * 1000)) * so_ban"


def raw(kind: str, cell_id: str, source: str = "", **meta: object) -> dict:
    return {
        "id": cell_id,
        "cell_type": "markdown" if kind == "markdown" else "raw",
        "metadata": {"motcua": {"kind": kind, **meta}},
        "source": source,
    }


def field(name: str, type_: str = "integer", **meta: object) -> dict:
    return raw("field", name, name=name, type=type_, label={"vi": name, "en": name}, **meta)


def notebook(*cells: dict, samples: list | None = None, limit: str | None = None) -> object:
    meta = {"key": "chung-thuc-ban-sao", "name": {"vi": "Chứng thực", "en": "Certification"}}
    if samples:
        meta["samples"] = samples
    if limit:
        meta["limit"] = limit
    return notebook_from_dict(
        {"nbformat": 4, "nbformat_minor": 5, "metadata": {"motcua": meta}, "cells": list(cells)}
    )


def certification():
    """The certification-of-copies procedure: fee from pages and copies (Circular 226/2016)."""
    return notebook(
        raw("markdown", "intro", "Nhận bản chính và bản sao."),
        # The formula comes before its inputs on the page: order must come from the graph.
        raw(
            "formula", "fee", FEE, name="le_phi", label={"vi": "Lệ phí", "en": "Fee"}, type="number"
        ),
        field(
            "so_trang",
            required=True,
            constraint="so_trang >= 1",
            constraint_message={"vi": "Ít nhất 1 trang", "en": "At least 1 page"},
        ),
        field("so_ban", required=True, default=1),
        field("co_uy_quyen", "yes_no"),
        field("nguoi_uy_quyen", "text", relevant="co_uy_quyen", required=True),
        raw(
            "check",
            "max-copies",
            "so_ban <= 50",
            message={"vi": "Tối đa 50 bản", "en": "At most 50 copies"},
            field="so_ban",
        ),
        raw(
            "documents",
            "docs",
            items=[
                {
                    "key": "ban_chinh",
                    "name": {"vi": "Bản chính", "en": "Original"},
                    "form": "original",
                },
                {
                    "key": "giay_uy_quyen",
                    "name": {"vi": "Giấy ủy quyền", "en": "Power of attorney"},
                    "form": "certified_copy",
                    "condition": "co_uy_quyen",
                },
            ],
        ),
        raw(
            "steps",
            "steps",
            steps=[
                {
                    "key": "tiep_nhan",
                    "name": {"vi": "Tiếp nhận", "en": "Reception"},
                    "role": "staff",
                    "budget": "2h",
                },
                {
                    "key": "ky",
                    "name": {"vi": "Ký", "en": "Sign"},
                    "role": "leader",
                    "budget": "0.5d",
                },
            ],
        ),
        samples=[
            {
                "name": "Hai trang, ba bản",
                "values": {"so_trang": 2, "so_ban": 3},
                "expect": {"valid": True, "values": {"le_phi": 12000}},
            },
            {
                "name": "Thiếu số trang",
                "values": {"so_ban": 1},
                "expect": {"valid": False, "errors": ["so_trang"]},
            },
        ],
    )


def test_certification_fee_and_order():
    nb = certification()
    evaluation = evaluate(nb, {"so_trang": "5", "so_ban": "2"}, CONTEXT)
    assert evaluation.values["le_phi"] == (4000 + 3 * 1000) * 2
    assert evaluation.ran.index("so_trang") < evaluation.ran.index("fee")
    assert evaluation.ran.index("so_ban") < evaluation.ran.index("fee")
    assert "intro" not in evaluation.ran
    assert check_notebook(nb) == []


def test_fee_capped_and_default_applies():
    nb = certification()
    evaluation = evaluate(nb, {"so_trang": "500"}, CONTEXT)
    assert evaluation.values["so_ban"] == 1
    assert evaluation.values["le_phi"] == 200000


def test_hidden_field_is_cleared_and_not_required():
    nb = certification()
    evaluation = evaluate(
        nb, {"so_trang": 1, "co_uy_quyen": "false", "nguoi_uy_quyen": "Lan"}, CONTEXT
    )
    output = evaluation.outputs["nguoi_uy_quyen"]
    assert output == FieldOutput("nguoi_uy_quyen", False, False, None)
    shown = evaluate(nb, {"so_trang": 1, "co_uy_quyen": "true"}, CONTEXT).outputs["nguoi_uy_quyen"]
    assert shown.visible and shown.required and "Cần nhập" in shown.error.render("vi")


def test_documents_follow_conditions_and_steps_add_up():
    nb = certification()
    plain = evaluate(nb, {"so_trang": 1}, CONTEXT).outputs["docs"]
    assert [item.key for item in plain.items] == ["ban_chinh"]
    proxy = evaluate(nb, {"so_trang": 1, "co_uy_quyen": "on"}, CONTEXT).outputs["docs"]
    assert [item.key for item in proxy.items] == ["ban_chinh", "giay_uy_quyen"]
    steps = evaluate(nb, {}, CONTEXT).outputs["steps"]
    assert steps.total_hours == Decimal(6)
    assert [s.end_hours for s in steps.timeline] == [Decimal(2), Decimal(6)]
    assert steps.total_text().render("en") == "0.75 working days"


def test_incremental_reruns_only_dependents():
    nb = certification()
    first = evaluate(nb, {"so_trang": 2, "so_ban": 1, "co_uy_quyen": False}, CONTEXT)
    values = {"so_trang": 2, "so_ban": 3, "co_uy_quyen": False}
    second = evaluate(nb, values, CONTEXT, previous=first, changed={"so_ban"})
    assert set(second.ran) == {"so_ban", "fee", "max-copies"}
    assert second.values["le_phi"] == 12000
    full = evaluate(nb, values, CONTEXT)
    assert second.outputs == full.outputs and second.values == full.values
    # An input that differs from the previous raw values re-runs even if not named.
    third = evaluate(nb, {**values, "co_uy_quyen": True}, CONTEXT, previous=second, changed=set())
    assert set(third.ran) == {"co_uy_quyen", "nguoi_uy_quyen", "docs"}


def test_cycle_reported_on_each_cell_with_chain():
    nb = notebook(
        raw("formula", "fa", "b + 1", name="a"),
        raw("formula", "fb", "c + 1", name="b"),
        raw("formula", "fc", "a + 1", name="c"),
        raw("formula", "fd", "a * 2", name="d"),
    )
    issues = {issue.cell_id: issue.text.render("vi") for issue in check_notebook(nb)}
    assert issues["fa"] == "Vòng lặp: a → b → c → a"
    assert issues["fb"] == "Vòng lặp: b → c → a → b"
    assert "fd" not in issues
    evaluation = evaluate(nb, {}, CONTEXT)
    assert evaluation.outputs["fa"].error is not None
    assert evaluation.outputs["fd"] == FormulaOutput("d", None, None)


def test_self_reference_is_a_cycle_but_constraint_on_own_value_is_not():
    nb = notebook(raw("formula", "fx", "x + 1", name="x"), field("n", constraint="n > 0"))
    issues = check_notebook(nb)
    assert [(i.cell_id, i.text.render("en")) for i in issues] == [("fx", "Cycle: x → x")]


def test_unknown_name_function_and_type_errors_point_to_the_cell():
    nb = notebook(
        field("so_trang"),
        field("ghi_chu", "text", relevant="so_tran > 1"),
        raw("formula", "bad-fn", "khong_co(so_trang)", name="x"),
        raw("check", "not-bool", "so_trang + 1", message={"vi": "Sai", "en": "Wrong"}),
        raw("formula", "typed", "so_trang * 2", name="y", type="text"),
    )
    issues = {(i.cell_id, i.field): i.text.render("vi") for i in check_notebook(nb)}
    assert "`so_tran` không tồn tại" in issues[("ghi_chu", "relevant")]
    assert "khong_co" in issues[("bad-fn", "source")]
    assert ("not-bool", "source") in issues
    assert ("typed", "source") in issues
    assert len(issues) == 4


def test_budget_mismatch_is_reported_on_steps_cell():
    nb = notebook(
        raw(
            "steps",
            "steps",
            steps=[{"key": "a", "name": {"vi": "A", "en": "A"}, "role": "staff", "budget": "1d"}],
        ),
        limit="2d",
    )
    [issue] = check_notebook(nb)
    assert issue.cell_id == "steps" and "8" in issue.text.render("en")


def test_validate_submission_collects_field_and_check_errors():
    nb = certification()
    clean = validate_submission(nb, {"so_trang": "2", "so_ban": "3", "co_uy_quyen": ""}, CONTEXT)
    assert clean == {
        "so_trang": 2,
        "so_ban": 3,
        "co_uy_quyen": None,
        "nguoi_uy_quyen": None,
        "le_phi": 12000,
    }
    with pytest.raises(ValidationFailed) as failed:
        validate_submission(nb, {"so_trang": "0", "so_ban": "60", "la": "x"}, CONTEXT)
    errors = failed.value.errors
    assert set(errors) == {"so_trang", "so_ban"}
    assert errors["so_trang"].render("vi") == "Ít nhất 1 trang"
    assert errors["so_ban"].render("en") == "At most 50 copies"
    with pytest.raises(ValidationFailed) as failed:
        validate_submission(nb, {"so_trang": "hai"}, CONTEXT)
    assert "“hai” không phải là số" in failed.value.errors["so_trang"].render("vi")


def test_check_without_field_is_keyed_by_cell_and_skipped_on_blank():
    nb = notebook(
        field("a"),
        field("b"),
        raw("check", "a-le-b", "a <= b", message={"vi": "a ≤ b", "en": "a ≤ b"}),
    )
    assert evaluate(nb, {"a": 1}, CONTEXT).outputs["a-le-b"].passed is None
    with pytest.raises(ValidationFailed) as failed:
        validate_submission(nb, {"a": 3, "b": 2}, CONTEXT)
    assert list(failed.value.errors) == ["a-le-b"]


def test_broken_notebook_refuses_submissions():
    nb = notebook(field("a", relevant="khong_co"))
    with pytest.raises(UserError) as refused:
        validate_submission(nb, {"a": 1}, CONTEXT)
    assert refused.value.details["issues"][0]["cell_id"] == "a"


def test_repeat_rows_are_parsed_and_checked_per_row():
    nb = notebook(
        field(
            "ban_sao",
            "repeat",
            min_rows=1,
            columns=[
                {
                    "name": "ten",
                    "type": "text",
                    "label": {"vi": "Tên", "en": "Name"},
                    "required": True,
                },
                {
                    "name": "so_trang",
                    "type": "integer",
                    "label": {"vi": "Số trang", "en": "Pages"},
                    "constraint": "so_trang <= 100",
                },
            ],
        ),
        raw("formula", "tong", 'sum(ban_sao, "so_trang")', name="tong_trang"),
    )
    evaluation = evaluate(
        nb, {"ban_sao": [{"ten": "A", "so_trang": "3"}, {"ten": "B", "so_trang": 4}]}, CONTEXT
    )
    assert evaluation.values["tong_trang"] == 7
    assert check_notebook(nb) == []
    bad = evaluate(nb, {"ban_sao": [{"ten": "A", "so_trang": "300"}]}, CONTEXT).outputs["ban_sao"]
    assert bad.error.render("en").startswith("Row 1, column “Số trang”")
    missing = evaluate(nb, {"ban_sao": [{"so_trang": 1}]}, CONTEXT).outputs["ban_sao"]
    assert missing.error.render("vi").startswith("Dòng 1, cột “Tên”")
    too_few = evaluate(nb, {"ban_sao": []}, CONTEXT).outputs["ban_sao"]
    assert too_few.error is None and too_few.value is None


def test_samples_pass_and_report_mismatches():
    nb = certification()
    results = run_samples(nb, lambda sample: CONTEXT)
    assert [(r.name, r.passed) for r in results] == [
        ("Hai trang, ba bản", True),
        ("Thiếu số trang", True),
    ]
    wrong = notebook(
        field("so_trang", required=True),
        raw("formula", "fee", "so_trang * 1000", name="le_phi"),
        samples=[
            {
                "name": "sai",
                "values": {"so_trang": 2},
                "expect": {"valid": True, "values": {"le_phi": 3000.0}},
            },
            {"name": "thiếu", "values": {}, "expect": {"valid": False, "errors": ["le_phi"]}},
        ],
    )
    first, second = run_samples(wrong, lambda sample: CONTEXT)
    assert not first.passed and first.failures[0].render("en") == "`le_phi` = 2000, expected 3000.0"
    assert not second.passed and len(second.failures) == 2
