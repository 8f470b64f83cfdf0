"""Field types: how a field is shown, parsed and checked, extensible by plugins."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from motcua.errors import UserError
from motcua.expressions.types import ValueType
from motcua.i18n import T, Text
from motcua.notebooks import field_parsers as p
from motcua.notebooks.model import FieldDef

Parser = Callable[[Any, FieldDef], Any]
Validator = Callable[[Any, FieldDef], "Text | None"]


def _no_problem(value: Any, field: FieldDef) -> Text | None:
    return None


@dataclass(frozen=True)
class FieldType:
    """One field type: its name, label, value type in expressions and HTML widget.

    ``widget`` is the input kind: text, textarea, number, date, datetime-local, checkbox,
    select, multiselect, file, repeat or address.
    """

    name: str
    label: dict[str, str]
    value_type: ValueType
    widget: str
    parser: Parser
    validator: Validator = _no_problem

    def parse(self, raw: Any, field: FieldDef) -> Any:
        """Return the stored value for ``raw`` (None when blank); raises UserError if unreadable."""
        if p.is_blank(raw):
            return None
        return self.parser(raw, field)

    def validate(self, value: Any, field: FieldDef) -> Text | None:
        """Return what is wrong with a parsed, non-blank ``value``, or None."""
        return None if value is None else self.validator(value, field)


def _type(
    name: str,
    vi: str,
    en: str,
    kind: ValueType,
    widget: str,
    parser: Parser,
    validator: Validator = _no_problem,
) -> FieldType:
    return FieldType(name, {"vi": vi, "en": en}, kind, widget, parser, validator)


_BUILT_IN = (
    _type("text", "Chữ", "Text", ValueType.TEXT, "text", p.parse_text),
    _type("long_text", "Đoạn văn", "Long text", ValueType.TEXT, "textarea", p.parse_long_text),
    _type("integer", "Số nguyên", "Integer", ValueType.NUMBER, "number", p.parse_integer),
    _type("decimal", "Số thập phân", "Decimal", ValueType.NUMBER, "number", p.parse_decimal),
    _type("money", "Số tiền (đồng)", "Amount (VND)", ValueType.NUMBER, "number", p.parse_money),
    _type("date", "Ngày", "Date", ValueType.DATE, "date", p.parse_date),
    _type(
        "datetime",
        "Ngày giờ",
        "Date and time",
        ValueType.DATETIME,
        "datetime-local",
        p.parse_datetime,
    ),
    _type("yes_no", "Có/Không", "Yes/No", ValueType.BOOL, "checkbox", p.parse_yes_no),
    _type(
        "choice",
        "Chọn một",
        "Single choice",
        ValueType.TEXT,
        "select",
        p.parse_choice,
        p.validate_choice,
    ),
    _type(
        "multi_choice",
        "Chọn nhiều",
        "Multiple choice",
        ValueType.LIST,
        "multiselect",
        p.parse_multi_choice,
        p.validate_multi_choice,
    ),
    _type(
        "citizen_id",
        "Số CCCD/CMND",
        "Citizen ID number",
        ValueType.TEXT,
        "text",
        p.parse_citizen_id,
    ),
    _type(
        "phone",
        "Số điện thoại",
        "Phone number",
        ValueType.TEXT,
        "text",
        p.parse_phone,
        p.validate_phone,
    ),
    _type("email", "Email", "Email", ValueType.TEXT, "text", p.parse_email, p.validate_email),
    # Expressions see an address as its text; the ward code is for routing and reports.
    _type(
        "address",
        "Địa chỉ",
        "Address",
        ValueType.TEXT,
        "address",
        p.parse_address,
        p.validate_address,
    ),
    _type("file", "Tệp đính kèm", "Attachment", ValueType.ANY, "file", p.parse_file),
    _type(
        "repeat",
        "Bảng nhiều dòng",
        "Table of rows",
        ValueType.ROWS,
        "repeat",
        p.parse_rows,
        p.validate_rows,
    ),
)


@dataclass(frozen=True)
class FieldTypeRegistry:
    """The field types known to a notebook; immutable, extended by returning a new registry."""

    types: tuple[FieldType, ...]

    @classmethod
    def default(cls) -> FieldTypeRegistry:
        """Return the registry of the built-in types of docs/notebook-format.md."""
        return cls(_BUILT_IN)

    def extended(self, *field_types: FieldType) -> FieldTypeRegistry:
        """Return a registry with ``field_types`` added, replacing built-ins of the same name."""
        names = {t.name for t in field_types}
        return FieldTypeRegistry(tuple(t for t in self.types if t.name not in names) + field_types)

    def __iter__(self) -> Iterator[FieldType]:
        return iter(self.types)

    def __contains__(self, name: object) -> bool:
        return any(t.name == name for t in self.types)

    def get(self, name: str) -> FieldType:
        """Return the type called ``name``; raises UserError naming the known types."""
        for field_type in self.types:
            if field_type.name == name:
                return field_type
        raise UserError(
            T(
                "Kiểu trường `{name}` không tồn tại (có: {known})",
                "Field type `{name}` does not exist (known: {known})",
                name=name,
                known=", ".join(t.name for t in self.types),
            ),
            field_type=name,
        )

    def parse_value(self, field: FieldDef, raw: Any) -> tuple[Any, Text | None]:
        """Return ``(value, problem)`` for ``raw``: the parsed value and what is wrong with it.

        A repeat's rows are parsed column by column; the problem names the row and column.
        An unreadable value gives ``(None, problem)``. Never raises for bad input; raises
        UserError only if the field's type is unknown.
        """
        field_type = self.get(field.type)
        try:
            value = field_type.parse(raw, field)
        except UserError as error:
            return None, error.text
        if value is None:
            return None, None
        if field.type == "repeat":
            value, problem = self._parse_rows(field, value)
            if problem:
                return value, problem
        return value, field_type.validate(value, field)

    def _parse_rows(
        self, field: FieldDef, rows: list[dict[str, Any]]
    ) -> tuple[list[dict[str, Any]], Text | None]:
        parsed_rows: list[dict[str, Any]] = []
        first_problem: Text | None = None
        for number, row in enumerate(rows, start=1):
            parsed: dict[str, Any] = {}
            for column in field.columns:
                value, problem = self.parse_value(column, row.get(column.name))
                parsed[column.name] = value
                if problem is None and value is None and column.required is True:
                    problem = T("Cần nhập", "Required")
                if problem and first_problem is None:
                    first_problem = T(
                        "Dòng {row}, cột “{column}”: {problem}",
                        "Row {row}, column “{column}”: {problem}",
                        row=number,
                        column=column.label["vi"],
                        problem=problem,
                    )
            parsed_rows.append(parsed)
        return parsed_rows, first_problem
