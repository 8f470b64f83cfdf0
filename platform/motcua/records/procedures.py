"""What reception needs to know about a ward: its procedures (the effective published
notebook versions), its cut-off and supplement rule. The working calendar is the one the
notebooks use (:func:`motcua.notebooks.service.ward_calendar`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from peewee import fn

from motcua.calendar import Limit, PauseRule, parse_limit
from motcua.errors import NotFound, UserError
from motcua.i18n import T
from motcua.notebooks import Notebook
from motcua.notebooks.service import ward_calendar as ward_calendar
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
    from motcua.notebooks.service import effective_version

    try:
        version = effective_version(tenant, key)
    except NotFound:
        version = None
    if version is None:
        raise NotFound(
            T(
                "Phường/xã chưa ban hành thủ tục `{key}`",
                "The ward has not published the procedure `{key}`",
                key=key,
            ),
            field="procedure",
        )
    nb = version.notebook()
    limit = None
    if nb.limit:
        try:
            limit = parse_limit(nb.limit)
        except UserError:
            limit = None
    return Procedure(
        nb.key, nb.name, nb.national_code, nb.field_area, limit, version.id, version.number, nb
    )


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
