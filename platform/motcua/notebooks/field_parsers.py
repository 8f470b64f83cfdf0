"""Parsers and validators of the built-in field types.

A parser turns form input (strings from HTML forms, '' meaning blank) or JSON input into
the stored value and raises :class:`FieldValueError` when it cannot; a validator checks a
parsed value against the field's definition and returns the problem or None.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from motcua.errors import UserError
from motcua.i18n import T, Text
from motcua.notebooks.model import FieldDef


class FieldValueError(UserError):
    """A value that does not fit its field type; the text says what was expected."""


def is_blank(raw: Any) -> bool:
    """Return whether ``raw`` counts as no answer (None, '', whitespace, empty list/dict)."""
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    return isinstance(raw, list | tuple | dict) and not raw


def _bad(vi: str, en: str, **params: Any) -> FieldValueError:
    return FieldValueError(T(vi, en, **params))


def parse_text(raw: Any, field: FieldDef) -> str:
    """Return ``raw`` as stripped text; raises FieldValueError for lists or objects."""
    if isinstance(raw, (bool, list | dict)):
        raise _bad("Cần nhập chữ", "Text is expected")
    return str(raw).strip()


def parse_long_text(raw: Any, field: FieldDef) -> str:
    """Return ``raw`` as text with line breaks kept (Windows breaks normalised)."""
    if isinstance(raw, (bool, list | dict)):
        raise _bad("Cần nhập chữ", "Text is expected")
    return str(raw).replace("\r\n", "\n").strip()


def parse_integer(raw: Any, field: FieldDef) -> int:
    """Return ``raw`` as an int ("12", 12, 12.0); raises FieldValueError otherwise."""
    number = parse_decimal(raw, field)
    if number != number.to_integral_value():
        raise _bad(
            "Cần một số nguyên, không có phần lẻ", "A whole number is expected, without decimals"
        )
    return int(number)


def parse_decimal(raw: Any, field: FieldDef) -> Decimal:
    """Return ``raw`` as a Decimal; "1,5" and "1.5" both mean one and a half."""
    if isinstance(raw, bool):
        raise _bad("Cần nhập một số", "A number is expected")
    if isinstance(raw, int | Decimal):
        return Decimal(raw)
    if isinstance(raw, float):
        return Decimal(str(raw))
    text = str(raw).strip().replace(" ", "").replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise _bad("“{raw}” không phải là số", "“{raw}” is not a number", raw=raw) from None
    if not number.is_finite():
        raise _bad("“{raw}” không phải là số", "“{raw}” is not a number", raw=raw)
    return number


_MONEY_GROUPED = re.compile(r"\d{1,3}([.,\s]\d{3})+")


def parse_money(raw: Any, field: FieldDef) -> int:
    """Return an amount in whole đồng; accepts 1200000, "1200000", "1.200.000", "1,200,000 đ"."""
    if isinstance(raw, bool):
        raise _bad("Cần nhập số tiền", "An amount is expected")
    if isinstance(raw, int | Decimal | float):
        number = Decimal(str(raw))
    else:
        text = re.sub(r"\s*(đồng|đ|vnd|vnđ)$", "", str(raw).strip(), flags=re.IGNORECASE).strip()
        if _MONEY_GROUPED.fullmatch(text):
            text = re.sub(r"[.,\s]", "", text)
        elif not re.fullmatch(r"\d+", text):
            raise _bad(
                "“{raw}” không phải số tiền (ví dụ 1200000 hoặc 1.200.000)",
                "“{raw}” is not an amount (e.g. 1200000 or 1.200.000)",
                raw=raw,
            )
        number = Decimal(text)
    if number != number.to_integral_value():
        raise _bad(
            "Số tiền tính bằng đồng, không có phần lẻ", "Amounts are whole đồng, without decimals"
        )
    return int(number)


def parse_date(raw: Any, field: FieldDef) -> date:
    """Return a date from ISO ``2026-01-31`` or Vietnamese ``31/01/2026`` (also ``31-01-2026``)."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(raw).strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
        match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
        if match:
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
    except ValueError:
        raise _bad(
            "Ngày “{raw}” không có thật", "The date “{raw}” does not exist", raw=raw
        ) from None
    raise _bad(
        "“{raw}” không phải ngày (dd/mm/yyyy hoặc yyyy-mm-dd)",
        "“{raw}” is not a date (dd/mm/yyyy or yyyy-mm-dd)",
        raw=raw,
    )


def parse_datetime(raw: Any, field: FieldDef) -> datetime:
    """Return a date-time from ISO (``2026-01-31T08:30``) or ``31/01/2026 08:30``."""
    if isinstance(raw, datetime):
        return raw
    text = str(raw).strip()
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?", text)
    try:
        if match:
            day, month, year, hour, minute = (int(g) for g in match.groups()[:5])
            return datetime(year, month, day, hour, minute, int(match.group(6) or 0))
        return datetime.fromisoformat(text)
    except ValueError:
        raise _bad(
            "“{raw}” không phải ngày giờ (dd/mm/yyyy hh:mm)",
            "“{raw}” is not a date and time (dd/mm/yyyy hh:mm)",
            raw=raw,
        ) from None


_YES = {"true", "1", "yes", "on", "có", "co", "y", "x"}
_NO = {"false", "0", "no", "off", "không", "khong", "n"}


def parse_yes_no(raw: Any, field: FieldDef) -> bool:
    """Return a bool from true/false, 1/0, on/off, yes/no, có/không."""
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise _bad("Chọn có hoặc không", "Choose yes or no")


def parse_choice(raw: Any, field: FieldDef) -> str:
    """Return the chosen code as text."""
    if isinstance(raw, list | dict | bool):
        raise _bad("Chỉ chọn một mục", "Choose exactly one option")
    return str(raw).strip()


def validate_choice(value: str, field: FieldDef) -> Text | None:
    """Return an error when ``value`` is not one of the field's inline choice codes, or
    (``choices_source: "wards"``) not a ward code of the 2025 catalogue."""
    if field.choices_source == "wards" and not field.choices:
        return ward_code_problem(value)
    if field.choices and value not in field.choice_codes():
        return T(
            "“{value}” không có trong danh sách lựa chọn ({allowed})",
            "“{value}” is not one of the choices ({allowed})",
            value=value,
            allowed=", ".join(field.choice_codes()),
        )
    return None


def parse_multi_choice(raw: Any, field: FieldDef) -> list[str]:
    """Return the chosen codes, from a list or a comma- or space-separated string, deduplicated."""
    items = raw if isinstance(raw, list | tuple) else re.split(r"[,\s]+", str(raw))
    codes: list[str] = []
    for item in items:
        code = str(item).strip()
        if code and code not in codes:
            codes.append(code)
    return codes


def validate_multi_choice(value: list[str], field: FieldDef) -> Text | None:
    """Return an error naming the first code that is not an inline choice."""
    for code in value:
        problem = validate_choice(code, field)
        if problem:
            return problem
    return None


def parse_citizen_id(raw: Any, field: FieldDef) -> str:
    """Return the 12-digit CCCD or 9-digit CMND digits; raises the UserError of the parser."""
    from motcua.citizen_id import parse_citizen_id as parse_number

    text = re.sub(r"[\s.-]", "", str(raw))
    parse_number(text)
    return text


def parse_phone(raw: Any, field: FieldDef) -> str:
    """Return the number in national form (``0…``), accepting ``+84``/``84`` and separators."""
    text = re.sub(r"[\s.()-]", "", str(raw))
    if text.startswith("+84"):
        text = "0" + text[3:]
    elif text.startswith("84") and len(text) == 11:
        text = "0" + text[2:]
    return text


# Mobile numbers have 10 digits (03, 05, 07, 08, 09); landlines 11 digits (02 + area code).
_PHONE_RE = re.compile(r"0[35789]\d{8}|02\d{9}")


def validate_phone(value: str, field: FieldDef) -> Text | None:
    """Return an error unless ``value`` is a Vietnamese mobile or landline number."""
    if _PHONE_RE.fullmatch(value):
        return None
    return T(
        "“{value}” không phải số điện thoại Việt Nam (di động 10 số bắt đầu bằng 0, cố định 11 số bắt đầu bằng 02, hoặc +84…)",
        "“{value}” is not a Vietnamese phone number (mobile: 10 digits starting with 0, landline: 11 digits starting with 02, or +84…)",
        value=value,
    )


_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")


def parse_email(raw: Any, field: FieldDef) -> str:
    """Return the address stripped, the domain lowercased."""
    text = str(raw).strip()
    local, _, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}" if local else text


def validate_email(value: str, field: FieldDef) -> Text | None:
    """Return an error unless ``value`` looks like ``name@domain.tld``."""
    if _EMAIL_RE.fullmatch(value):
        return None
    return T("“{value}” không phải địa chỉ email", "“{value}” is not an email address", value=value)


def parse_address(raw: Any, field: FieldDef) -> dict[str, Any] | None:
    """Return ``{"text": …, "ward_code": … or None}`` from a dict, a JSON string or plain
    text; None when both parts are blank (the picker's empty state is no answer)."""
    if isinstance(raw, str) and raw.strip().startswith("{"):
        raw = _json(raw)
    if isinstance(raw, str):
        return {"text": raw.strip(), "ward_code": None} if raw.strip() else None
    if not isinstance(raw, dict) or not isinstance(raw.get("text") or "", str):
        raise _bad(
            "Địa chỉ cần phần chữ (text) và mã xã, phường (ward_code)",
            "An address needs its text and its ward code (text, ward_code)",
        )
    text = (raw.get("text") or "").strip()
    ward = str(raw.get("ward_code") or "").strip() or None
    return {"text": text, "ward_code": ward} if text or ward else None


def validate_address(value: dict[str, Any], field: FieldDef) -> Text | None:
    """Return an error when the address has no text (the ward code alone is not enough),
    or when its ward code is not a ward of the 2025 catalogue."""
    if not value["text"]:
        return T("Cần ghi số nhà, đường, thôn/tổ", "The house number, street or hamlet is needed")
    if value.get("ward_code"):
        return ward_code_problem(value["ward_code"])
    return None


def ward_code_problem(code: str) -> Text | None:
    """Return why ``code`` is not a ward of the 2025 catalogue (5 digits), or None."""
    from motcua.units import ward

    try:
        ward(code)
    except UserError as error:
        return error.text
    return None


def parse_file(raw: Any, field: FieldDef) -> dict[str, Any]:
    """Return an attachment reference ``{"id", "name", …}`` from a dict or its JSON."""
    if isinstance(raw, str):
        raw = _json(raw)
    if not isinstance(raw, dict) or not raw.get("id") or not isinstance(raw.get("name"), str):
        raise _bad(
            "Tệp đính kèm cần mã (id) và tên (name): hãy tải tệp lên trước",
            "An attachment needs its id and name: upload the file first",
        )
    return {key: raw[key] for key in ("id", "name", "size", "content_type", "sha256") if key in raw}


def parse_rows(raw: Any, field: FieldDef) -> list[dict[str, Any]]:
    """Return the rows of a repeat as dicts (from a list or its JSON); cells are parsed later."""
    if isinstance(raw, str):
        raw = _json(raw)
    if not isinstance(raw, list) or not all(isinstance(row, dict) for row in raw):
        raise _bad("Bảng cần một danh sách các dòng", "A table needs a list of rows")
    return [dict(row) for row in raw]


def validate_rows(value: list[dict[str, Any]], field: FieldDef) -> Text | None:
    """Return an error when the number of rows is outside ``min_rows``…``max_rows``."""
    if field.min_rows is not None and len(value) < field.min_rows:
        return T("Cần ít nhất {n} dòng", "At least {n} rows are needed", n=field.min_rows)
    if field.max_rows is not None and len(value) > field.max_rows:
        return T("Tối đa {n} dòng", "At most {n} rows are allowed", n=field.max_rows)
    return None


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        raise _bad("Dữ liệu không đọc được", "The data cannot be read") from None
