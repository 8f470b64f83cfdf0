"""What reception needs to know about a ward: its procedures (the effective published
notebook versions), its cut-off and supplement rule. The working calendar is
:func:`motcua.tenancy.workdays.ward_calendar`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from peewee import fn

from motcua.calendar import Limit, PauseRule, parse_limit
from motcua.db import database
from motcua.errors import NotFound, UserError
from motcua.i18n import T
from motcua.notebooks import Notebook
from motcua.notebooks.store import NotebookVersion, published_notebook
from motcua.tenancy.models import Tenant


@dataclass(frozen=True)
class Procedure:
    """A procedure a ward receives: the published notebook version records pin."""

    key: str
    name: dict[str, str]
    national_code: str | None
    field_area: str | None
    limit: Limit | None
    version_id: int
    version_number: int
    notebook: Notebook


def procedure(tenant: Tenant, key: str) -> Procedure:
    """Return the procedure ``key`` as the ward receives it now (its effective version).

    :raises NotFound: the ward has no published notebook for ``key``.
    """
    found = _effective(tenant, key)
    if found is None:
        raise NotFound(
            T(
                "Phường/xã chưa ban hành thủ tục “{key}”",
                "The ward has not published the procedure “{key}”",
                key=key,
            ),
            field="procedure",
        )
    version_id, version_number, nb = found
    limit = None
    if nb.limit:
        try:
            limit = parse_limit(nb.limit)
        except UserError:
            limit = None
    return Procedure(
        nb.key, nb.name, nb.national_code, nb.field_area, limit, version_id, version_number, nb
    )


# The effective version as reception needs it, on every request: only the newest ward
# version's id, number, source and hash (the unique index on (tenant_id, key, number) answers
# it), its notebook from the per-version parse cache of motcua.notebooks.store, so the content
# JSON is neither fetched nor parsed once the version is known. Never cached itself: a newly
# published version is the newest row of the very next request.
_LATEST_SQL = (
    'SELECT "id", "number", "content_hash", "source", "province_version_id" FROM "notebook_version" '
    'WHERE "tenant_id" = %s AND "key" = %s ORDER BY "number" DESC LIMIT 1'
)
_LATEST_PROVINCE_SQL = (
    'SELECT "id" FROM "province_notebook_version" WHERE "province_code" = %s AND "key" = %s '
    'ORDER BY "number" DESC LIMIT 1'
)


def _effective(tenant: Tenant, key: str) -> tuple[int, int, Notebook] | None:
    """Return ``(version id, number, notebook)`` of the version
    :func:`~motcua.notebooks.service.effective_version` gives, or None when none is published."""
    from motcua.notebooks.service import effective_version

    param = database.obj.param
    latest = database.execute_sql(_LATEST_SQL.replace("%s", param), (tenant.id, key)).fetchone()
    if latest is not None and latest[3] != "ward":
        newest = database.execute_sql(
            _LATEST_PROVINCE_SQL.replace("%s", param), (tenant.province_code, key)
        ).fetchone()
        if newest is not None and newest[0] != latest[4]:
            latest = None  # the province published since: effective_version inherits it
    if latest is None:
        try:
            version = effective_version(tenant, key)
        except NotFound:
            return None
        return version.id, version.number, version.notebook()
    version_id, number, content_hash = latest[0], latest[1], latest[2]
    return version_id, number, published_notebook(NotebookVersion, version_id, content_hash)


def procedures(tenant: Tenant) -> list[Procedure]:
    """Return every procedure the ward has published, the most received first, then by name."""
    from motcua.notebooks.service import procedures as notebook_procedures
    from motcua.records.models import Record

    usage = dict(
        Record.select(Record.procedure_key, fn.COUNT(Record.id))
        .where(Record.tenant == tenant)
        .group_by(Record.procedure_key)
        .tuples()
    )
    found = [
        procedure(tenant, summary.key)
        for summary in notebook_procedures(tenant)
        if summary.published
    ]
    return sorted(found, key=lambda p: (-usage.get(p.key, 0), p.name.get("vi", p.key).lower()))


def ward_cutoff(tenant: Tenant) -> time:
    """Return the ward's transfer cut-off (15:00 unless the tenant file says otherwise)."""
    hours, _, minutes = (tenant.cutoff or "15:00").partition(":")
    return time(int(hours), int(minutes or 0))


def supplement_rule(tenant: Tenant) -> PauseRule:
    """Return the province setting ``supplement_rule``: ``extend`` (default) or ``restart``."""
    rule = (tenant.province.settings or {}).get("supplement_rule", "extend")
    return rule if rule in ("extend", "restart") else "extend"
