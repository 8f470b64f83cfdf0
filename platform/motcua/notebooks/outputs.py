"""What running a notebook produces, cell by cell (plain frozen data)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from motcua.i18n import T, Text
from motcua.notebooks.graph import CellIssue
from motcua.notebooks.model import HOURS_PER_DAY, DocumentItem, Step


@dataclass(frozen=True)
class FieldOutput:
    """A field as staff see it: shown or hidden, required or not, its value and error."""

    name: str
    visible: bool
    required: bool
    value: Any
    error: Text | None = None


@dataclass(frozen=True)
class FormulaOutput:
    """A formula's value, or the error that stopped it."""

    name: str
    value: Any
    error: Text | None = None


@dataclass(frozen=True)
class CheckOutput:
    """A check's result: passed True/False, or None when skipped (its inputs are blank)."""

    passed: bool | None
    message: Text
    target: str
    error: Text | None = None


@dataclass(frozen=True)
class DocumentsOutput:
    """The documents asked for with these values, and conditions that failed to run."""

    items: tuple[DocumentItem, ...]
    errors: dict[str, Text] = field(default_factory=dict)


@dataclass(frozen=True)
class TimelineStep:
    """A step placed on the timeline, in working hours from reception."""

    step: Step
    start_hours: Decimal
    end_hours: Decimal


@dataclass(frozen=True)
class StepsOutput:
    """The processing timeline and its total working-time budget."""

    timeline: tuple[TimelineStep, ...]
    total_hours: Decimal

    @property
    def total_days(self) -> Decimal:
        """Return the total budget in working days (8 working hours each)."""
        return self.total_hours / HOURS_PER_DAY

    def total_text(self) -> Text:
        """Return the total as people read it, e.g. "1.5 ngày làm việc"."""
        days = self.total_days.normalize()
        return T("{days} ngày làm việc", "{days} working days", days=f"{days:f}")


Output = FieldOutput | FormulaOutput | CheckOutput | DocumentsOutput | StepsOutput


@dataclass(frozen=True)
class Evaluation:
    """The result of running a notebook on some values.

    ``outputs`` maps cell ids to their output (markdown and template cells have none);
    ``values`` maps every field and formula name to the value downstream cells read;
    ``ran`` lists the cells actually run, in order (all of them unless incremental);
    ``issues`` are the static problems (cycles, unknown names) found while planning.
    """

    notebook_hash: str
    context: Any
    raw_values: dict[str, Any]
    outputs: dict[str, Output]
    values: dict[str, Any]
    ran: tuple[str, ...]
    issues: tuple[CellIssue, ...] = ()
    plan: Any = field(default=None, compare=False, repr=False)

    def errors(self) -> dict[str, Text]:
        """Return the submission errors keyed by field name, or by check target.

        A failing check is keyed by its ``field`` when it has one, else by its cell id;
        a formula that fails on complete inputs is keyed by the formula's name.
        """
        errors: dict[str, Text] = {}
        for cell_id, output in self.outputs.items():
            if isinstance(output, FieldOutput | FormulaOutput) and output.error:
                errors.setdefault(output.name, output.error)
            elif isinstance(output, CheckOutput):
                if output.error:
                    errors.setdefault(output.target, output.error)
                elif output.passed is False:
                    errors.setdefault(output.target, output.message)
            elif isinstance(output, DocumentsOutput):
                for key, error in output.errors.items():
                    errors.setdefault(f"{cell_id}:{key}", error)
        return errors
