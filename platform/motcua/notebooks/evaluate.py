"""Running a notebook: one deterministic evaluator for the editor preview, the live staff
form and server-side validation.

Cells run in the plan's topological order. Given the previous evaluation and the names
whose input changed, only the cells downstream of those names run again; everything is
recomputed from the arguments, nothing is remembered between calls.
"""

from __future__ import annotations

from decimal import Decimal
from time import monotonic
from typing import Any

from motcua import budget
from motcua.errors import UserError, ValidationFailed
from motcua.expressions import EvalContext, FunctionLibrary
from motcua.i18n import T, Text
from motcua.notebooks.field_types import FieldTypeRegistry
from motcua.notebooks.graph import CompiledCell, Plan, build_plan, notebook_hash
from motcua.notebooks.model import FieldDef, Notebook
from motcua.notebooks.outputs import (
    CheckOutput,
    DocumentsOutput,
    Evaluation,
    FieldOutput,
    FormulaOutput,
    Output,
    StepsOutput,
    TimelineStep,
)

_BLANK_INPUT = object()


def evaluate(
    nb: Notebook,
    values: dict[str, Any],
    context: EvalContext,
    *,
    previous: Evaluation | None = None,
    changed: set[str] | None = None,
    field_types: FieldTypeRegistry | None = None,
) -> Evaluation:
    """Return the evaluation of ``nb`` on the raw input ``values`` (form strings or JSON).

    With ``previous`` (an evaluation of the same notebook under the same context), only the
    cells depending on ``changed`` names (plus any input that differs from
    ``previous.raw_values``) run again. Bad input and failing expressions become outputs,
    never exceptions; raises UserError only for a field type the registry lacks, and
    :class:`motcua.budget.OverBudget` (naming the slowest cell) when the request's time
    budget runs out.
    """
    field_types = field_types or FieldTypeRegistry.default()
    content_hash = notebook_hash(nb)
    reusable = (
        previous is not None
        and previous.notebook_hash == content_hash
        and previous.context == context
    )
    plan: Plan = (
        previous.plan
        if reusable and previous.plan is not None
        else build_plan(nb, context.functions or FunctionLibrary.default())
    )
    defined = nb.defined_names()
    if reusable and previous is not None:
        names = set(changed or ()) | _changed_inputs(previous.raw_values, values)
        to_run = plan.downstream({defined[name] for name in names if name in defined})
        outputs: dict[str, Output] = dict(previous.outputs)
        stored: dict[str, Any] = dict(previous.values)
    else:
        to_run = set(plan.order)
        outputs = {}
        stored = dict.fromkeys(defined)
    run = _Run(plan, values, context, field_types, stored, outputs, defined)
    ran: list[str] = []
    slowest: tuple[float, str | None] = (0.0, None)
    for cell_id in plan.order:
        if cell_id in to_run and plan.cells[cell_id].cell.kind not in ("markdown", "template"):
            started = monotonic()
            try:
                budget.check()
                run.cell(plan.cells[cell_id])
            except budget.Expired:
                spent = monotonic() - started
                slowest = max(slowest, (spent, cell_id), key=lambda pair: pair[0])
                raise budget.over_budget(slowest[1], slowest[0]) from None
            slowest = max(slowest, (monotonic() - started, cell_id), key=lambda pair: pair[0])
            ran.append(cell_id)
    return Evaluation(
        notebook_hash=content_hash,
        context=context,
        raw_values=dict(values),
        outputs={cid: outputs[cid] for cid in plan.order if cid in outputs},
        values=stored,
        ran=tuple(ran),
        issues=plan.issues,
        plan=plan,
    )


def validate_submission(
    nb: Notebook,
    raw_values: dict[str, Any],
    context: EvalContext,
    field_types: FieldTypeRegistry | None = None,
) -> dict[str, Any]:
    """Return the clean values: every field (None when hidden or blank) and every formula.

    Raises ValidationFailed with per-field errors (required, type, constraint, failing
    checks under their ``field`` or cell id); raises UserError when the notebook itself has
    problems (cycles, unknown names) and cannot take submissions.
    """
    evaluation = evaluate(nb, raw_values, context, field_types=field_types)
    if evaluation.issues:
        first = evaluation.issues[0]
        raise UserError(
            T(
                "Notebook thủ tục có lỗi ở ô `{cell}`: {problem}",
                "The procedure notebook has an error in cell `{cell}`: {problem}",
                cell=first.cell_id,
                problem=first.text,
            ),
            issues=[
                {"cell_id": i.cell_id, "field": i.field, "message": i.text.as_dict()}
                for i in evaluation.issues
            ],
        )
    errors = evaluation.errors()
    if errors:
        raise ValidationFailed(
            T("Có {n} chỗ cần sửa", "{n} entries need fixing", n=len(errors)), errors
        )
    return dict(evaluation.values)


def _changed_inputs(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    return {
        name
        for name in before.keys() | after.keys()
        if before.get(name, _BLANK_INPUT) != after.get(name, _BLANK_INPUT)
    }


def truthy(value: Any) -> bool:
    """Return how a condition's value counts: blank is false, yes/no as is, else Python truth."""
    return False if value is None else bool(value)


class _Run:
    """The state of one evaluation pass (lives only inside :func:`evaluate`)."""

    def __init__(
        self,
        plan: Plan,
        raw: dict[str, Any],
        context: EvalContext,
        field_types: FieldTypeRegistry,
        stored: dict[str, Any],
        outputs: dict[str, Output],
        defined: dict[str, str],
    ) -> None:
        self.plan, self.raw, self.context, self.field_types = plan, raw, context, field_types
        self.stored, self.outputs, self.defined = stored, outputs, defined
        self.address_names = {
            c.field.name for c in plan.cells.values() if c.field and c.field.type == "address"
        }

    def scope(self, extra: dict[str, Any] | None = None) -> dict[str, Any]:
        """Return the values expressions read (an address reads as its text)."""
        scope = {
            name: _expression_value(value) if name in self.address_names else value
            for name, value in self.stored.items()
        }
        return {**scope, **(extra or {})}

    def attempt(self, expression: Any, scope: dict[str, Any]) -> tuple[Any, Text | None]:
        """Return ``(value, error)``; an error caused by blank inputs is no error, value None."""
        try:
            return expression.evaluate(scope, self.context), None
        except UserError as error:
            if any(scope.get(name) is None for name in expression.names):
                return None, None
            return None, error.text

    def cell(self, compiled: CompiledCell) -> None:
        """Run one cell, storing its output and the value it defines."""
        kind = compiled.cell.kind
        issue = next((i.text for i in self.plan.issues_of(compiled.cell.id)), None)
        if kind == "field":
            output: Output = self.field(compiled, issue)
            # A refused value feeds nothing: a fee never shows "-2.000 đ" from a bad count.
            self.stored[output.name] = None if output.error else output.value
        elif kind == "formula":
            output = self.formula(compiled, issue)
            self.stored[output.name] = output.value
        elif kind == "check":
            output = self.check(compiled, issue)
        elif kind == "documents":
            output = self.documents(compiled)
        else:
            output = _timeline(compiled)
        self.outputs[compiled.cell.id] = output

    def field(self, compiled: CompiledCell, issue: Text | None) -> FieldOutput:
        field = compiled.field
        assert field is not None
        expressions = compiled.expressions
        scope = self.scope()
        visible, error = True, issue
        if "relevant" in expressions:
            shown, problem = self.attempt(expressions["relevant"], scope)
            visible, error = (True, problem) if problem else (truthy(shown), error)
        if not visible:
            # Hidden fields are cleared: a value typed before hiding is never kept.
            return FieldOutput(field.name, False, False, None)
        raw = self.raw.get(field.name) if field.name in self.raw else self._default(compiled, scope)
        value, problem = self.field_types.parse_value(field, raw)
        required = field.required is True
        if "required" in expressions:
            needed, required_problem = self.attempt(expressions["required"], scope)
            required, problem = truthy(needed), problem or required_problem
        if problem is None and value is None and required:
            problem = T("Cần nhập “{label}”", "“{label}” is required", label=field.label["vi"])
        if problem is None and value is not None and "constraint" in expressions:
            problem = self._constraint(
                field, expressions["constraint"], {**scope, field.name: _expression_value(value)}
            )
        if problem is None and field.type == "repeat" and value:
            problem = self._rows(compiled, value, scope)
        return FieldOutput(field.name, True, required, value, error or problem)

    def _default(self, compiled: CompiledCell, scope: dict[str, Any]) -> Any:
        if "default" in compiled.expressions:
            return self.attempt(compiled.expressions["default"], scope)[0]
        default = compiled.field.default if compiled.field else None
        return None if isinstance(default, dict) else default

    def _constraint(self, field: FieldDef, expression: Any, scope: dict[str, Any]) -> Text | None:
        holds, problem = self.attempt(expression, scope)
        if problem or holds is None or truthy(holds):
            return problem
        if field.constraint_message:
            return T(field.constraint_message["vi"], field.constraint_message["en"])
        return T("“{label}” không hợp lệ", "“{label}” is not valid", label=field.label["vi"])

    def _rows(
        self, compiled: CompiledCell, rows: list[dict[str, Any]], scope: dict[str, Any]
    ) -> Text | None:
        assert compiled.field is not None
        for number, row in enumerate(rows, start=1):
            for column in compiled.field.columns:
                parts = {
                    part.split(".", 1)[1]: e
                    for part, e in compiled.expressions.items()
                    if part.startswith(f"{column.name}.")
                }
                row_scope = {**scope, **row}
                if "relevant" in parts and not truthy(
                    self.attempt(parts["relevant"], row_scope)[0]
                ):
                    row[column.name] = None
                    continue
                problem = None
                if (
                    "required" in parts
                    and row.get(column.name) is None
                    and truthy(self.attempt(parts["required"], row_scope)[0])
                ):
                    problem = T("Cần nhập", "Required")
                elif "constraint" in parts and row.get(column.name) is not None:
                    problem = self._constraint(column, parts["constraint"], row_scope)
                if problem:
                    return T(
                        "Dòng {row}, cột “{column}”: {problem}",
                        "Row {row}, column “{column}”: {problem}",
                        row=number,
                        column=column.label["vi"],
                        problem=problem,
                    )
        return None

    def formula(self, compiled: CompiledCell, issue: Text | None) -> FormulaOutput:
        name = compiled.cell.meta["name"]
        if issue or "source" not in compiled.expressions:
            return FormulaOutput(name, None, issue)
        value, error = self.attempt(compiled.expressions["source"], self.scope())
        return FormulaOutput(name, value, error)

    def check(self, compiled: CompiledCell, issue: Text | None) -> CheckOutput:
        meta = compiled.cell.meta
        message = T(meta["message"]["vi"], meta["message"]["en"])
        target = meta.get("field") or compiled.cell.id
        if issue or "source" not in compiled.expressions:
            return CheckOutput(None, message, target, issue)
        target_cell = self.defined.get(meta.get("field") or "")
        target_output = self.outputs.get(target_cell or "")
        if isinstance(target_output, FieldOutput) and not target_output.visible:
            return CheckOutput(None, message, target)
        expression = compiled.expressions["source"]
        scope = self.scope()
        holds, error = self.attempt(expression, scope)
        if not holds and _skipped_on_blank(expression, scope):
            return CheckOutput(None, message, target)
        return CheckOutput(
            None if holds is None and error is None else truthy(holds) and not error,
            message,
            target,
            error,
        )

    def documents(self, compiled: CompiledCell) -> DocumentsOutput:
        items = []
        errors: dict[str, Text] = {}
        scope = self.scope()
        for item in compiled.cell.document_items():
            expression = compiled.expressions.get(f"condition:{item.key}")
            if expression is None:
                if item.condition is None:
                    items.append(item)
                continue
            wanted, error = self.attempt(expression, scope)
            if error:
                errors[item.key] = error
            if error or truthy(wanted):
                items.append(item)
        return DocumentsOutput(tuple(items), errors)


def _timeline(compiled: CompiledCell) -> StepsOutput:
    placed = []
    elapsed = Decimal(0)
    for step in compiled.cell.steps():
        placed.append(TimelineStep(step, elapsed, elapsed + step.hours))
        elapsed = placed[-1].end_hours
    return StepsOutput(tuple(placed), elapsed)


def _skipped_on_blank(expression: Any, scope: dict[str, Any]) -> bool:
    # Blank inputs are the `required` rule's job: a check reading a blank value is not
    # judged, unless it asks about blanks itself (is_blank, coalesce).
    if expression.functions & {"is_blank", "coalesce"}:
        return False
    return any(scope.get(name) is None for name in expression.names)


def _expression_value(value: Any) -> Any:
    return value.get("text") if isinstance(value, dict) and "text" in value else value
