"""The notebook definition as plain frozen data: notebook, cells and their typed parts.

The cell's ``meta`` (its ``metadata.motcua`` without ``kind``) stays the authoritative
form so that files round-trip without loss; :class:`FieldDef`, :class:`DocumentItem` and
:class:`Step` are typed views built from it, validated on the way in.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from motcua.errors import UserError
from motcua.i18n import T

CELL_KINDS = ("markdown", "field", "documents", "formula", "check", "template", "steps")
# Cells whose ``source`` is a generated one-line summary rather than authored content.
SUMMARY_KINDS = ("field", "documents", "steps")
DOCUMENT_FORMS = ("original", "certified_copy", "copy", "original_or_certified_copy", "shown")
STEP_ROLES = ("staff", "ward_admin", "leader", "specialist")
PAPER_SIZES = ("A4", "A5", "80mm")
AUDIENCES = ("staff", "citizen", "author")
# The record's applicant columns a field may feed, and the field types each role accepts.
APPLICANT_ROLES: dict[str, tuple[str, ...]] = {
    "name": ("text",),
    "id_number": ("citizen_id", "text"),
    "phone": ("phone", "text"),
    "address": ("address", "text", "long_text"),
    "email": ("email", "text"),
    "birth_date": ("date",),
}

NAME_RE = re.compile(r"[a-z][a-z0-9_]{0,39}")
CELL_ID_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")
KEY_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")
CODE_RE = re.compile(r"[A-Za-z0-9_.-]{1,64}")
BUDGET_RE = re.compile(r"(\d+(?:\.\d+)?)([dh])")
LIMIT_RE = re.compile(r"same-day|\d+(?:\.\d+)?[dh]")
# Decree 63/2024 counts working days; a working day has 8 working hours.
HOURS_PER_DAY = Decimal(8)


class NotebookFormatError(UserError):
    """The notebook definition is malformed; ``details`` name the cell or key at fault."""


def fail(where: str, vi: str, en: str, **details: Any) -> UserError:
    """Return (to raise) a :class:`NotebookFormatError` prefixed with ``where``."""
    text = T("{where}: " + vi, "{where}: " + en, where=where, **details)
    return NotebookFormatError(text, **{k: v for k, v in details.items() if k in _DETAIL_KEYS})


_DETAIL_KEYS = ("cell_id", "key", "index")


def bilingual(value: Any, where: str, key: str, *, optional: bool = False) -> dict[str, str] | None:
    """Return ``value`` checked as ``{"vi": str, "en": str}``; raises NotebookFormatError."""
    if value is None and optional:
        return None
    if (
        not isinstance(value, dict)
        or not isinstance(value.get("vi"), str)
        or not isinstance(value.get("en"), str)
        or not value["vi"].strip()
    ):
        raise fail(
            where,
            '`{key}` phải có dạng {{"vi": …, "en": …}} với tiếng Việt không trống',
            '`{key}` must be {{"vi": …, "en": …}} with non-empty Vietnamese',
            key=key,
        )
    return {"vi": value["vi"], "en": value["en"]}


def _expression(value: Any, where: str, key: str) -> str | None:
    if value is None or (isinstance(value, str) and value.strip()):
        return value
    raise fail(where, "`{key}` phải là một biểu thức", "`{key}` must be an expression", key=key)


def _name(value: Any, where: str, key: str = "name") -> str:
    if isinstance(value, str) and NAME_RE.fullmatch(value):
        return value
    raise fail(
        where,
        "`{key}` = {value!r} không hợp lệ: chỉ chữ thường a–z, số và `_`, bắt đầu bằng chữ, tối đa 40 ký tự",
        "`{key}` = {value!r} is invalid: lowercase a–z, digits and `_`, starting with a letter, at most 40 characters",
        key=key,
        value=value,
    )


@dataclass(frozen=True)
class Choice:
    """One option of a choice field; the ``code`` is what is stored."""

    code: str
    label: dict[str, str]


@dataclass(frozen=True)
class FieldDef:
    """A field's definition (see docs/notebook-format.md, *Field*)."""

    name: str
    type: str
    label: dict[str, str]
    help: dict[str, str] | None = None
    required: bool | str = False
    relevant: str | None = None
    constraint: str | None = None
    constraint_message: dict[str, str] | None = None
    default: Any = None
    choices: tuple[Choice, ...] = ()
    choices_source: str | None = None
    columns: tuple[FieldDef, ...] = ()
    min_rows: int | None = None
    max_rows: int | None = None
    applicant: str | None = None

    @property
    def default_expression(self) -> str | None:
        """Return the default's expression when it is ``{"expr": ...}``, else None."""
        if isinstance(self.default, dict) and isinstance(self.default.get("expr"), str):
            return self.default["expr"]
        return None

    def choice_codes(self) -> tuple[str, ...]:
        """Return the codes of the inline choices, in order."""
        return tuple(choice.code for choice in self.choices)

    @classmethod
    def from_meta(cls, meta: dict[str, Any], where: str, *, in_repeat: bool = False) -> FieldDef:
        """Return the field described by ``meta``; raises NotebookFormatError naming ``where``."""
        name = _name(meta.get("name"), where)
        where = f"{where}, `{name}`"
        kind = meta.get("type")
        if not isinstance(kind, str) or not NAME_RE.fullmatch(kind):
            raise fail(where, "thiếu `type` hợp lệ", "missing a valid `type`")
        required = meta.get("required", False)
        if not isinstance(required, bool):
            _expression(required, where, "required")
        choices = tuple(_choice(item, where) for item in meta.get("choices") or ())
        codes = [choice.code for choice in choices]
        if len(set(codes)) != len(codes):
            raise fail(where, "mã lựa chọn bị trùng", "choice codes are duplicated")
        source = meta.get("choices_source")
        if kind in ("choice", "multi_choice") and not choices and not source:
            raise fail(
                where, "cần `choices` hoặc `choices_source`", "needs `choices` or `choices_source`"
            )
        columns: tuple[FieldDef, ...] = ()
        if kind == "repeat":
            if in_repeat:
                raise fail(where, "không hỗ trợ bảng lồng nhau", "nested repeats are not supported")
            raw_columns = meta.get("columns")
            if not isinstance(raw_columns, list) or not raw_columns:
                raise fail(where, "bảng (`repeat`) cần `columns`", "a `repeat` needs `columns`")
            columns = tuple(cls.from_meta(c, where, in_repeat=True) for c in raw_columns)
            names = [c.name for c in columns]
            if len(set(names)) != len(names):
                raise fail(where, "tên cột bị trùng", "column names are duplicated")
        min_rows, max_rows = meta.get("min_rows"), meta.get("max_rows")
        for key, bound in (("min_rows", min_rows), ("max_rows", max_rows)):
            if bound is not None and (type(bound) is not int or bound < 0):
                raise fail(
                    where,
                    "`{key}` phải là số nguyên ≥ 0",
                    "`{key}` must be an integer ≥ 0",
                    key=key,
                )
        applicant = meta.get("applicant")
        if applicant is not None:
            if in_repeat or applicant not in APPLICANT_ROLES:
                raise fail(
                    where,
                    "`applicant` phải là một trong {allowed} (không dùng trong cột của bảng)",
                    "`applicant` must be one of {allowed} (not on a repeat column)",
                    allowed=", ".join(APPLICANT_ROLES),
                )
            if kind not in APPLICANT_ROLES[applicant]:
                raise fail(
                    where,
                    "`applicant` = {role} cần trường kiểu {types}",
                    "`applicant` = {role} needs a field of type {types}",
                    role=applicant,
                    types=", ".join(APPLICANT_ROLES[applicant]),
                )
        return cls(
            name=name,
            type=kind,
            label=bilingual(meta.get("label"), where, "label"),
            help=bilingual(meta.get("help"), where, "help", optional=True),
            required=required,
            relevant=_expression(meta.get("relevant"), where, "relevant"),
            constraint=_expression(meta.get("constraint"), where, "constraint"),
            constraint_message=bilingual(
                meta.get("constraint_message"), where, "constraint_message", optional=True
            ),
            default=meta.get("default"),
            choices=choices,
            choices_source=source,
            columns=columns,
            min_rows=min_rows,
            max_rows=max_rows,
            applicant=applicant,
        )


def _choice(item: Any, where: str) -> Choice:
    if not isinstance(item, dict) or not isinstance(item.get("code"), str):
        raise fail(
            where, "mỗi lựa chọn cần `code` và `label`", "each choice needs `code` and `label`"
        )
    if not CODE_RE.fullmatch(item["code"]):
        raise fail(
            where,
            "mã lựa chọn {code!r} không hợp lệ",
            "choice code {code!r} is invalid",
            code=item["code"],
        )
    return Choice(
        item["code"], bilingual(item.get("label"), where, f"choices[{item['code']}].label")
    )


@dataclass(frozen=True)
class DocumentItem:
    """One paper of the dossier; ``condition`` says when it is asked for."""

    key: str
    name: dict[str, str]
    form: str
    count: int = 1
    condition: str | None = None

    @classmethod
    def from_meta(cls, meta: Any, where: str) -> DocumentItem:
        """Return the document described by ``meta``; raises NotebookFormatError."""
        if not isinstance(meta, dict):
            raise fail(
                where, "mỗi giấy tờ phải là một đối tượng", "each document must be an object"
            )
        key = _name(meta.get("key"), where, "key")
        where = f"{where}, `{key}`"
        form = meta.get("form")
        if form not in DOCUMENT_FORMS:
            raise fail(
                where,
                "`form` phải là một trong {allowed}",
                "`form` must be one of {allowed}",
                allowed=", ".join(DOCUMENT_FORMS),
            )
        count = meta.get("count", 1)
        if type(count) is not int or count < 1:
            raise fail(where, "`count` phải là số nguyên ≥ 1", "`count` must be an integer ≥ 1")
        return cls(
            key,
            bilingual(meta.get("name"), where, "name"),
            form,
            count,
            _expression(meta.get("condition"), where, "condition"),
        )


@dataclass(frozen=True)
class Step:
    """A processing step with the role doing it and its working-time budget."""

    key: str
    name: dict[str, str]
    role: str
    budget: str

    @property
    def hours(self) -> Decimal:
        """Return the budget in working hours (a working day has 8 hours)."""
        return budget_hours(self.budget)

    @classmethod
    def from_meta(cls, meta: Any, where: str) -> Step:
        """Return the step described by ``meta``; raises NotebookFormatError."""
        if not isinstance(meta, dict):
            raise fail(where, "mỗi bước phải là một đối tượng", "each step must be an object")
        key = _name(meta.get("key"), where, "key")
        where = f"{where}, `{key}`"
        if meta.get("role") not in STEP_ROLES:
            raise fail(
                where,
                "`role` phải là một trong {allowed}",
                "`role` must be one of {allowed}",
                allowed=", ".join(STEP_ROLES),
            )
        budget = meta.get("budget")
        if not isinstance(budget, str) or not BUDGET_RE.fullmatch(budget):
            raise fail(
                where,
                "`budget` phải có dạng `Nd` hoặc `Nh` (ví dụ `0.5d`, `4h`)",
                "`budget` must look like `Nd` or `Nh` (e.g. `0.5d`, `4h`)",
            )
        return cls(key, bilingual(meta.get("name"), where, "name"), meta["role"], budget)


def budget_hours(budget: str) -> Decimal:
    """Return ``"Nd"``/``"Nh"`` in working hours; raises ValueError on another shape."""
    match = BUDGET_RE.fullmatch(budget)
    if not match:
        raise ValueError(budget)
    amount = Decimal(match.group(1))
    return amount * HOURS_PER_DAY if match.group(2) == "d" else amount


@dataclass(frozen=True)
class Cell:
    """One cell: a stable id, a kind, the human-readable source and motcua metadata."""

    id: str
    kind: str
    source: str = ""
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str | None:
        """Return the name the cell defines or is known by (field, formula, template)."""
        return self.meta.get("name") if self.kind in ("field", "formula", "template") else None

    @property
    def overridable(self) -> bool:
        """Return whether a ward may override this cell of a province notebook."""
        return self.meta.get("overridable") is True

    def field_def(self) -> FieldDef:
        """Return the field of a ``field`` cell; raises NotebookFormatError if malformed."""
        return FieldDef.from_meta(self.meta, _where(self))

    def document_items(self) -> tuple[DocumentItem, ...]:
        """Return the documents of a ``documents`` cell; raises NotebookFormatError."""
        items = self.meta.get("items")
        if not isinstance(items, list):
            raise fail(_where(self), "cần danh sách `items`", "needs an `items` list")
        return tuple(DocumentItem.from_meta(item, _where(self)) for item in items)

    def steps(self) -> tuple[Step, ...]:
        """Return the steps of a ``steps`` cell; raises NotebookFormatError."""
        steps = self.meta.get("steps")
        if not isinstance(steps, list) or not steps:
            raise fail(_where(self), "cần danh sách `steps`", "needs a `steps` list")
        return tuple(Step.from_meta(step, _where(self)) for step in steps)


def _where(cell: Cell) -> str:
    return f"`{cell.id}` ({cell.kind})"


@dataclass(frozen=True)
class Sample:
    """A named test case: inputs and the expected outcome."""

    name: str
    values: dict[str, Any]
    expect_valid: bool
    expect_values: dict[str, Any] = field(default_factory=dict)
    expect_errors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Notebook:
    """A procedure notebook: identity, cells in order, samples and open questions."""

    key: str
    name: dict[str, str]
    cells: tuple[Cell, ...] = ()
    national_code: str | None = None
    field_area: str | None = None
    limit: str | None = None
    samples: tuple[Sample, ...] = ()
    unconfirmed: tuple[str, ...] = ()

    def cell(self, cell_id: str) -> Cell:
        """Return the cell with ``cell_id``; raises NotFound-style UserError if absent."""
        for cell in self.cells:
            if cell.id == cell_id:
                return cell
        raise UserError(
            T("Không có ô `{id}`", "There is no cell `{id}`", id=cell_id), cell_id=cell_id
        )

    def fields(self) -> tuple[FieldDef, ...]:
        """Return the top-level fields in notebook order."""
        return tuple(cell.field_def() for cell in self.cells if cell.kind == "field")

    def applicant_fields(self) -> dict[str, FieldDef]:
        """Return ``{role: field}`` for the fields marked ``applicant`` (each role once)."""
        return {f.applicant: f for f in self.fields() if f.applicant}

    def defined_names(self) -> dict[str, str]:
        """Return ``{name: cell id}`` for every field and formula."""
        return {c.meta["name"]: c.id for c in self.cells if c.kind in ("field", "formula")}

    def content_hash(self) -> str:
        """Return the sha256 hex digest of the canonical JSON of the definition."""
        # Imported here: serialize builds on this module.
        from motcua.notebooks.serialize import canonical_json

        return hashlib.sha256(canonical_json(self).encode("utf-8")).hexdigest()
