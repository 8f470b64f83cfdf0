"""Administrative units: the 2025 catalogue of provinces and wards, and the old units behind them.

Data comes from the package ``vietnamadminunits`` (never a hand-typed list); see
:mod:`motcua.units.catalogue`. Nothing here uses the network.
"""

from __future__ import annotations

from motcua.units.address import full_address
from motcua.units.catalogue import (
    CATALOGUE_DATE,
    LegacyUnit,
    Province,
    Ward,
    legacy_unit,
    merged_from,
    province,
    provinces,
    ward,
    wards,
)
from motcua.units.conversion import Conversion, convert_old_address
from motcua.units.search import search_wards
from motcua.units.text import fold, slugify

__all__ = [
    "CATALOGUE_DATE",
    "Conversion",
    "LegacyUnit",
    "Province",
    "Ward",
    "convert_old_address",
    "fold",
    "full_address",
    "legacy_unit",
    "merged_from",
    "province",
    "provinces",
    "search_wards",
    "slugify",
    "ward",
    "wards",
]
