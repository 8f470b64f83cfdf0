"""What a ward's notebooks run with (functions, field types, calendar), and whether a
notebook is ready to publish: its static checks and samples."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from motcua.calendar import WorkCalendar
from motcua.clock import now
from motcua.expressions import EvalContext, FunctionLibrary
from motcua.i18n import T, Text
from motcua.notebooks.check import check_notebook
from motcua.notebooks.field_types import FieldTypeRegistry
from motcua.notebooks.graph import CellIssue
from motcua.notebooks.model import Notebook
from motcua.notebooks.samples import SampleResult, run_samples
from motcua.tenancy.models import Tenant
from motcua.tenancy.workdays import ward_calendar


@dataclass(frozen=True)
class Toolkit:
    """What a ward's notebooks run with: functions, field types and working calendar."""

    functions: FunctionLibrary = field(default_factory=FunctionLibrary.default)
    field_types: FieldTypeRegistry = field(default_factory=FieldTypeRegistry.default)
    calendar: WorkCalendar | None = None

    def context(self) -> EvalContext:
        """Return an evaluation context at the current local time."""
        moment = now()
        return EvalContext(
            today=moment.date(), now=moment, calendar=self.calendar, functions=self.functions
        )


def default_toolkit(tenant: Tenant | None = None) -> Toolkit:
    """Return the built-in functions and field types, with ``tenant``'s calendar if given."""
    return Toolkit(calendar=ward_calendar(tenant) if tenant is not None else WorkCalendar())


# ---------------------------------------------------------------- checks before publishing


@dataclass(frozen=True)
class Readiness:
    """Why a notebook may not be published yet: static issues and failing samples."""

    issues: tuple[CellIssue, ...]
    samples: tuple[SampleResult, ...]

    @property
    def ok(self) -> bool:
        """Return True when nothing stands in the way."""
        return not self.issues and all(result.passed for result in self.samples)

    def failures(self) -> list[Text]:
        """Return one line per problem, each naming its cell or sample."""
        lines = [
            T("Ô `{cell}`: {problem}", "Cell `{cell}`: {problem}", cell=i.cell_id, problem=i.text)
            for i in self.issues
        ]
        for result in self.samples:
            lines += [
                T(
                    "Mẫu “{name}”: {problem}",
                    "Sample “{name}”: {problem}",
                    name=result.name,
                    problem=f,
                )
                for f in result.failures
            ]
        return lines

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON the editor shows: issues per cell, results per sample."""
        return {
            "ok": self.ok,
            "issues": [
                {"cell_id": i.cell_id, "part": i.field, "message": i.text.as_dict()}
                for i in self.issues
            ],
            "samples": [
                {"name": r.name, "passed": r.passed, "failures": [f.as_dict() for f in r.failures]}
                for r in self.samples
            ],
        }


def readiness(nb: Notebook, toolkit: Toolkit) -> Readiness:
    """Return the static checks and sample results of ``nb``; never raises for its problems."""
    issues = check_notebook(nb, toolkit.functions, toolkit.field_types)
    context = toolkit.context()
    samples = run_samples(nb, lambda _sample: context, toolkit.field_types)
    return Readiness(tuple(issues), tuple(samples))
