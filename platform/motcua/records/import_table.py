"""Reading the table of an old system's records: CSV or XLSX rows to checked import rows.

Pure: no database. :func:`read_table` gives the header and the rows with their line
numbers; :func:`map_columns` names each column (headers in Vietnamese or English, with
or without diacritics); :func:`parse_row` turns one row into an :class:`ImportRow` or
the list of its :class:`RowError` (line, column and the reason in both languages). The
column set is documented in docs/import.md.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from motcua.errors import UserError
from motcua.i18n import T, Text
from motcua.parsing import refusing
from motcua.records.lifecycle import CHANNELS, STATUSES
from motcua.units import fold

#: Bounds on what an upload may make us read: an XLSX is a zip, and a small zip can hold
#: gigabytes ("zip bomb"), so the unpacked size is checked before openpyxl opens it.
MAX_UNPACKED_BYTES = 512 * 1024 * 1024
MAX_ROWS = 1_000_000

#: column -> accepted headers (compared folded: lower case, no diacritics).
COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("code", "ma ho so", "so ho so", "ma"),
    "procedure": ("procedure", "thu tuc", "ten thu tuc", "ma thu tuc"),
    "channel": ("channel", "kenh", "kenh tiep nhan", "hinh thuc nop"),
    "received_at": ("received_at", "received", "ngay tiep nhan", "ngay nhan"),
    "due_at": ("due_at", "due", "ngay hen tra", "han giai quyet", "han xu ly"),
    "resolved_at": ("resolved_at", "resolved", "ngay giai quyet", "ngay co ket qua"),
    "returned_at": ("returned_at", "returned", "ngay tra ket qua", "ngay tra"),
    "status": ("status", "trang thai"),
    "applicant_name": ("applicant_name", "applicant", "nguoi nop", "ten nguoi nop", "chu ho so"),
    "applicant_id": ("applicant_id", "so cccd", "cccd", "so dinh danh", "so giay to"),
    "applicant_phone": ("applicant_phone", "phone", "so dien thoai", "dien thoai"),
    "applicant_address": ("applicant_address", "address", "dia chi", "dia chi nguoi nop"),
    "old_unit_code": ("old_unit_code", "ma don vi cu", "ma xa cu", "don vi cu"),
    "notes": ("notes", "ghi chu"),
}
REQUIRED = ("code", "procedure", "received_at", "status", "applicant_name")

_HEADER_TO_COLUMN = {fold(h).replace("_", " "): c for c, hs in COLUMNS.items() for h in hs}

_STATUS_WORDS: dict[str, str] = {
    **{fold(key.replace("_", " ")): key for key in STATUSES},
    **{fold(text.render("vi")): key for key, text in STATUSES.items()},
    **{fold(text.render("en")): key for key, text in STATUSES.items()},
    "dang giai quyet": "in_progress",
    "cho bo sung": "supplement_requested",
    "tra ket qua": "returned",
    "da tra": "returned",
    "moi tiep nhan": "received",
}
_CHANNEL_WORDS: dict[str, str] = {
    **{key: key for key in CHANNELS},
    **{fold(text.render("vi")): key for key, text in CHANNELS.items()},
    "1": "direct",
    "2": "online",
    "3": "postal",
    "qua mang": "online",
    "buu dien": "postal",
    "buu chinh cong ich": "postal",
}
# dd/mm/yyyy [HH:MM[:SS]], yyyy-mm-dd[ HH:MM[:SS]] (or T), and the portal's yyyyMMddHHmmss.
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?$")
_DIGITS = re.compile(r"^\d+$")


@dataclass(frozen=True)
class Table:
    """The rows of a file: ``header`` as written, ``rows`` as (line number, cells)."""

    header: list[str]
    rows: Iterator[tuple[int, list[Any]]]


@dataclass(frozen=True)
class RowError:
    """Why row ``line`` was refused; ``column`` is the header as written ('' for the row)."""

    line: int
    column: str
    reason: Text

    def as_dict(self) -> dict[str, Any]:
        """Return the error for JSON: line, column, and the reason in vi and en."""
        return {"line": self.line, "column": self.column, **self.reason.as_dict()}


@dataclass
class ImportRow:
    """One checked row. Dates without a time are given ``None`` times, filled by the ward's
    office hours when written (see :mod:`motcua.records.importing`)."""

    line: int
    code: str
    procedure: str
    channel: str
    status: str
    received_at: datetime | date
    due_at: datetime | date | None
    resolved_at: datetime | date | None
    returned_at: datetime | date | None
    applicant_name: str
    applicant_id: str
    applicant_phone: str
    applicant_address: str
    old_unit_code: str
    notes: str
    extra: dict[str, Any] = field(default_factory=dict)


def read_table(path: Path) -> Table:
    """Return the header and rows of the CSV or XLSX file at ``path`` (by its extension).

    CSV: UTF-8 (with or without BOM), comma, semicolon or tab separated. XLSX: the first
    sheet. :raises UserError: another extension, an unreadable file, no header row.
    """
    suffix = path.suffix.lower()
    if suffix in (".csv", ".xlsx"):
        with refusing(suffix[1:].upper(), field="file"):
            table = _read_csv(path) if suffix == ".csv" else _read_xlsx(path)
        return Table(table.header, _refusing_rows(table.rows, suffix[1:].upper()))
    raise UserError(
        T(
            "Chỉ nhận tệp .csv hoặc .xlsx, không nhận “{name}”",
            "Only .csv or .xlsx files are accepted, not “{name}”",
            name=path.name,
        ),
        field="file",
    )


def _refusing_rows(rows: Iterator[tuple[int, list[Any]]], kind: str) -> Iterator[tuple[int, list[Any]]]:
    # Rows are read lazily, so a damaged part further in must be refused as it is met.
    with refusing(kind, field="file"):
        yield from rows


def _read_csv(path: Path) -> Table:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(
            T(
                "Tệp CSV phải mã hóa UTF-8 (lưu lại từ Excel bằng “CSV UTF-8”)",
                "The CSV file must be UTF-8 (in Excel, save as “CSV UTF-8”)",
            ),
            field="file",
        ) from exc
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = next(reader, None)
    if not header or not any(cell.strip() for cell in header):
        raise _no_header()

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                yield reader.line_num, list(cells)

    return Table([cell.strip() for cell in header], rows())


def _read_xlsx(path: Path) -> Table:
    import openpyxl

    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise UserError(
            T("Tệp .xlsx bị hỏng hoặc không phải Excel", "The .xlsx file is damaged or not Excel"),
            field="file",
        ) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise UserError(
            T(
                "Tệp Excel quá lớn khi giải nén ({size} MB, tối đa {limit} MB): hãy chia nhỏ",
                "The Excel file is too large unpacked ({size} MB, at most {limit} MB): split it",
                size=unpacked // 2**20,
                limit=MAX_UNPACKED_BYTES // 2**20,
            ),
            field="file",
        )
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    sheet = book.worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    header = next(lines, None)
    if not header or not any(cell not in (None, "") for cell in header):
        book.close()
        raise _no_header()

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            for number, cells in enumerate(lines, start=2):
                if any(cell not in (None, "") for cell in cells):
                    yield number, list(cells)
        finally:
            book.close()

    return Table(["" if cell is None else str(cell).strip() for cell in header], rows())


def _no_header() -> UserError:
    return UserError(
        T(
            "Tệp không có dòng tiêu đề: dòng đầu phải là tên cột (xem docs/import.md)",
            "The file has no header row: the first line must name the columns (see docs/import.md)",
        ),
        field="file",
    )


def map_columns(header: list[str]) -> dict[str, int]:
    """Return column name -> position for ``header``.

    :raises UserError: a header is unknown or repeated, or a required column is missing
        (a typo must not silently drop a column of data).
    """
    found: dict[str, int] = {}
    for position, title in enumerate(header):
        if not title:
            continue
        column = _HEADER_TO_COLUMN.get(fold(title).replace("_", " "))
        if column is None:
            raise UserError(
                T(
                    "Cột “{title}” không có trong danh sách cột nhập (xem docs/import.md): {known}",
                    "Column “{title}” is not one of the import columns (see docs/import.md): {known}",
                    title=title,
                    known=", ".join(COLUMNS),
                ),
                field="file",
            )
        if column in found:
            raise UserError(
                T(
                    "Cột {column} xuất hiện hai lần (“{title}”)",
                    "Column {column} appears twice (“{title}”)",
                    column=column,
                    title=title,
                ),
                field="file",
            )
        found[column] = position
    missing = [column for column in REQUIRED if column not in found]
    if missing:
        raise UserError(
            T(
                "Thiếu cột bắt buộc: {missing}",
                "Required columns are missing: {missing}",
                missing=", ".join(missing),
            ),
            field="file",
        )
    return found


def parse_row(
    line: int, cells: list[Any], columns: dict[str, int], header: list[str]
) -> ImportRow | list[RowError]:
    """Return the checked row, or every error in it."""
    errors: list[RowError] = []

    def cell(column: str) -> Any:
        position = columns.get(column)
        if position is None or position >= len(cells):
            return None
        value = cells[position]
        return value.strip() if isinstance(value, str) else value

    def text(column: str) -> str:
        value = cell(column)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return " ".join(str(value).split())

    def fail(column: str, reason: Text) -> None:
        errors.append(
            RowError(line, header[columns[column]] if column in columns else column, reason)
        )

    def moment(column: str, required: bool = False) -> datetime | date | None:
        value = cell(column)
        if value in (None, ""):
            if required:
                fail(column, T("Thiếu ngày", "The date is missing"))
            return None
        parsed = parse_moment(value)
        if parsed is None:
            fail(
                column,
                T(
                    "Ngày “{value}” không đọc được: dùng dd/mm/yyyy [HH:MM] hoặc yyyy-mm-dd",
                    "Cannot read the date “{value}”: use dd/mm/yyyy [HH:MM] or yyyy-mm-dd",
                    value=value,
                ),
            )
        return parsed

    code = text("code")
    if not code:
        fail("code", T("Thiếu mã hồ sơ cũ", "The old record code is missing"))
    elif len(code) > 64:
        fail("code", T("Mã hồ sơ dài quá 64 ký tự", "The record code is longer than 64 characters"))
    procedure = text("procedure")
    if not procedure:
        fail("procedure", T("Thiếu thủ tục", "The procedure is missing"))
    status_text = text("status")
    status = _STATUS_WORDS.get(fold(status_text).replace("_", " "))
    if status is None:
        fail(
            "status",
            T(
                "Trạng thái “{value}” không rõ; dùng: {known}",
                "Unknown status “{value}”; use: {known}",
                value=status_text,
                known=", ".join(STATUSES),
            ),
        )
    channel_text = text("channel")
    channel = _CHANNEL_WORDS.get(fold(channel_text)) if channel_text else "direct"
    if channel is None:
        fail(
            "channel",
            T(
                "Kênh “{value}” không rõ; dùng direct, online, postal (hoặc 1, 2, 3)",
                "Unknown channel “{value}”; use direct, online, postal (or 1, 2, 3)",
                value=channel_text,
            ),
        )
    name = text("applicant_name")
    if not name:
        fail("applicant_name", T("Thiếu tên người nộp", "The applicant's name is missing"))
    applicant_id = text("applicant_id").replace(" ", "")
    if applicant_id:
        if not _DIGITS.match(applicant_id):
            fail("applicant_id", T("Số giấy tờ chỉ gồm chữ số", "An ID number has digits only"))
        elif len(applicant_id) in (8, 11):  # Excel dropped the leading zero of a CMND/CCCD
            applicant_id = "0" + applicant_id
        if _DIGITS.match(applicant_id) and len(applicant_id) not in (9, 12):
            fail(
                "applicant_id",
                T(
                    "Số CCCD có 12 chữ số (CMND cũ 9), không phải {n}",
                    "A CCCD has 12 digits (an old CMND 9), not {n}",
                    n=len(applicant_id),
                ),
            )
    old_unit = text("old_unit_code")
    if old_unit and _DIGITS.match(old_unit) and len(old_unit) < 5:
        old_unit = old_unit.zfill(5)  # Excel dropped the leading zeros of "00004"
    received = moment("received_at", required=True)
    due = moment("due_at")
    resolved = moment("resolved_at")
    returned = moment("returned_at")
    if status in ("approved", "rejected", "result_ready", "returned") and resolved is None:
        fail(
            "resolved_at",
            T(
                "Hồ sơ đã giải quyết cần ngày giải quyết",
                "A resolved record needs its resolution date",
            ),
        )
    if status == "returned" and returned is None:
        fail(
            "returned_at",
            T("Hồ sơ đã trả cần ngày trả kết quả", "A returned record needs its return date"),
        )
    for column, value in (("due_at", due), ("resolved_at", resolved), ("returned_at", returned)):
        if value is not None and received is not None and _as_date(value) < _as_date(received):
            fail(
                column, T("Ngày này trước ngày tiếp nhận", "This date is before the reception date")
            )
    if errors:
        return errors
    assert received is not None and status is not None and channel is not None
    return ImportRow(
        line=line,
        code=code,
        procedure=procedure,
        channel=channel,
        status=status,
        received_at=received,
        due_at=due,
        resolved_at=resolved,
        returned_at=returned,
        applicant_name=name,
        applicant_id=applicant_id,
        applicant_phone=text("applicant_phone"),
        applicant_address=text("applicant_address"),
        old_unit_code=old_unit,
        notes=text("notes"),
    )


def parse_moment(value: Any) -> datetime | date | None:
    """Return the date or moment in ``value``: a spreadsheet date, dd/mm/yyyy [HH:MM[:SS]],
    yyyy-mm-dd[ HH:MM[:SS]] or yyyyMMdd[HHmmss]; None when it is none of them."""
    if isinstance(value, datetime):
        return value if value.time() != time(0) else value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern, order in ((_DMY, (2, 1, 0)), (_YMD, (0, 1, 2)), (_COMPACT, (0, 1, 2))):
        match = pattern.match(text)
        if not match:
            continue
        parts = match.groups()
        year, month, day = (int(parts[i]) for i in order)
        try:
            if parts[3] is None:
                return date(year, month, day)
            return datetime(year, month, day, int(parts[3]), int(parts[4]), int(parts[5] or 0))
        except ValueError:
            return None
    return None


def _as_date(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value
