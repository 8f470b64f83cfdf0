"""Static checks of a notebook before it is published: names, cycles, types, budgets."""

from __future__ import annotations

from typing import Any

from motcua.expressions import ExpressionError, FunctionLibrary, ValueType
from motcua.expressions.types import accepts
from motcua.i18n import T
from motcua.notebooks.field_types import FieldTypeRegistry
from motcua.notebooks.graph import CellIssue, CompiledCell, build_plan
from motcua.notebooks.model import Notebook, budget_hours

# Parts whose value decides something yes/no.
_CONDITION_PARTS = ("relevant", "required", "constraint")


def check_notebook(
    nb: Notebook,
    functions: FunctionLibrary | None = None,
    field_types: FieldTypeRegistry | None = None,
) -> list[CellIssue]:
    """Return every problem found without values, each on the cell (and part) at fault.

    Finds unknown field types, syntax errors, unknown names and functions, cycles, type
    errors (a condition that is not yes/no, a formula that does not give its declared
    type, a default of the wrong type) and steps whose budgets do not add up to the
    notebook's ``limit``. Never raises for problems in the notebook.
    """
    functions = functions or FunctionLibrary.default()
    field_types = field_types or FieldTypeRegistry.default()
    plan = build_plan(nb, functions)
    issues = list(plan.issues)
    types: dict[str, ValueType] = {}
    for compiled in plan.cells.values():
        field = compiled.field
        if field is None:
            continue
        for column in (field, *field.columns):
            if column.type not in field_types:
                issues.append(
                    CellIssue(
                        compiled.cell.id,
                        T(
                            "Kiểu trường `{type}` không tồn tại",
                            "Field type `{type}` does not exist",
                            type=column.type,
                        ),
                        "type",
                    )
                )
        types[field.name] = (
            field_types.get(field.type).value_type if field.type in field_types else ValueType.ANY
        )
    for compiled in plan.cells.values():
        if compiled.cell.kind == "formula":
            # Until inferred (or when broken), a formula reads as its declared type or any.
            declared = compiled.cell.meta.get("type")
            types[compiled.cell.meta["name"]] = (
                _value_type(declared, field_types) if declared else ValueType.ANY
            )
    for cell_id in plan.order:
        if cell_id not in plan.broken:
            issues.extend(_type_issues(plan.cells[cell_id], types, functions, field_types))
    issues.extend(_budget_issues(nb))
    return issues


def _type_issues(
    compiled: CompiledCell,
    types: dict[str, ValueType],
    functions: FunctionLibrary,
    field_types: FieldTypeRegistry,
) -> list[CellIssue]:
    cell = compiled.cell
    issues: list[CellIssue] = []
    columns = {c.name: c for c in compiled.field.columns} if compiled.field else {}
    for part, expression in compiled.expressions.items():
        local = dict(types)
        if "." in part:
            local.update(
                {name: _value_type(column.type, field_types) for name, column in columns.items()}
            )
        try:
            kind = expression.infer_type(local, functions)
        except ExpressionError as error:
            issues.append(CellIssue(cell.id, error.text, part))
            if cell.kind == "formula":
                types[cell.meta["name"]] = ValueType.ANY
            continue
        wanted = _wanted_type(compiled, part, columns, field_types)
        if wanted is not None and not accepts(wanted, kind):
            issues.append(
                CellIssue(
                    cell.id,
                    T(
                        "Biểu thức cho {got}, cần {wanted}",
                        "The expression gives {got}, {wanted} is needed",
                        got=kind.label,
                        wanted=wanted.label,
                    ),
                    part,
                )
            )
        if cell.kind == "formula":
            types[cell.meta["name"]] = wanted if wanted not in (None, ValueType.ANY) else kind
    return issues


def _wanted_type(
    compiled: CompiledCell, part: str, columns: dict[str, Any], field_types: FieldTypeRegistry
) -> ValueType | None:
    cell = compiled.cell
    leaf = part.rsplit(".", 1)[-1]
    if cell.kind == "check" or leaf in _CONDITION_PARTS or part.startswith("condition:"):
        return ValueType.BOOL
    if cell.kind == "formula":
        declared = cell.meta.get("type")
        return _value_type(declared, field_types) if declared else None
    if leaf == "default":
        owner = columns.get(part.split(".")[0]) if "." in part else compiled.field
        return _value_type(owner.type, field_types) if owner else None
    return None


def _value_type(type_name: str, field_types: FieldTypeRegistry) -> ValueType:
    if type_name in field_types:
        return field_types.get(type_name).value_type
    try:
        return ValueType(type_name)
    except ValueError:
        return ValueType.ANY


def _budget_issues(nb: Notebook) -> list[CellIssue]:
    steps_cells = [cell for cell in nb.cells if cell.kind == "steps"]
    if not nb.limit or nb.limit == "same-day" or not steps_cells:
        return []
    total = sum(
        (step.hours for cell in steps_cells for step in cell.steps()), start=budget_hours("0h")
    )
    if total == budget_hours(nb.limit):
        return []
    return [
        CellIssue(
            steps_cells[0].id,
            T(
                "Tổng thời gian các bước là {total} giờ làm việc, khác thời hạn {limit}",
                "The steps add up to {total} working hours, not the time limit {limit}",
                total=f"{total.normalize():f}",
                limit=nb.limit,
            ),
            "steps",
        )
    ]
