"""``motcua records import``: bring the open and closed records of the old district and
commune systems into the merged ward, without losing or doubling one.

Each record keeps its old code (``legacy_code``, searchable, printed as "mã cũ") and
the old unit it came from, and gets a code of the new ward for its reception day, so it
has its place in the ward's daily sequence. Its legal due date is kept; when the old
system gave none, it is computed from the procedure's limit on the ward's calendar.
Rows are written in batches, each batch one transaction with its records and their first
event, so an import killed midway leaves whole records only, and running the same file
again skips what is there (the old code is unique per ward): that is how an interrupted
import resumes. With ``strict`` one bad row stops the whole file before anything is
written; otherwise good rows go in and every bad one is reported with its line.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from motcua.audit import audit
from motcua.calendar import compute_due, outcome
from motcua.db import write_transaction
from motcua.db.connection import insert_rows
from motcua.errors import NotFound
from motcua.i18n import T
from motcua.records import lifecycle
from motcua.records.codes import DEFAULT_FORMAT, format_code, next_sequence
from motcua.records.import_table import (
    ImportRow,
    RowError,
    map_columns,
    parse_row,
    read_table,
)
from motcua.records.models import Record, RecordEvent
from motcua.records.procedures import Procedure, procedures, ward_cutoff
from motcua.tenancy.models import ReceptionPoint
from motcua.units import convert_old_address, fold, legacy_unit
from motcua.ward import WardContext

BATCH = 1000


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do)."""

    file: str
    rows: int = 0
    imported: list[tuple[str, str]] = field(default_factory=list)  # (old code, new code)
    unchanged: list[str] = field(default_factory=list)  # old codes already in the ward
    refused: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    def as_dict(self) -> dict[str, Any]:
        """Return the report for JSON."""
        return {
            "file": self.file,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "imported": len(self.imported),
            "unchanged": len(self.unchanged),
            "refused": [error.as_dict() for error in self.refused],
            "codes": [{"old": old, "new": new} for old, new in self.imported],
        }


def import_records(
    ward: WardContext,
    path: Path,
    *,
    actor: str,
    dry_run: bool = False,
    strict: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import the records in the CSV or XLSX file ``path`` into ``ward``.

    :raises UserError: the file cannot be read or its columns are wrong (nothing written).
    """
    table = read_table(path)
    columns = map_columns(table.header)
    report = ImportReport(path.name, dry_run=dry_run)
    checker = _RowChecker(ward)
    good: list[tuple[ImportRow, Procedure]] = []
    first_line: dict[str, int] = {}
    for line, cells in table.rows:
        report.rows += 1
        parsed = parse_row(line, cells, columns, table.header)
        if not isinstance(parsed, list):
            parsed = checker.check(parsed, first_line)
        if isinstance(parsed, list):
            report.refused.extend(_as_written(error, columns, table.header) for error in parsed)
        else:
            good.append(parsed)
    if strict and report.refused:
        return report
    for start in range(0, len(good), BATCH):
        batch = good[start : start + BATCH]
        if dry_run:
            present = _present(ward, [row.code for row, _ in batch])
            report.unchanged.extend(row.code for row, _ in batch if row.code in present)
            report.imported.extend((row.code, "") for row, _ in batch if row.code not in present)
        else:
            _write_batch(ward, batch, checker, report, actor=actor, file=path.name)
        if progress:
            progress(len(batch))
    return report


def _as_written(error: RowError, columns: dict[str, int], header: list[str]) -> RowError:
    """Name the column as the file's header does (the checks below use column names)."""
    if error.column in columns:
        return RowError(error.line, header[columns[error.column]], error.reason)
    return error


class _RowChecker:
    """The checks that need the ward: procedure, old unit, address; cached per file."""

    def __init__(self, ward: WardContext) -> None:
        self.ward = ward
        tenant = ward.tenant
        self.procedures: dict[str, Procedure] = {}
        for proc in procedures(tenant):
            names = {proc.key, proc.national_code or "", *proc.name.values()}
            self.procedures.update((fold(name), proc) for name in names if name)
        self.old_units = {str(unit.get("code")) for unit in tenant.merged_from if unit.get("code")}
        self.residence: dict[str, str] = {}
        calendar = ward.calendar
        self.opening, self.closing = calendar.office_hours.opening, calendar.office_hours.closing

    def check(
        self, row: ImportRow, first_line: dict[str, int]
    ) -> tuple[ImportRow, Procedure] | list[RowError]:
        errors = []
        if row.code in first_line:
            errors.append(
                RowError(
                    row.line,
                    "code",
                    T(
                        "Mã hồ sơ {code} đã có ở dòng {line} của tệp",
                        "Record code {code} is already on line {line} of the file",
                        code=row.code,
                        line=first_line[row.code],
                    ),
                )
            )
        else:
            first_line[row.code] = row.line
        proc = self.procedures.get(fold(row.procedure))
        if proc is None:
            errors.append(
                RowError(
                    row.line,
                    "procedure",
                    T(
                        "Phường/xã chưa ban hành thủ tục “{name}”: ban hành trước rồi nhập lại",
                        "The ward has not published the procedure “{name}”: publish it, then import again",
                        name=row.procedure,
                    ),
                )
            )
        if row.old_unit_code:
            try:
                old = legacy_unit(row.old_unit_code)
            except NotFound as problem:
                errors.append(RowError(row.line, "old_unit_code", problem.text))
            else:
                if row.old_unit_code not in self.old_units:
                    errors.append(
                        RowError(
                            row.line,
                            "old_unit_code",
                            T(
                                "{old} ({code}) không sáp nhập vào {ward}: hồ sơ này thuộc phường, xã khác",
                                "{old} ({code}) was not merged into {ward}: this record belongs to another ward",
                                old=old.name,
                                code=row.old_unit_code,
                                ward=self.ward.tenant.name,
                            ),
                        )
                    )
        if errors or proc is None:
            return errors
        return row, proc

    def residence_of(self, address: str) -> str:
        """Return the new ward code of an old address ('' unless exactly one candidate)."""
        if not address:
            return ""
        if address not in self.residence:
            candidates = convert_old_address(address).candidates
            self.residence[address] = candidates[0].code if len(candidates) == 1 else ""
        return self.residence[address]

    def moment(self, value: datetime | date | None, at: time) -> datetime | None:
        if value is None or isinstance(value, datetime):
            return value
        return datetime.combine(value, at)


def _present(ward: WardContext, codes: list[str]) -> set[str]:
    query = Record.select(Record.legacy_code).where(
        Record.tenant == ward.tenant, Record.legacy_code.in_(codes)
    )
    return {code for (code,) in query.tuples()}


def _write_batch(
    ward: WardContext,
    batch: list[tuple[ImportRow, Procedure]],
    checker: _RowChecker,
    report: ImportReport,
    *,
    actor: str,
    file: str,
) -> None:
    tenant = ward.tenant
    now = ward.now()
    template = (tenant.settings or {}).get("record_code_format") or DEFAULT_FORMAT
    cutoff = ward_cutoff(tenant)
    with write_transaction():
        present = _present(ward, [row.code for row, _ in batch])
        fresh = [(row, proc) for row, proc in batch if row.code not in present]
        report.unchanged.extend(row.code for row, _ in batch if row.code in present)
        if not fresh:
            return
        point = (
            ReceptionPoint.select(ReceptionPoint.id)
            .where(ReceptionPoint.tenant == tenant, ReceptionPoint.active == True)  # noqa: E712
            .order_by(ReceptionPoint.id)
            .scalar()
        )
        by_day: dict[date, list[tuple[ImportRow, Procedure]]] = defaultdict(list)
        for row, proc in fresh:
            by_day[checker.moment(row.received_at, checker.opening).date()].append((row, proc))  # type: ignore[union-attr]
        records, written = [], []
        for day in sorted(by_day):
            rows = by_day[day]
            last = next_sequence(tenant.id, day, count=len(rows))
            for seq, (row, proc) in enumerate(rows, start=last - len(rows) + 1):
                code = format_code(
                    template,
                    agency=tenant.agency_code or tenant.code,
                    ward=tenant.code,
                    day=day,
                    seq=seq,
                )
                records.append(
                    _record_row(ward, checker, row, proc, code, point, cutoff, actor, now)
                )
                written.append((row.code, code))
        insert_rows(Record, records)
        ids = dict(
            Record.select(Record.legacy_code, Record.id)
            .where(Record.tenant == tenant, Record.legacy_code.in_([old for old, _ in written]))
            .tuples()
        )
        insert_rows(
            RecordEvent,
            [
                {
                    "tenant": tenant.id,
                    "record": ids[row.code],
                    "seq": 1,
                    "action": lifecycle.IMPORT,
                    "from_status": "",
                    "to_status": row.status,
                    "actor": actor,
                    "at": now,
                    "note": row.notes,
                    "details": {
                        "legacy_code": row.code,
                        "file": file,
                        "line": row.line,
                        **({"old_unit_code": row.old_unit_code} if row.old_unit_code else {}),
                    },
                }
                for row, _ in fresh
            ],
        )
        audit(
            "records.import",
            tenant=tenant,
            actor=actor,
            target=file,
            imported=len(written),
            lines=[fresh[0][0].line, fresh[-1][0].line],
        )
        report.imported.extend(written)


def _record_row(
    ward: WardContext,
    checker: _RowChecker,
    row: ImportRow,
    proc: Procedure,
    code: str,
    point: int | None,
    cutoff: time,
    actor: str,
    now: datetime,
) -> dict[str, Any]:
    tenant = ward.tenant
    received = checker.moment(row.received_at, checker.opening)
    assert received is not None
    due = checker.moment(row.due_at, checker.closing)
    if due is None and proc.limit is not None:
        due = compute_due(received, proc.limit, ward.calendar, cutoff=cutoff)
    resolved = checker.moment(row.resolved_at, checker.opening)
    residence = checker.residence_of(row.applicant_address)
    return {
        "tenant": tenant.id,
        "code": code,
        "legacy_code": row.code,
        "legacy_unit_code": row.old_unit_code,
        "procedure_key": proc.key,
        "procedure_name": proc.name.get("vi", proc.key),
        "notebook_version": proc.version_id,
        "status": row.status,
        "channel": row.channel,
        "applicant_name": row.applicant_name,
        "applicant_search": fold(row.applicant_name),
        "applicant_id_number": row.applicant_id,
        "applicant_phone": row.applicant_phone,
        "applicant_address": row.applicant_address,
        "residence_ward_code": residence,
        "non_territorial": bool(residence) and residence != tenant.code,
        "reception_point": point,
        "received_by": actor,
        "received_at": received,
        "due_at": due,
        "limit_spec": proc.limit.spec if proc.limit else "",
        "paused_at": now if row.status == "supplement_requested" else None,
        "resolved_at": resolved,
        "returned_at": checker.moment(row.returned_at, checker.opening),
        "outcome": outcome(due, resolved) if due and resolved else "",
        "updated_at": now,
    }
