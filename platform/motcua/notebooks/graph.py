"""The dependency graph of a notebook: compiled expressions, order, cycles, unknown names.

Each field and formula defines a name; each expression references names. A cell depends
on the cells defining the names it references, and cells run in topological order (ties
kept in notebook order), as in marimo: the page order never changes a result.
"""

from __future__ import annotations

import heapq
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from motcua.expressions import ExpressionError, FunctionLibrary, compile_expression
from motcua.i18n import T, Text
from motcua.notebooks.model import Cell, FieldDef, Notebook


@dataclass(frozen=True)
class CellIssue:
    """A problem found on a cell; ``field`` names the part (``relevant``, ``source``, …)."""

    cell_id: str
    text: Text
    field: str | None = None


@dataclass(frozen=True)
class CompiledCell:
    """A cell with its compiled expressions (by part) and the names it reads."""

    cell: Cell
    expressions: dict[str, Any]
    references: frozenset[str]
    field: FieldDef | None = None

    @property
    def defines(self) -> str | None:
        """Return the name the cell defines (a field or formula), else None."""
        return self.cell.meta["name"] if self.cell.kind in ("field", "formula") else None


@dataclass(frozen=True)
class Plan:
    """Everything about a notebook that does not depend on the values."""

    notebook_hash: str
    cells: dict[str, CompiledCell]
    order: tuple[str, ...]
    dependents: dict[str, frozenset[str]]
    issues: tuple[CellIssue, ...]
    broken: frozenset[str]

    def issues_of(self, cell_id: str) -> tuple[CellIssue, ...]:
        """Return the issues found on ``cell_id``."""
        return tuple(issue for issue in self.issues if issue.cell_id == cell_id)

    def downstream(self, cell_ids: set[str]) -> set[str]:
        """Return ``cell_ids`` and every cell that depends on them, directly or not."""
        seen = set(cell_ids)
        stack = list(cell_ids)
        while stack:
            for dependent in self.dependents.get(stack.pop(), ()):
                if dependent not in seen:
                    seen.add(dependent)
                    stack.append(dependent)
        return seen


def expression_parts(cell: Cell, field: FieldDef | None) -> dict[str, str]:
    """Return ``{part: source}`` of every expression in ``cell``.

    Parts: ``source`` (formula, check), ``relevant``/``required``/``constraint``/``default``
    (field), ``<column>.<part>`` (repeat columns), ``condition:<key>`` (documents).
    """
    if cell.kind in ("formula", "check"):
        return {"source": cell.source}
    parts: dict[str, str] = {}
    if cell.kind == "documents":
        for item in cell.document_items():
            if item.condition:
                parts[f"condition:{item.key}"] = item.condition
    if field is not None:
        parts.update(_field_parts(field))
        for column in field.columns:
            parts.update({f"{column.name}.{k}": v for k, v in _field_parts(column).items()})
    return parts


def _field_parts(field: FieldDef) -> dict[str, str]:
    parts = {
        "relevant": field.relevant,
        "constraint": field.constraint,
        "default": field.default_expression,
    }
    if isinstance(field.required, str):
        parts["required"] = field.required
    return {key: source for key, source in parts.items() if source}


K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
_MISSING: Any = object()


class BoundedCache(Generic[K, V]):
    """A thread-safe map of at most ``limit`` entries that forgets the oldest first.

    Only for values that never change once made and that their key fully determines
    (a parsed published notebook, a plan by content hash): an entry is written once and
    never updated, so a reader can never see a stale value, only miss and make it again.
    """

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._entries: dict[K, V] = {}
        self._lock = threading.Lock()

    def get(self, key: K, make: Callable[[], V]) -> V:
        """Return the value of ``key``, calling ``make()`` (outside the lock) on a miss.

        What ``make`` raises is raised and nothing is stored.
        """
        found = self._entries.get(key, _MISSING)
        if found is not _MISSING:
            return found
        value = make()
        with self._lock:
            while len(self._entries) >= self._limit:
                del self._entries[next(iter(self._entries))]
            return self._entries.setdefault(key, value)

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._entries.clear()


# Bounded caches of immutable values, shared read-only by all threads and requests:
# a notebook's content hash by the notebook object (the entry holds the object, so its
# id cannot be reused while cached), and plans by (content hash, function library; the
# library compared by identity, see motcua.expressions.expression).
_HASHES: BoundedCache[int, tuple[Notebook, str]] = BoundedCache(256)
_PLANS: BoundedCache[tuple[str, FunctionLibrary], Plan] = BoundedCache(256)


def notebook_hash(nb: Notebook) -> str:
    """Return ``nb.content_hash()``, computed once per notebook object.

    Notebooks are frozen data, so the hash of one object never changes; reception asks
    for it on every request for the same cached published notebook.
    """
    held, digest = _HASHES.get(id(nb), lambda: (nb, nb.content_hash()))
    return digest if held is nb else nb.content_hash()


def build_plan(nb: Notebook, functions: FunctionLibrary | None = None) -> Plan:
    """Return the compiled, ordered plan of ``nb``; problems are issues, never raised.

    The plan depends only on the notebook's content and the library, so it is made once
    per (content hash, library) and shared: treat it (and its dicts) as read-only.
    """
    functions = functions or FunctionLibrary.default()
    return _PLANS.get((notebook_hash(nb), functions), lambda: _build_plan(nb, functions))


def _build_plan(nb: Notebook, functions: FunctionLibrary) -> Plan:
    defined = nb.defined_names()
    issues: list[CellIssue] = []
    broken: set[str] = set()
    compiled: dict[str, CompiledCell] = {}
    for cell in nb.cells:
        field = cell.field_def() if cell.kind == "field" else None
        expressions: dict[str, Any] = {}
        references: set[str] = set()
        columns = {column.name for column in field.columns} if field else set()
        for part, source in expression_parts(cell, field).items():
            try:
                expression = compile_expression(source, functions=functions)
            except ExpressionError as error:
                issues.append(CellIssue(cell.id, error.text, part))
                broken.add(cell.id)
                continue
            expressions[part] = expression
            own = set(columns) if "." in part else set()
            if part == "constraint" or part.endswith(".constraint"):
                # A constraint reads the field's own value: that is not a cycle.
                own.add(field.name if "." not in part else part.split(".")[0])
            for name in sorted(set(expression.names) - own):
                if name not in defined:
                    issues.append(CellIssue(cell.id, unknown_name(name), part))
                    broken.add(cell.id)
                else:
                    references.add(name)
        target = cell.meta.get("field") if cell.kind == "check" else None
        if target and target not in defined:
            issues.append(CellIssue(cell.id, unknown_name(target), "field"))
        elif target:
            # A check on a hidden field is skipped, so it depends on that field's visibility.
            references.add(target)
        compiled[cell.id] = CompiledCell(cell, expressions, frozenset(references), field)
    edges = {cid: {defined[name] for name in c.references} for cid, c in compiled.items()}
    dependents: dict[str, set[str]] = {cid: set() for cid in compiled}
    for cid, needs in edges.items():
        for need in needs:
            dependents[need].add(cid)
    cycle_issues = _cycles(compiled, edges)
    issues.extend(cycle_issues)
    broken.update(issue.cell_id for issue in cycle_issues)
    return Plan(
        notebook_hash=notebook_hash(nb),
        cells=compiled,
        order=_topological(list(compiled), edges, dependents),
        dependents={cid: frozenset(ds) for cid, ds in dependents.items()},
        issues=tuple(issues),
        broken=frozenset(broken),
    )


def unknown_name(name: str) -> Text:
    """Return the message for a reference to a name no field or formula defines."""
    return T(
        "`{name}` không tồn tại: không có trường hay công thức nào tên như vậy",
        "`{name}` does not exist: no field or formula has that name",
        name=name,
    )


def _topological(
    ids: list[str], edges: dict[str, set[str]], dependents: dict[str, set[str]]
) -> tuple[str, ...]:
    position = {cid: index for index, cid in enumerate(ids)}
    waiting = {cid: len(edges[cid]) for cid in ids}
    ready = [(position[cid], cid) for cid in ids if waiting[cid] == 0]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        _, cid = heapq.heappop(ready)
        order.append(cid)
        for dependent in dependents[cid]:
            waiting[dependent] -= 1
            if waiting[dependent] == 0:
                heapq.heappush(ready, (position[dependent], dependent))
    # Cells in or behind a cycle still run (their blocked inputs read as blank), last.
    done = set(order)
    return tuple(order) + tuple(cid for cid in ids if cid not in done)


def _cycles(compiled: dict[str, CompiledCell], edges: dict[str, set[str]]) -> list[CellIssue]:
    issues: list[CellIssue] = []
    for component in _strongly_connected(list(compiled), edges):
        if len(component) == 1 and component[0] not in edges[component[0]]:
            continue
        members = set(component)
        for start in component:
            path = _cycle_path(start, edges, members)
            chain = " → ".join(compiled[cid].defines or cid for cid in path)
            issues.append(CellIssue(start, T("Vòng lặp: {chain}", "Cycle: {chain}", chain=chain)))
    return issues


def _cycle_path(start: str, edges: dict[str, set[str]], members: set[str]) -> list[str]:
    # Shortest way back to ``start`` inside its component, by breadth-first search.
    previous: dict[str, str | None] = {start: None}
    frontier = [start]
    while frontier:
        following: list[str] = []
        for cid in frontier:
            for need in sorted(edges[cid] & members):
                if need == start:
                    path = [cid]
                    while previous[path[-1]] is not None:
                        path.append(previous[path[-1]])
                    return [*reversed(path), start]
                if need not in previous:
                    previous[need] = cid
                    following.append(need)
        frontier = following
    return [start, start]


def _strongly_connected(ids: list[str], edges: dict[str, set[str]]) -> list[list[str]]:
    # Tarjan's algorithm; notebooks have at most a few hundred cells, recursion is fine.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(cid: str) -> None:
        index[cid] = low[cid] = len(index)
        stack.append(cid)
        on_stack.add(cid)
        for need in sorted(edges[cid]):
            if need not in index:
                visit(need)
                low[cid] = min(low[cid], low[need])
            elif need in on_stack:
                low[cid] = min(low[cid], index[need])
        if low[cid] == index[cid]:
            component: list[str] = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == cid:
                    break
            components.append(sorted(component, key=ids.index))

    for cid in ids:
        if cid not in index:
            visit(cid)
    return components
