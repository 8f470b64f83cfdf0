"""Report files inspectors accept: Excel (openpyxl) and CSV for Excel (UTF-8 with BOM).

Both use the Vietnamese headers of :data:`COUNTS` and :data:`RATES`. The workbook has a
summary sheet, then one sheet per breakdown with a frozen header row, thousands format
for counts and percent format for rates (stored as fractions, so Excel computes with
them). The CSV is one table: the breakdown's rows, then the total.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from motcua.reports.engine import BREAKDOWNS, Report
from motcua.reports.figures import COUNTS, RATE_DEFINITIONS, RATES, Figures

COUNT_FORMAT = "#,##0"
RATE_FORMAT = "0.00%"
TOTAL = "Tổng cộng"


def headers(by: str | None) -> list[str]:
    """Return the Vietnamese column headers of a breakdown table."""
    first = BREAKDOWNS[by].vi if by else "Phạm vi"
    return ["STT", first, *(label.vi for label in COUNTS.values()),
            *(label.vi for label in RATES.values())]


def _values(figures: Figures) -> list[Any]:
    data = figures.as_dict()
    return [data[name] for name in COUNTS] + [data[name] for name in RATES]


def table(report: Report) -> list[list[Any]]:
    """Return the rows of the report's breakdown table (numbered), then the total row."""
    rows = [[n, row.label.vi, *_values(row.figures)] for n, row in enumerate(report.rows, 1)]
    rows.append(["", TOTAL if report.by else report.scope.name, *_values(report.totals)])
    return rows


def csv_bytes(report: Report) -> bytes:
    """Return the report as CSV: UTF-8 with BOM (Excel reads the accents), one header row;
    rates as fractions with a dot (0.9122), empty when there is no denominator."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers(report.by))
    for row in table(report):
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(summary: Report, breakdowns: Sequence[Report]) -> bytes:
    """Return a workbook: the summary sheet of ``summary``, then a sheet per report of
    ``breakdowns`` (one per breakdown: by procedure, field, reception point, ward)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Tổng hợp"
    sheet.append([f"Báo cáo kết quả giải quyết thủ tục hành chính: {summary.scope.name}"])
    sheet.append([f"Kỳ báo cáo: {summary.period.label()}"
                  + (f" ({summary.working_days} ngày làm việc)" if summary.working_days else "")])
    sheet.append(["Số liệu", "Giá trị", "Cách tính"])
    header_row = sheet.max_row
    data = summary.totals.as_dict()
    for name, label in COUNTS.items():
        sheet.append([label.vi, data[name], ""])
        sheet.cell(sheet.max_row, 2).number_format = COUNT_FORMAT
    for name, label in RATES.items():
        sheet.append([label.vi, data[name], RATE_DEFINITIONS[name].vi])
        sheet.cell(sheet.max_row, 2).number_format = RATE_FORMAT
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    sheet["A1"].font = Font(bold=True, size=13)
    _widths(sheet, [44, 14, 70])
    for report in breakdowns:
        if report.by:
            _breakdown_sheet(book, report)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _breakdown_sheet(book: Workbook, report: Report) -> None:
    assert report.by is not None
    sheet = book.create_sheet(f"Theo {BREAKDOWNS[report.by].vi.lower()}"[:31])
    sheet.append(headers(report.by))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    first_rate = 3 + len(COUNTS)
    for row in table(report):
        sheet.append(row)
        for column in range(3, 3 + len(COUNTS) + len(RATES)):
            cell = sheet.cell(sheet.max_row, column)
            cell.number_format = RATE_FORMAT if column >= first_rate else COUNT_FORMAT
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "C2"
    _widths(sheet, [6, 40, *([12] * (len(COUNTS) + len(RATES)))])


def _widths(sheet: Any, widths: list[int]) -> None:
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
