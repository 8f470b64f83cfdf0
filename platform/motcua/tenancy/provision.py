"""``motcua tenants provision``: create wards straight from the 2025 catalogue.

A province IT team brings up every commune and ward of its province (or all 3,321) in
one go: each tenant gets its catalogue name, code, slug and province, the old units it
was merged from, one reception point and the default settings; nothing else is guessed
(agency code, address, phone stay empty until the ward's own file or admin sets them).
Wards that already exist are left exactly as they are, so running it again is harmless
and never undoes a tenant file. The whole run is one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from motcua import units
from motcua.audit import audit
from motcua.db import write_transaction
from motcua.errors import UserError
from motcua.i18n import T
from motcua.tenancy.files import DEFAULT_OFFICE_HOURS
from motcua.tenancy.models import ReceptionPoint, Tenant
from motcua.tenancy.sync import ensure_provinces

BATCH = 500
MAIN_POINT_KEY = "mot-cua"


@dataclass(frozen=True)
class ProvisionReport:
    """Codes created by a run and codes that were already there (left untouched)."""

    created: list[str]
    existing: list[str]


def wards_to_provision(
    *, all_wards: bool = False, province_code: str | None = None, codes: Iterable[str] = ()
) -> list[units.Ward]:
    """Return the catalogue wards a provision run names, in code order.

    :raises UserError: nothing was named, or a province or ward code is unknown.
    """
    codes = [code.strip() for code in codes if code.strip()]
    if not (all_wards or province_code or codes):
        raise UserError(
            T(
                "Hãy chọn --all, --province MÃ_TỈNH hoặc --code MÃ_XÃ",
                "Choose --all, --province PROVINCE_CODE or --code WARD_CODE",
            )
        )
    chosen: dict[str, units.Ward] = {}
    if all_wards:
        chosen.update((w.code, w) for w in units.wards())
    if province_code:
        units.province(province_code)  # raises NotFound with the right message
        chosen.update((w.code, w) for w in units.wards(province_code))
    for code in codes:
        chosen[code] = units.ward(code)
    return [chosen[code] for code in sorted(chosen)]


def provision_wards(
    wards: list[units.Ward], *, actor: str = "", progress: Callable[[int], None] | None = None
) -> ProvisionReport:
    """Create the tenants of ``wards`` that do not exist yet; report created and existing.

    ``progress`` is called with the number of wards handled after each batch.
    """
    with write_transaction():
        ensure_provinces()
        present = {code for (code,) in Tenant.select(Tenant.code).tuples()}
        taken_slugs = {slug for (slug,) in Tenant.select(Tenant.slug).tuples()}
        missing = [w for w in wards if w.code not in present]
        for start in range(0, len(missing), BATCH):
            batch = missing[start : start + BATCH]
            Tenant.insert_many([_tenant_row(w, taken_slugs) for w in batch]).execute()
            ids = dict(
                Tenant.select(Tenant.code, Tenant.id)
                .where(Tenant.code.in_([w.code for w in batch]))
                .tuples()
            )
            ReceptionPoint.insert_many(
                [
                    {
                        "tenant": ids[w.code],
                        "key": MAIN_POINT_KEY,
                        "name": f"Bộ phận Một cửa {w.name}",
                    }
                    for w in batch
                ]
            ).execute()
            if progress:
                progress(len(batch))
        created = [w.code for w in missing]
        if created:
            audit("tenant.provision", actor=actor, target=f"{len(created)} wards", codes=created)
        if progress and len(wards) > len(missing):
            progress(len(wards) - len(missing))
    return ProvisionReport(created, sorted(w.code for w in wards if w.code in present))


def _tenant_row(ward: units.Ward, taken_slugs: set[str]) -> dict:
    slug = ward.slug
    if slug in taken_slugs:  # a tenant file chose this slug for another ward
        slug = f"{slug}-{ward.code}"
    taken_slugs.add(slug)
    return {
        "code": ward.code,
        "catalogue": units.CATALOGUE_DATE,
        "name": ward.name,
        "slug": slug,
        "province": ward.province_code,
        "office_hours": list(DEFAULT_OFFICE_HOURS),
        "merged_from": [
            {
                "name": old.name,
                "code": old.code,
                "district": old.district_name,
                "province": old.province_name,
            }
            for old in units.merged_from(ward.code)
        ],
    }
