"""Who files a dossier, read from the notebook's applicant fields (pure, no I/O).

A notebook marks the fields that are the applicant's name, ID number, phone, address,
email and birth date (``"applicant"`` in docs/notebook-format.md); the record's applicant
columns are taken from them, and reception asks separately only for the roles the
notebook lacks. A scanned CCCD QR fills the marked fields.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from motcua.citizen_id import ChipQr
from motcua.notebooks.model import Notebook
from motcua.units import full_address

# Roles that the record keeps in its own columns, in the order the generic block asks.
COLUMN_ROLES = ("name", "id_number", "phone", "address", "email")


@dataclass(frozen=True)
class Applicant:
    """Who files the dossier. ``old_address`` (pre-merger text) is converted to the new
    ward when ``residence_ward_code`` is not given."""

    name: str
    id_number: str = ""
    phone: str = ""
    address: str = ""
    residence_ward_code: str = ""
    old_address: str = ""
    email: str = ""


def missing_roles(nb: Notebook) -> tuple[str, ...]:
    """Return the column roles ``nb`` marks on none of its fields, in asking order."""
    marked = nb.applicant_fields()
    return tuple(role for role in COLUMN_ROLES if role not in marked)


def from_values(nb: Notebook, values: dict[str, Any], given: Applicant) -> tuple[Applicant, dict]:
    """Return the applicant of a dossier and ``{role: field name}`` of the roles taken
    from the notebook.

    A role ``given`` leaves blank (the reception screen asks only for the roles the
    notebook lacks) is read from the notebook's marked field; an address field also gives
    the residence ward code. A role ``given`` explicitly (an API client's ``applicant``)
    is kept as given.
    """
    changes: dict[str, str] = {}
    sources: dict[str, str] = {}
    for role, fdef in nb.applicant_fields().items():
        if role not in COLUMN_ROLES or str(getattr(given, role) or "").strip():
            continue
        sources[role] = fdef.name
        value = values.get(fdef.name)
        if value in (None, ""):
            continue
        if role == "address" and isinstance(value, dict):
            # The record, slip 01 and the tracking book write the ward picked beside the street.
            changes["address"] = full_address(str(value.get("text") or ""), value.get("ward_code"))
            if value.get("ward_code") and not given.residence_ward_code:
                changes["residence_ward_code"] = str(value["ward_code"])
        else:
            changes[role] = str(value)
    return replace(given, **changes), sources


def chip_values(nb: Notebook, chip: ChipQr) -> tuple[dict[str, Any], dict[str, str]]:
    """Return what a CCCD QR fills: raw values of ``nb``'s marked fields, and the generic
    block's entries (``name``, ``id_number``, ``address``) for roles ``nb`` lacks."""
    facts = {
        "name": chip.full_name,
        "id_number": chip.id_number,
        "address": chip.address,
        "birth_date": chip.birth_date.isoformat(),
    }
    marked = nb.applicant_fields()
    values = {marked[role].name: text for role, text in facts.items() if role in marked}
    generic = {
        role: text for role, text in facts.items() if role in COLUMN_ROLES and role not in marked
    }
    return values, generic
