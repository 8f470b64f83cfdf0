"""The 2025 catalogue of provinces and wards, and the pre-merger units behind them.

Everything comes from the data files of the maintained package ``vietnamadminunits``
(MIT): ``data/dataset.db`` (SQLite, tables ``admin_units`` for the 34 provinces and
3,321 wards of Decision 19/2025/QD-TTg and ``admin_units_legacy`` for the ~10,000
pre-merger wards) and ``data/converter_2025.json`` (which old wards went into which new
ward). The files are read once, read-only, and kept in a cache; nothing here touches the
network.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import sqlite3
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

from motcua.errors import NotFound
from motcua.i18n import T
from motcua.units.text import slugify

#: Decision 19/2025/QD-TTg, in force from this date. Store every code with the catalogue
#: date it belongs to: codes are reused and the list keeps changing.
CATALOGUE_DATE = date(2025, 7, 1)


@dataclass(frozen=True)
class Province:
    """A province or centrally-run city of the 2025 catalogue."""

    code: str  # 2 digits, "24"
    name: str  # "Tỉnh Bắc Ninh"
    short_name: str  # "Bắc Ninh"
    slug: str  # "bac-ninh"


@dataclass(frozen=True)
class Ward:
    """A commune, ward or special zone of the 2025 catalogue."""

    code: str  # 5 digits, "07795"
    name: str  # "Phường Nếnh"
    short_name: str  # "Nếnh"
    kind: str  # "Phường", "Xã" or "Đặc khu"
    province_code: str
    slug: str  # unique across the catalogue: "phuong-nenh"


@dataclass(frozen=True)
class LegacyUnit:
    """A pre-merger ward (or an island district that had no wards) with its old codes.

    ``whole`` is False when the old ward was split across several new wards.
    For the island districts (Côn Đảo, Lý Sơn, ...) ``name`` is the district's name and
    ``code`` is None, as they had no wards.
    """

    name: str
    code: str | None
    district_name: str
    district_code: str
    province_name: str
    province_code: str
    whole: bool


@dataclass(frozen=True)
class _Catalogue:
    provinces: tuple[Province, ...]
    wards: tuple[Ward, ...]
    province_by_code: MappingProxyType[str, Province]
    ward_by_code: MappingProxyType[str, Ward]
    # The package's converter speaks in keys, "tinhbacninh" + "phuongnenh".
    ward_by_key: MappingProxyType[tuple[str, str], Ward]
    province_by_key: MappingProxyType[str, Province]


@dataclass(frozen=True)
class _Legacy:
    by_key: MappingProxyType[str, LegacyUnit]  # "tinhbacgiang_thixavietyen_phuongnenh"
    by_code: MappingProxyType[str, LegacyUnit]
    merged_into: MappingProxyType[str, tuple[LegacyUnit, ...]]  # new ward code -> old units
    # old key -> new wards (default first), for the whole and the split old wards
    new_wards_of: MappingProxyType[str, tuple[Ward, ...]]


def provinces() -> list[Province]:
    """Return the 34 provinces of the 2025 catalogue, ordered by code."""
    return list(_catalogue().provinces)


def province(code: str) -> Province:
    """Return the province with the 2-digit ``code``.

    :raises motcua.errors.NotFound: the code is not in the 2025 catalogue.
    """
    found = _catalogue().province_by_code.get(str(code).strip())
    if found is None:
        raise NotFound(
            T(
                "Không có tỉnh, thành phố mã “{code}” trong danh mục 2025 (Quyết định "
                "19/2025/QĐ-TTg). Mã tỉnh gồm 2 chữ số, ví dụ “24” là tỉnh Bắc Ninh.",
                "There is no province with code “{code}” in the 2025 catalogue (Decision "
                "19/2025/QD-TTg). Province codes have 2 digits, e.g. “24” is Bắc Ninh.",
                code=code,
            ),
            field="province_code",
        )
    return found


def wards(province_code: str | None = None) -> list[Ward]:
    """Return the wards of the 2025 catalogue, ordered by code, all 3,321 or one province's.

    :raises motcua.errors.NotFound: ``province_code`` is given and unknown.
    """
    if province_code is None:
        return list(_catalogue().wards)
    wanted = province(province_code).code
    return [w for w in _catalogue().wards if w.province_code == wanted]


def ward(code: str) -> Ward:
    """Return the ward with the 5-digit ``code``.

    :raises motcua.errors.NotFound: the code is not in the 2025 catalogue.
    """
    found = _catalogue().ward_by_code.get(str(code).strip())
    if found is None:
        raise NotFound(
            T(
                "Không có xã, phường mã “{code}” trong danh mục 2025 (Quyết định "
                "19/2025/QĐ-TTg). Mã xã, phường gồm 5 chữ số, ví dụ “07795” là Phường "
                "Nếnh; mã của đơn vị cũ trước sáp nhập không còn dùng được.",
                "There is no ward with code “{code}” in the 2025 catalogue (Decision "
                "19/2025/QD-TTg). Ward codes have 5 digits, e.g. “07795” is Phường Nếnh; "
                "codes of pre-merger units are no longer valid.",
                code=code,
            ),
            field="ward_code",
        )
    return found


def legacy_unit(code: str) -> LegacyUnit:
    """Return the pre-merger ward with the 5-digit old ``code``.

    :raises motcua.errors.NotFound: no pre-merger ward had that code.
    """
    found = _legacy().by_code.get(str(code).strip())
    if found is None:
        raise NotFound(
            T(
                "Không có xã, phường cũ (trước sáp nhập 2025) mang mã “{code}”.",
                "No pre-merger ward (before the 2025 merger) had code “{code}”.",
                code=code,
            ),
            field="code",
        )
    return found


def merged_from(ward_code: str) -> list[LegacyUnit]:
    """Return the old units merged into the new ward: whole ones first, then parts of split ones.

    :raises motcua.errors.NotFound: ``ward_code`` is not in the 2025 catalogue.
    """
    code = ward(ward_code).code
    return list(_legacy().merged_into.get(code, ()))


def new_wards_of_legacy_key(old_key: str) -> list[Ward]:
    """Return the new wards an old unit went into, the package's default first.

    ``old_key`` is the package's "province_district_ward" key; an unknown key gives [].
    """
    return list(_legacy().new_wards_of.get(old_key, ()))


def legacy_by_key(old_key: str) -> LegacyUnit | None:
    """Return the old unit with the package's "province_district_ward" key, or None."""
    return _legacy().by_key.get(old_key)


def new_province_of_legacy_key(old_province_key: str) -> Province | None:
    """Return the 2025 province an old province (by package key) belongs to, or None."""
    for new_key, old_keys in _converter()["DICT_PROVINCE"].items():
        if old_province_key in old_keys:
            return _catalogue().province_by_key.get(new_key)
    return None


def _data_dir() -> Path:
    # find_spec does not run the package's __init__, which loads its parser data and geopy.
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the package `vietnamadminunits` is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _rows(table: str, columns: str) -> list[sqlite3.Row]:
    uri = (_data_dir() / "dataset.db").as_uri() + "?mode=ro"
    with sqlite3.connect(uri, uri=True) as connection:
        connection.row_factory = sqlite3.Row
        return connection.execute(f"SELECT {columns} FROM {table}").fetchall()  # noqa: S608


@functools.cache
def _converter() -> dict[str, Any]:
    with open(_data_dir() / "converter_2025.json", encoding="utf-8") as handle:
        return json.load(handle)


@functools.cache
def _catalogue() -> _Catalogue:
    rows = _rows(
        "admin_units",
        "province, provinceShort, provinceCode, provinceKey, "
        "ward, wardShort, wardType, wardCode, wardKey",
    )
    province_rows = {row["provinceCode"]: row for row in rows}
    all_provinces = tuple(
        Province(
            code=row["provinceCode"],
            name=row["province"],
            short_name=row["provinceShort"],
            slug=slugify(row["provinceShort"]),
        )
        for _, row in sorted(province_rows.items())
    )
    province_by_code = {p.code: p for p in all_provinces}
    rows = sorted(rows, key=lambda row: row["wardCode"])
    slugs = _ward_slugs(rows, province_by_code)
    all_wards = []
    ward_by_key = {}
    for row in rows:
        unit = Ward(
            code=row["wardCode"],
            name=row["ward"],
            short_name=row["wardShort"],
            kind=row["wardType"],
            province_code=row["provinceCode"],
            slug=slugs[row["wardCode"]],
        )
        all_wards.append(unit)
        ward_by_key[(row["provinceKey"], row["wardKey"])] = unit
    province_by_key = {
        row["provinceKey"]: province_by_code[code] for code, row in province_rows.items()
    }
    return _Catalogue(
        provinces=all_provinces,
        wards=tuple(all_wards),
        province_by_code=MappingProxyType(province_by_code),
        ward_by_code=MappingProxyType({w.code: w for w in all_wards}),
        ward_by_key=MappingProxyType(ward_by_key),
        province_by_key=MappingProxyType(province_by_key),
    )


def _ward_slugs(rows: list[sqlite3.Row], province_by_code: dict[str, Province]) -> dict[str, str]:
    """Return ward code -> slug, unique across the catalogue and readable.

    Names repeat across provinces ("Xã Tân Thành"), so those wards carry their
    province's slug too; a few names in one province differ only by diacritics ("Xã Ba
    Tơ", "Xã Ba Tô", both in Quảng Ngãi), so those carry their code as well.
    """
    base = {row["wardCode"]: slugify(row["ward"]) for row in rows}
    base_counts = Counter(base.values())
    with_province = {
        row["wardCode"]: (
            f"{base[row['wardCode']]}-{province_by_code[row['provinceCode']].slug}"
            if base_counts[base[row["wardCode"]]] > 1
            else base[row["wardCode"]]
        )
        for row in rows
    }
    counts = Counter(with_province.values())
    return {
        code: slug if counts[slug] == 1 else f"{slug}-{code}"
        for code, slug in with_province.items()
    }


@functools.cache
def _legacy() -> _Legacy:
    converter = _converter()
    catalogue = _catalogue()
    split_keys = {
        old_key
        for by_old_key in converter["DICT_PROVINCE_WARD_DIVIDED"].values()
        for old_key in by_old_key
    }
    by_key: dict[str, LegacyUnit] = {}
    for row in _rows(
        "admin_units_legacy",
        "province, provinceCode, provinceKey, district, districtCode, districtKey, "
        "ward, wardCode, wardKey",
    ):
        key = f"{row['provinceKey']}_{row['districtKey']}_{row['wardKey'] or ''}"
        by_key[key] = LegacyUnit(
            name=row["ward"] or row["district"],
            code=row["wardCode"],
            district_name=row["district"],
            district_code=row["districtCode"],
            province_name=row["province"],
            province_code=row["provinceCode"],
            whole=key not in split_keys,
        )

    merged_into: dict[str, list[LegacyUnit]] = {}
    new_wards_of: dict[str, list[Ward]] = {}
    for province_key, by_new_key in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_key, old_keys in by_new_key.items():
            new_ward = catalogue.ward_by_key[(province_key, new_key)]
            for old_key in old_keys:
                merged_into.setdefault(new_ward.code, []).append(by_key[old_key])
                new_wards_of[old_key] = [new_ward]
    for province_key, by_old_key in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, parts in by_old_key.items():
            # The package's default new ward goes first, the rest keep the file's order.
            ordered = sorted(parts, key=lambda part: not part["isDefaultNewWard"])
            for part in ordered:
                new_ward = catalogue.ward_by_key[(province_key, part["newWardKey"])]
                merged_into.setdefault(new_ward.code, []).append(by_key[old_key])
                new_wards_of.setdefault(old_key, []).append(new_ward)
    return _Legacy(
        by_key=MappingProxyType(by_key),
        by_code=MappingProxyType({u.code: u for u in by_key.values() if u.code}),
        merged_into=MappingProxyType({k: tuple(v) for k, v in merged_into.items()}),
        new_wards_of=MappingProxyType({k: tuple(v) for k, v in new_wards_of.items()}),
    )
