"""Running a notebook's samples: named test cases that must pass before publishing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from motcua.expressions import EvalContext
from motcua.i18n import T, Text
from motcua.notebooks.evaluate import evaluate
from motcua.notebooks.field_types import FieldTypeRegistry
from motcua.notebooks.model import Notebook, Sample


@dataclass(frozen=True)
class SampleResult:
    """The outcome of one sample; ``failures`` say what differed from the expectation."""

    name: str
    passed: bool
    failures: tuple[Text, ...] = ()


def run_samples(
    nb: Notebook,
    context_factory: Callable[[Sample], EvalContext],
    field_types: FieldTypeRegistry | None = None,
) -> list[SampleResult]:
    """Return one result per sample of ``nb``, in order.

    ``context_factory`` gives the clock and calendar a sample runs under. A sample
    expecting valid must have no errors and its ``expect.values`` must equal the computed
    values (numbers compared numerically, dates as ISO text); a sample expecting invalid
    must fail on exactly the listed field names / check targets. Never raises for a
    failing sample; static notebook problems make every sample fail.
    """
    results = []
    for sample in nb.samples:
        evaluation = evaluate(nb, sample.values, context_factory(sample), field_types=field_types)
        failures = [
            T("Ô `{cell}`: {problem}", "Cell `{cell}`: {problem}", cell=i.cell_id, problem=i.text)
            for i in evaluation.issues
        ]
        errors = evaluation.errors()
        if sample.expect_valid:
            failures += [
                T(
                    "Không mong có lỗi ở `{name}`: {problem}",
                    "Unexpected error on `{name}`: {problem}",
                    name=name,
                    problem=text,
                )
                for name, text in errors.items()
            ]
        else:
            expected = set(sample.expect_errors)
            for name in sorted(expected - errors.keys()):
                failures.append(
                    T(
                        "Mong có lỗi ở `{name}` nhưng không có",
                        "Expected an error on `{name}`, there is none",
                        name=name,
                    )
                )
            for name in sorted(errors.keys() - expected):
                failures.append(
                    T(
                        "Không mong có lỗi ở `{name}`: {problem}",
                        "Unexpected error on `{name}`: {problem}",
                        name=name,
                        problem=errors[name],
                    )
                )
            if not expected and not errors:
                failures.append(
                    T("Mong không hợp lệ nhưng hợp lệ", "Expected invalid, but it is valid")
                )
        for name, wanted in sample.expect_values.items():
            if name not in evaluation.values:
                failures.append(T("`{name}` không tồn tại", "`{name}` does not exist", name=name))
            elif not same_value(evaluation.values[name], wanted):
                failures.append(
                    T(
                        "`{name}` = {got}, mong đợi {wanted}",
                        "`{name}` = {got}, expected {wanted}",
                        name=name,
                        got=_shown(evaluation.values[name]),
                        wanted=_shown(wanted),
                    )
                )
        results.append(SampleResult(sample.name, not failures, tuple(failures)))
    return results


def same_value(actual: Any, expected: Any) -> bool:
    """Return whether a computed value equals a sample's JSON expectation.

    Numbers compare numerically (12000 == 12000.0 == Decimal("12000")); dates and
    date-times compare with their ISO text; lists item by item.
    """
    if isinstance(actual, bool) or isinstance(expected, bool):
        return actual is expected
    if isinstance(actual, int | Decimal) and isinstance(expected, int | float | Decimal):
        return Decimal(actual) == Decimal(str(expected))
    if isinstance(actual, date | datetime) and isinstance(expected, str):
        return actual.isoformat() == expected or (
            isinstance(actual, datetime) and actual.isoformat(timespec="minutes") == expected
        )
    if isinstance(actual, list) and isinstance(expected, list):
        return len(actual) == len(expected) and all(
            same_value(a, e) for a, e in zip(actual, expected, strict=True)
        )
    return actual == expected


def _shown(value: Any) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return "null" if value is None else str(value)
