"""``motcua tenants sync``: make the database match the tenant files, and say what changed.

The whole folder is parsed and checked before anything is written, and the write is one
transaction: a bad file leaves the database as it was. Reception points and counters that
disappear from a file are deactivated, not deleted, because records refer to them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from motcua import units
from motcua.audit import audit
from motcua.clock import now, today
from motcua.db import write_transaction
from motcua.tenancy.files import TenantSpec, load_tenant_dir
from motcua.tenancy.models import CalendarOverride, Counter, Province, ReceptionPoint, Tenant
from motcua.tenancy.unit_changes import change_sets_in_force, current_name
from motcua.units.changes import Rename, name_on


@dataclass
class TenantChange:
    """What a sync did to one ward: ``created``, or the list of changes (empty = unchanged)."""

    code: str
    name: str
    created: bool = False
    changes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """True when the sync created or changed anything for this ward."""
        return self.created or bool(self.changes)


def ensure_provinces() -> int:
    """Create or refresh the 34 provinces of the catalogue; return how many were created."""
    created = 0
    sets, day = change_sets_in_force(), today()
    for province in units.provinces():
        row = Province.get_or_none(Province.code == province.code)
        # A change set in force (a province become a city) names it; else the 2025 catalogue.
        renamed = name_on("province", province.code, day, sets)
        short_name = Rename("province", province.code, renamed).short_name if renamed else None
        values = {"name": renamed or province.name, "short_name": short_name or province.short_name,
                  "slug": province.slug, "catalogue": units.CATALOGUE_DATE}
        if row is None:
            Province.create(code=province.code, **values)
            created += 1
        elif any(getattr(row, k) != v for k, v in values.items()):
            Province.update(**values).where(Province.code == province.code).execute()
    return created


def sync_tenants(directory: Path, *, actor: Any = None) -> list[TenantChange]:
    """Load every tenant file in ``directory`` into the database; return what changed.

    Raises :class:`motcua.tenancy.files.TenantFileError` (naming the file and line) before
    writing anything when a file is wrong.
    """
    specs = load_tenant_dir(directory)
    report = []
    with write_transaction():
        ensure_provinces()
        for spec in specs:
            change = _sync_one(spec)
            report.append(change)
            if change.changed:
                audit("tenant.sync", tenant=Tenant.get(Tenant.code == spec.code), user=actor,
                      target=spec.code, created=change.created, changes=change.changes)
    return report


def _tenant_values(spec: TenantSpec) -> dict[str, Any]:
    ward = units.ward(spec.code)
    return {
        "catalogue": spec.catalogue,
        "name": current_name("ward", spec.code, spec.name, today()),
        "slug": spec.slug,
        "province": ward.province_code,
        "agency_code": spec.agency_code,
        "address": spec.address,
        "phone": spec.phone,
        "office_hours": list(spec.office_hours),
        "cutoff": spec.cutoff,
        "merged_from": [
            {"name": m.name, "code": m.code, "district": m.district, "province": m.province} for m in spec.merged_from
        ],
    }


def _sync_one(spec: TenantSpec) -> TenantChange:
    values = _tenant_values(spec)
    tenant = Tenant.get_or_none(Tenant.code == spec.code)
    change = TenantChange(spec.code, spec.name)
    if tenant is None:
        tenant = Tenant.create(code=spec.code, **values)
        change.created = True
    else:
        changed = [k for k, v in values.items() if _current(tenant, k) != v]
        if changed or not tenant.active:
            Tenant.update(**values, active=True, updated_at=now()).where(Tenant.id == tenant.id).execute()
            change.changes.append("tenant: " + ", ".join(changed or ["active"]))
    tenant = Tenant.get(Tenant.code == spec.code)
    _sync_points(tenant, spec, change)
    _sync_calendar(tenant, spec, change)
    return change


def _current(tenant: Tenant, key: str) -> Any:
    return tenant.province_code if key == "province" else getattr(tenant, key)


def _upsert(model: type, where: list[Any], values: dict[str, Any], create: dict[str, Any]) -> tuple[Any, str | None]:
    row = model.get_or_none(*where)
    if row is None:
        return model.create(**create, **values), "added"
    differs = [k for k, v in values.items() if getattr(row, k) != v]
    if differs:
        model.update(**values).where(model.id == row.id).execute()
        return model.get_by_id(row.id), "changed " + ", ".join(differs)
    return row, None


def _sync_points(tenant: Tenant, spec: TenantSpec, change: TenantChange) -> None:
    kept_points = []
    for point_spec in spec.reception_points:
        point, what = _upsert(
            ReceptionPoint, [ReceptionPoint.tenant == tenant, ReceptionPoint.key == point_spec.key],
            {"name": point_spec.name, "address": point_spec.address, "active": True}, {"tenant": tenant, "key": point_spec.key},
        )
        kept_points.append(point.id)
        if what:
            change.changes.append(f"reception point {point_spec.key}: {what}")
        kept_counters = []
        for counter_spec in point_spec.counters:
            counter, what = _upsert(
                Counter, [Counter.tenant == tenant, Counter.reception_point == point, Counter.key == counter_spec.key],
                {"name": counter_spec.name, "fields": list(counter_spec.fields), "active": True},
                {"tenant": tenant, "reception_point": point, "key": counter_spec.key},
            )
            kept_counters.append(counter.id)
            if what:
                change.changes.append(f"counter {point_spec.key}/{counter_spec.key}: {what}")
        gone = Counter.update(active=False).where(
            Counter.tenant == tenant, Counter.reception_point == point, Counter.id.not_in(kept_counters),
            Counter.active == True,  # noqa: E712
        ).execute()
        if gone:
            change.changes.append(f"{gone} counter(s) of {point_spec.key} deactivated")
    gone = ReceptionPoint.update(active=False).where(
        ReceptionPoint.tenant == tenant, ReceptionPoint.id.not_in(kept_points), ReceptionPoint.active == True,  # noqa: E712
    ).execute()
    if gone:
        change.changes.append(f"{gone} reception point(s) deactivated")


def _sync_calendar(tenant: Tenant, spec: TenantSpec, change: TenantChange) -> None:
    # Only the file's own days are managed here; days added on the web page stay, unless
    # the file names the same day, in which case the file (the declared setup) wins.
    wanted = {entry.day: entry for entry in spec.calendar}
    for row in CalendarOverride.select().where(CalendarOverride.tenant == tenant, CalendarOverride.source == "file"):
        if row.day not in wanted:
            row.delete_instance()
            change.changes.append(f"calendar {row.day.isoformat()}: removed")
    for day, entry in wanted.items():
        _, what = _upsert(CalendarOverride, [CalendarOverride.tenant == tenant, CalendarOverride.day == day],
                          {"working": entry.working, "note": entry.note, "source": "file"},
                          {"tenant": tenant, "day": day})
        if what:
            change.changes.append(f"calendar {day.isoformat()}: {what}")
