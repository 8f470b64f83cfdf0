"""``motcua tenants merge``: a later re-merge moves absorbed wards into the receiving one.

Units keep changing: a province may merge wards again. Everything an absorbed ward owns
moves to the receiving ward in one transaction, so no record is ever in neither: its
records with their codes, events, files and print jobs; its notebooks and
templates (published versions keep their ids, so every record stays pinned to the version
it was received under); its staff, reception points and counters, plugin settings. The
absorbed tenant stays, inactive, pointing at the receiving one (``merged_into``), with its
audit trail (a hash chain per ward, which moving rows would break): old
links and the public lookup by an absorbed ward's address send people to the new home.

Every tenant-owned table is found at run time (a plugin's too) and moved by its rule in
:data:`RULES`; a table without one is moved as is, and a clash on one of its unique keys
stops the merge (nothing written) with the table named, rather than guessing.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from peewee import IntegrityError, fn

from motcua.audit import audit
from motcua.clock import now
from motcua.db import database, write_transaction
from motcua.db.base import BaseModel, TenantModel
from motcua.errors import Conflict, UserError
from motcua.i18n import T
from motcua.records.attachments import tenant_dir
from motcua.tenancy.models import Tenant


@dataclass(frozen=True)
class Rule:
    """How one table's rows move. ``kind``:

    - ``move``: change the tenant; a unique clash stops the merge.
    - ``drop``: delete the absorbed ward's rows (state that only meant something there).
    - ``receiving_wins``: where both wards have the same key, the receiving ward's row
      stays and the absorbed one's is deleted; the rest move.
    - ``rename``: where both have the key, the absorbed row's ``column`` gets
      ``-<absorbed code>`` appended; then all move.
    - ``versioned``: published versions per ``column`` numbered by ``number``: the
      absorbed ward's are renumbered after the receiving ward's, then the receiving
      ward's latest is published again on top, so what the receiving ward uses does not
      change while the absorbed history (and the records pinned to it) is kept.
    """

    kind: str
    column: str = ""
    number: str = "number"


RULES: dict[str, Rule] = {
    "record_counter": Rule("drop"),  # absorbed codes keep their own prefix; no clash
    "calendar_override": Rule("receiving_wins"),
    "plugin_setting": Rule("receiving_wins"),
    "connector_setting": Rule("receiving_wins"),  # the portal connection of the receiving ward
    "membership": Rule("receiving_wins"),  # a user in both keeps the receiving ward's role
    "reception_point": Rule("rename", "key"),
    "notebook_draft": Rule("rename", "key"),
    "notebook_version": Rule("versioned", "key"),
    "print_template": Rule("versioned", "form"),
}


#: A ward's audit log is a hash chain (motcua.audit): its rows stay with the absorbed ward,
#: which is kept, so both chains still verify; the merge itself is audited in both.
AUDIT_TABLES = ("audit_log", "audit_anchor")


@dataclass
class MergeReport:
    """What a merge moved, per table: rows moved, dropped, renamed or republished."""

    into: str
    absorbed: list[str]
    moved: dict[str, int] = field(default_factory=dict)
    dropped: dict[str, int] = field(default_factory=dict)
    renamed: dict[str, int] = field(default_factory=dict)
    republished: dict[str, int] = field(default_factory=dict)
    files: int = 0
    dry_run: bool = False

    def as_dict(self) -> dict[str, Any]:
        """Return the report for JSON."""
        return dataclasses.asdict(self)


class _DryRun(Exception):
    """Raised inside the transaction to undo a dry run."""


def merge_wards(
    into: Tenant, absorbed: list[Tenant], *, data_dir: Path, actor: str = "", dry_run: bool = False
) -> MergeReport:
    """Move everything of the ``absorbed`` wards into ``into``; return what moved.

    :raises UserError: a ward is merged into itself, is inactive or already merged.
    :raises Conflict: a table without a rule has a unique clash (nothing written).
    """
    _check(into, absorbed)
    report = MergeReport(into.code, [t.code for t in absorbed], dry_run=dry_run)
    links: list[tuple[Path, Path]] = []
    try:
        with write_transaction():
            for old in absorbed:
                for model in _tenant_tables():
                    _move_table(model, old, into, report)
                _move_other_tables(old, into, report)
                links.extend(_link_files(old, into, data_dir, report))
                _close(old, into, actor)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except BaseException:
        for _, new in links:
            new.unlink(missing_ok=True)
        raise
    finally:
        if dry_run:
            for _, new in links:
                new.unlink(missing_ok=True)
    if not dry_run:
        for old_path, _ in links:
            old_path.unlink(missing_ok=True)
    return report


def _check(into: Tenant, absorbed: list[Tenant]) -> None:
    if not absorbed:
        raise UserError(
            T(
                "Hãy nêu ít nhất một phường, xã bị sáp nhập (--from)",
                "Name at least one absorbed ward (--from)",
            )
        )
    for ward in (into, *absorbed):
        if not ward.active or ward.merged_into_id:
            raise UserError(
                T(
                    "{name} ({code}) đã ngừng hoạt động hoặc đã sáp nhập",
                    "{name} ({code}) is inactive or already merged",
                    name=ward.name,
                    code=ward.code,
                )
            )
    if into.id in {t.id for t in absorbed} or len({t.id for t in absorbed}) != len(absorbed):
        raise UserError(
            T(
                "Một phường, xã không thể sáp nhập vào chính nó hoặc nêu hai lần",
                "A ward cannot be merged into itself or named twice",
            )
        )


def _tenant_tables() -> list[type[TenantModel]]:
    """Every tenant-owned model the process knows (core and loaded plugins), in name order."""
    found: dict[str, type[TenantModel]] = {}
    pending = list(TenantModel.__subclasses__())
    while pending:
        model = pending.pop()
        pending.extend(model.__subclasses__())
        if "tenant" in model._meta.fields:
            found[model._meta.table_name] = model
    return [found[name] for name in sorted(found)]


def _unique_keys(model: type[BaseModel]) -> list[list[str]]:
    """The unique keys of ``model`` beyond its tenant column, as field names."""
    keys = []
    for columns, unique in model._meta.indexes:
        if unique and columns[0] == "tenant" and len(columns) > 1:
            keys.append(list(columns[1:]))
    return keys


def _clashing(model: type[BaseModel], old: Tenant, into: Tenant, key: list[str]) -> Any:
    """Return a query of the ids of ``old``'s rows whose ``key`` ``into`` also has."""
    twin = model.alias()
    same = [getattr(twin, name) == getattr(model, name) for name in key]
    return model.select(model.id).where(
        model.tenant == old.id,
        fn.EXISTS(twin.select(twin.id).where(twin.tenant == into.id, *same)),
    )


def _move_table(model: type[TenantModel], old: Tenant, into: Tenant, report: MergeReport) -> None:
    table = model._meta.table_name
    rule = RULES.get(table, Rule("move"))
    mine = model.tenant == old.id
    if rule.kind == "drop":
        _count(report.dropped, table, model.delete().where(mine).execute())
        return
    if rule.kind == "versioned":
        _renumber(model, rule, old, into, report)
    for key in _unique_keys(model):
        clashing = [row_id for (row_id,) in _clashing(model, old, into, key).tuples()]
        if not clashing:
            continue
        if rule.kind == "receiving_wins":
            _count(report.dropped, table, model.delete().where(model.id.in_(clashing)).execute())
        elif rule.kind == "rename" and rule.column in key:
            column = getattr(model, rule.column)
            renamed = model.update({column: column.concat(f"-{old.code}")}).where(
                model.id.in_(clashing)
            )
            _count(report.renamed, table, renamed.execute())
        else:
            raise Conflict(
                T(
                    "Không sáp nhập được: bảng {table} của {old} và {into} trùng khóa {key} ({n} dòng)",
                    "Cannot merge: table {table} of {old} and {into} share key {key} ({n} rows)",
                    table=table,
                    old=old.code,
                    into=into.code,
                    key=", ".join(key),
                    n=len(clashing),
                )
            )
    _count(report.moved, table, model.update(tenant=into.id).where(mine).execute())


def _renumber(
    model: type[TenantModel], rule: Rule, old: Tenant, into: Tenant, report: MergeReport
) -> None:
    key, number = getattr(model, rule.column), getattr(model, rule.number)
    table = model._meta.table_name
    theirs = dict(
        model.select(key, fn.MAX(number)).where(model.tenant == into.id).group_by(key).tuples()
    )
    for value, top in theirs.items():
        # Through negative numbers: a unique index is checked row by row on PostgreSQL,
        # so shifting 1, 2 to 2, 3 in place would clash half way.
        mine = (model.tenant == old.id) & (key == value)
        if not model.update({number: (number + top) * -1}).where(mine).execute():
            continue
        model.update({number: number * -1}).where(mine).execute()
        # Publish the receiving ward's latest again on top: what it uses stays the same.
        latest = model.get(model.tenant == into.id, key == value, number == top)
        highest = model.select(fn.MAX(number)).where(model.tenant == old.id, key == value).scalar()
        copy = {
            name: getattr(latest, name)
            for name in model._meta.fields
            if name not in ("id", rule.number)
        }
        model.insert(**copy, **{rule.number: highest + 1}).execute()
        _count(report.republished, table, 1)


def _move_other_tables(old: Tenant, into: Tenant, report: MergeReport) -> None:
    """Move the rows of tables that have a ``tenant_id`` column but no core model (a
    plugin's own tables, e.g. the queue's): the database's own unique keys decide, and a
    clash stops the merge with the table named."""
    db = database.obj
    known = {model._meta.table_name for model in _tenant_tables()} | set(AUDIT_TABLES)
    for table in sorted(set(db.get_tables()) - known):
        if "tenant_id" not in {column.name for column in db.get_columns(table)}:
            continue
        try:
            with db.atomic():  # a savepoint: the clash is reported, not a broken transaction
                cursor = db.execute_sql(
                    f'UPDATE "{table}" SET tenant_id = {db.param} WHERE tenant_id = {db.param}',  # noqa: S608 - names from the catalogue
                    (into.id, old.id),
                )
        except IntegrityError as clash:
            raise Conflict(
                T(
                    "Không sáp nhập được: bảng {table} của {old} và {into} trùng khóa ({detail})",
                    "Cannot merge: table {table} of {old} and {into} share a key ({detail})",
                    table=table,
                    old=old.code,
                    into=into.code,
                    detail=str(clash).splitlines()[0][:200],
                )
            ) from clash
        _count(report.moved, table, cursor.rowcount)


def _link_files(
    old: Tenant, into: Tenant, data_dir: Path, report: MergeReport
) -> list[tuple[Path, Path]]:
    """Hard-link (or copy) the absorbed ward's files into the receiving ward's folder.

    The old names are removed only after the commit: until then both folders hold them.
    """
    source, target = tenant_dir(data_dir, old), tenant_dir(data_dir, into)
    if not source.is_dir():
        return []
    target.mkdir(parents=True, exist_ok=True)
    links = []
    for path in sorted(source.iterdir()):
        if not path.is_file() or path.suffix == ".part":
            continue
        destination = target / path.name
        try:
            os.link(path, destination)
        except FileExistsError:
            continue
        except OSError:
            destination.write_bytes(path.read_bytes())
        links.append((path, destination))
    report.files += len(links)
    return links


def _close(old: Tenant, into: Tenant, actor: str) -> None:
    at = now()
    entry = {"name": old.name, "code": old.code, "merged_at": at.date().isoformat(), "ward": True}
    into_row = Tenant.get_by_id(into.id)
    kept = [u for u in into_row.merged_from if u.get("code") != old.code or not u.get("ward")]
    Tenant.update(merged_from=[*kept, entry, *old.merged_from], updated_at=at).where(
        Tenant.id == into.id
    ).execute()
    Tenant.update(active=False, merged_into=into.id, updated_at=at).where(
        Tenant.id == old.id
    ).execute()
    audit("tenant.merge", tenant=into, actor=actor, target=old.code, absorbed=old.name)
    audit("tenant.merged_into", tenant=old, actor=actor, target=into.code, into=into.name)


def _count(counts: dict[str, int], table: str, n: int) -> None:
    if n:
        counts[table] = counts.get(table, 0) + n
