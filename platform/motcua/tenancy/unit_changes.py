"""Unit change sets in the database: applied with ``motcua units apply``, read by slips.

A change set applied here is stored in ``unit_change_applied`` with who applied it; the
provinces and tenants it renames take their new names once its effective day has come,
and the names they had before are kept in the stored row (``history``). Slips do not read
the stored names: they ask :func:`names_on` for the names valid on their own date, so a
slip dated before the change keeps the old name, whenever it is printed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from motcua.audit import audit
from motcua.db import write_transaction
from motcua.tenancy.models import Province, Tenant, UnitChangeApplied
from motcua.units.changes import ChangeSet, name_on, ordered, shipped_change_sets


@dataclass
class UnitsApplied:
    """What :func:`apply_change_sets` did: sets stored, and the renames made today."""

    stored: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    renamed: list[dict[str, str]] = field(default_factory=list)  # level, code, old, new, key
    pending: list[dict[str, str]] = field(default_factory=list)  # not effective yet


def change_sets_in_force() -> list[ChangeSet]:
    """Return the shipped change sets with those applied here over them (same key: the
    applied one), by effective day."""
    by_key = {s.key: s for s in shipped_change_sets()}
    for row in UnitChangeApplied.select():
        by_key[row.key] = ChangeSet.from_dict(row.content["change_set"])
    return ordered(by_key.values())


def names_on(
    tenant: Any, day: date, sets: Sequence[ChangeSet] | None = None
) -> tuple[str, str]:
    """Return (ward name, province name) of ``tenant`` valid on ``day``.

    The name a change set effective by ``day`` gives, else the tenant's and its province's
    stored names (the 2025 catalogue's, or the latest applied ones before ``day``'s change).
    """
    sets = change_sets_in_force() if sets is None else sets
    ward = name_on("ward", tenant.code, day, sets)
    province = name_on("province", tenant.province_code, day, sets)
    if ward is None or province is None:
        from motcua import units

        # Not renamed by ``day``: the 2025 name, unless the tenant row says otherwise and
        # no change set ever touched the unit (a name set by hand in the tenant file).
        touched = {(r.level, r.code) for s in sets for r in s.renames}
        if ward is None:
            ward = units.ward(tenant.code).name if ("ward", tenant.code) in touched else tenant.name
        if province is None:
            province = (
                units.province(tenant.province_code).name
                if ("province", tenant.province_code) in touched
                else tenant.province.name
            )
    return ward, province


def current_name(level: str, code: str, fallback: str, today: date) -> str:
    """Return the name a unit has on ``today`` by the change sets in force, or ``fallback``
    (what ``tenants sync`` writes for a unit no change set renamed)."""
    found = name_on("province" if level == "province" else "ward", code, today, change_sets_in_force())
    return found or fallback


def apply_change_sets(sets: Sequence[ChangeSet], *, actor: str, now: datetime) -> UnitsApplied:
    """Store ``sets`` and rename the provinces and tenants whose new name is effective by
    ``now``, keeping the names they had in the stored change set; one transaction.

    Applying the same set again changes nothing; with no ``sets`` it renames what became
    effective since the last run (run it on the effective day).
    """
    result = UnitsApplied()
    with write_transaction():
        for change_set in sets:
            row = UnitChangeApplied.get_or_none(UnitChangeApplied.key == change_set.key)
            if row is not None and row.content["change_set"] == change_set.as_dict():
                result.unchanged.append(change_set.key)
                continue
            history = row.content.get("history", []) if row is not None else []
            values = {
                "effective": change_set.effective,
                "content": {"change_set": change_set.as_dict(), "history": history},
                "applied_at": now,
                "applied_by": actor,
            }
            if row is None:
                UnitChangeApplied.insert(key=change_set.key, **values).execute()
            else:
                UnitChangeApplied.update(values).where(UnitChangeApplied.key == change_set.key).execute()
            result.stored.append(change_set.key)
        _rename_effective(now, result)
        if result.stored or result.renamed:
            audit("units.apply", actor=actor, target=", ".join(result.stored),
                  renamed=result.renamed)
    return result


def _rename_effective(now: datetime, result: UnitsApplied) -> None:
    today = now.date()
    for row in UnitChangeApplied.select().order_by(UnitChangeApplied.effective, UnitChangeApplied.key):
        change_set = ChangeSet.from_dict(row.content["change_set"])
        history = list(row.content.get("history", []))
        for rename in change_set.renames:
            move = {"level": rename.level, "code": rename.code, "new": rename.name,
                    "key": change_set.key}
            if change_set.effective > today:
                result.pending.append({**move, "effective": change_set.effective.isoformat()})
                continue
            old = _rename(rename.level, rename.code, rename.name, rename.short_name)
            if old is not None:
                history.append({**move, "old": old, "at": now.isoformat()})
                result.renamed.append({**move, "old": old})
        if history != row.content.get("history", []):
            content = {**row.content, "history": history}
            UnitChangeApplied.update(content=content).where(UnitChangeApplied.key == row.key).execute()


def _rename(level: str, code: str, name: str, short_name: str) -> str | None:
    """Rename the stored province or tenant; return its old name, or None if unchanged."""
    if level == "province":
        province = Province.get_or_none(Province.code == code)
        if province is None or province.name == name:
            return None
        Province.update(name=name, short_name=short_name).where(Province.code == code).execute()
        return str(province.name)
    tenant = Tenant.get_or_none(Tenant.code == code)
    if tenant is None or tenant.name == name:
        return None
    Tenant.update(name=name).where(Tenant.code == code).execute()
    return str(tenant.name)
