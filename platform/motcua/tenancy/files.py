"""Tenant files: one TOML file per hosted ward, ``tenants/<slug>.toml``.

Tệp đơn vị: mỗi xã, phường được phục vụ có một tệp TOML. / One file per hosted ward::

    # Phường Nếnh — tỉnh Bắc Ninh
    code = "07795"            # mã 5 chữ số, Quyết định 19/2025/QĐ-TTg (bắt buộc)
    catalogue = "2025-07-01"  # ngày của danh mục mà mã thuộc về (bắt buộc)
    name = "Phường Nếnh"      # phải trùng tên trong danh mục (bắt buộc)
    slug = "phuong-nenh"      # tùy chọn; mặc định là slug của danh mục
    agency_code = ""          # mã định danh điện tử (QĐ 20/2020/QĐ-TTg), tùy chọn
    address = ""              # địa chỉ trung tâm
    phone = ""
    office_hours = ["07:00-11:30", "13:30-17:00"]   # tùy chọn, đây là mặc định
    cutoff = "15:00"          # tùy chọn; hồ sơ nhận sau giờ này chuyển ngày làm việc sau

    [[merged_from]]           # các đơn vị cũ đã sáp nhập vào (lặp lại)
    name = "Phường Nếnh"
    code = "07795"            # mã xã cũ; bỏ trống khi không có (huyện đảo)
    district = "Thị xã Việt Yên"
    province = "Tỉnh Bắc Giang"

    [[reception_points]]      # ít nhất một điểm tiếp nhận
    key = "nenh"
    name = "Điểm tiếp nhận Nếnh"
    address = ""

      [[reception_points.counters]]
      key = "q1"
      name = "Quầy 1 — Tư pháp, hộ tịch"
      fields = ["tu-phap"]    # khóa trong motcua.tenancy.field_areas

    [[calendar]]              # ngày nghỉ hoặc ngày làm bù riêng của xã, phường
    date = 2026-12-31
    working = false
    note = ""

Every check names the file and the line, in Vietnamese then English: TOML syntax, unknown
keys, a code that is not 5 digits or not in the catalogue, a name that differs from the
catalogue, old codes not in the pre-merger catalogue, office hours, duplicate keys and
calendar dates. ``tomllib`` gives no positions, so lines are found by scanning the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from typing import Any

from motcua.errors import NotFound
from motcua.tenancy.field_areas import field_area_keys
from motcua.tenancy.file_reader import BOOLEAN, FileReader, Section, TenantFileError, display_path
from motcua.units import CATALOGUE_DATE, Ward, legacy_unit, ward

__all__ = [
    "DEFAULT_CUTOFF",
    "DEFAULT_OFFICE_HOURS",
    "CalendarEntrySpec",
    "CounterSpec",
    "MergedUnitSpec",
    "OfficeHoursSpec",
    "ReceptionPointSpec",
    "TenantFileError",
    "TenantSpec",
    "load_tenant_dir",
    "load_tenant_file",
]

#: "HH:MM-HH:MM" strings, in order, e.g. ("07:00-11:30", "13:30-17:00").
OfficeHoursSpec = tuple[str, ...]

DEFAULT_OFFICE_HOURS: OfficeHoursSpec = ("07:00-11:30", "13:30-17:00")
DEFAULT_CUTOFF = "15:00"

_CLOCK = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_KEY = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_AGENCY_CODE = re.compile(r"^[A-Z0-9]+(\.[A-Z0-9]+)*$")


@dataclass(frozen=True)
class MergedUnitSpec:
    """An old unit merged into the ward; ``code`` is None for units that had none."""

    name: str
    code: str | None
    district: str
    province: str


@dataclass(frozen=True)
class CounterSpec:
    """A counter (quầy); ``fields`` are keys of :mod:`motcua.tenancy.field_areas`."""

    key: str
    name: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class ReceptionPointSpec:
    """A place where the ward receives dossiers, with its counters."""

    key: str
    name: str
    address: str
    counters: tuple[CounterSpec, ...]


@dataclass(frozen=True)
class CalendarEntrySpec:
    """A ward's own day off (``working`` False) or extra working day (True)."""

    day: date
    working: bool
    note: str


@dataclass(frozen=True)
class TenantSpec:
    """A parsed, checked tenant file; ``source`` is the file it came from."""

    code: str
    catalogue: date
    name: str
    slug: str
    province_code: str
    agency_code: str
    address: str
    phone: str
    office_hours: OfficeHoursSpec
    cutoff: str
    merged_from: tuple[MergedUnitSpec, ...]
    reception_points: tuple[ReceptionPointSpec, ...]
    calendar: tuple[CalendarEntrySpec, ...]
    source: Path


def load_tenant_dir(path: Path) -> list[TenantSpec]:
    """Return the tenants of every ``*.toml`` file in ``path``, in file-name order.

    :raises TenantFileError: a file is wrong, or two files use the same code or slug.
    """
    specs: list[TenantSpec] = []
    for file in sorted(Path(path).glob("*.toml")):
        spec = load_tenant_file(file)
        for other in specs:
            for key in ("code", "slug"):
                value = getattr(spec, key)
                if value != getattr(other, key):
                    continue
                reader = FileReader(file, file.read_text(encoding="utf-8"))
                raise reader.error(
                    reader.line_of(reader.top({}), key),
                    "{key} `{value}` đã được dùng trong {other}; mỗi xã, phường chỉ có một tệp",
                    "{key} `{value}` is already used in {other}; each ward has one file only",
                    key=key,
                    value=value,
                    other=display_path(other.source),
                )
        specs.append(spec)
    return specs


def load_tenant_file(path: Path) -> TenantSpec:
    """Return the checked contents of one tenant file.

    :raises TenantFileError: the file is not UTF-8 or not TOML, or breaks a rule of the
        format; the message names the file and the line.
    """
    reader, data = _TenantReader.open(path)
    return reader.tenant(data)


class _TenantReader(FileReader):
    """The rules of the tenant format, on top of the line-aware reader."""

    def tenant(self, data: dict[str, Any]) -> TenantSpec:
        top = self.top(data)
        self.keys(
            top,
            (
                "code", "catalogue", "name", "slug", "agency_code", "address", "phone",
                "office_hours", "cutoff", "merged_from", "reception_points", "calendar",
            ),
            ("code", "catalogue", "name"),
        )  # fmt: skip
        unit = self.catalogue_ward(top)
        slug = self.string(top, "slug", unit.slug)
        if not _KEY.match(slug):
            raise self.error(
                self.line_of(top, "slug"),
                "slug `{slug}` chỉ được gồm chữ thường không dấu, chữ số và dấu gạch ngang, ví dụ `{example}`",
                "slug `{slug}` may only hold lower-case letters without accents, digits and hyphens, e.g. `{example}`",
                slug=slug,
                example=unit.slug,
            )
        agency_code = self.string(top, "agency_code")
        if agency_code and not _AGENCY_CODE.match(agency_code):
            raise self.error(
                self.line_of(top, "agency_code"),
                "mã định danh `{value}` không hợp lệ: gồm các nhóm chữ in hoa A-Z và chữ số, "
                "ngăn cách bởi dấu chấm (Quyết định 20/2020/QĐ-TTg); để trống nếu chưa có",
                "agency code `{value}` is invalid: groups of capitals A-Z and digits separated "
                "by dots (Decision 20/2020/QD-TTg); leave it empty if there is none",
                value=agency_code,
            )
        return TenantSpec(
            code=unit.code,
            catalogue=CATALOGUE_DATE,
            name=unit.name,
            slug=slug,
            province_code=unit.province_code,
            agency_code=agency_code,
            address=self.string(top, "address"),
            phone=self.string(top, "phone"),
            office_hours=self.office_hours(top),
            cutoff=self.clock(top, "cutoff", DEFAULT_CUTOFF),
            merged_from=tuple(
                self.merged_unit(item, i, top)
                for i, item in enumerate(self.table_list(top, "merged_from"))
            ),
            reception_points=self.reception_points(top),
            calendar=self.calendar(top),
            source=self.path,
        )

    def catalogue_ward(self, top: Section) -> Ward:
        catalogue = top.data["catalogue"]
        if str(catalogue).strip() != CATALOGUE_DATE.isoformat():
            raise self.error(
                self.line_of(top, "catalogue"),
                'danh mục `{value}` không được hỗ trợ; hãy ghi "{expected}" (Quyết định 19/2025/QĐ-TTg)',
                'catalogue `{value}` is not supported; write "{expected}" (Decision 19/2025/QD-TTg)',
                value=catalogue,
                expected=CATALOGUE_DATE.isoformat(),
            )
        code = self.string(top, "code")
        line = self.line_of(top, "code")
        if not re.fullmatch(r"\d{5}", code):
            raise self.error(
                line,
                'mã `{code}` phải gồm đúng 5 chữ số, ví dụ "07795" (giữ số 0 ở đầu)',
                'code `{code}` must be exactly 5 digits, e.g. "07795" (keep the leading zero)',
                code=code,
            )
        try:
            unit = ward(code)
        except NotFound:
            raise self.error(
                line,
                "mã `{code}` không có trong danh mục 2025",
                "code `{code}` is not in the 2025 catalogue",
                code=code,
            ) from None
        name = self.string(top, "name")
        if name != unit.name:
            raise self.error(
                self.line_of(top, "name"),
                "tên `{name}` khác với danh mục 2025, nơi mã {code} là `{expected}`",
                "name `{name}` differs from the 2025 catalogue, which calls code {code} `{expected}`",
                name=name,
                code=code,
                expected=unit.name,
            )
        return unit

    def clock(self, section: Section, key: str, default: str) -> str:
        value = self.string(section, key, default)
        if not _CLOCK.match(value):
            raise self.error(
                self.line_of(section, key),
                "giờ `{value}` phải có dạng HH:MM, ví dụ 15:00",
                "time `{value}` must look like HH:MM, e.g. 15:00",
                value=value,
            )
        return value

    def office_hours(self, top: Section) -> OfficeHoursSpec:
        periods = self.strings(top, "office_hours", DEFAULT_OFFICE_HOURS)
        line = self.line_of(top, "office_hours")
        if not periods:
            raise self.error(
                line, "giờ làm việc cần ít nhất một buổi", "office hours need at least one period"
            )
        previous_end: time | None = None
        for period in periods:
            opens, _, closes = period.replace(" ", "").partition("-")
            if not (_CLOCK.match(opens) and _CLOCK.match(closes)):
                raise self.error(
                    line,
                    'buổi làm việc `{value}` phải có dạng HH:MM-HH:MM, ví dụ "07:00-11:30"',
                    'office period `{value}` must look like HH:MM-HH:MM, e.g. "07:00-11:30"',
                    value=period,
                )
            start, end = time.fromisoformat(opens), time.fromisoformat(closes)
            if end <= start or (previous_end is not None and start < previous_end):
                raise self.error(
                    line,
                    "buổi làm việc `{value}` kết thúc trước khi bắt đầu, hoặc chồng lên buổi trước; "
                    "các buổi phải theo thứ tự",
                    "office period `{value}` ends before it starts or overlaps the one before; "
                    "periods must be in order",
                    value=period,
                )
            previous_end = end
        return tuple(period.replace(" ", "") for period in periods)

    def merged_unit(self, data: Any, index: int, top: Section) -> MergedUnitSpec:
        section = self.section(data, "merged_from", index, top, (1, len(self.lines) + 1))
        self.keys(section, ("name", "code", "district", "province"), ("name",))
        name = self.string(section, "name")
        code = self.string(section, "code") or None
        district = self.string(section, "district")
        province = self.string(section, "province")
        if code is not None:
            try:
                old = legacy_unit(code)
            except NotFound:
                raise self.error(
                    self.line_of(section, "code"),
                    "mã `{code}` không có trong danh mục xã, phường cũ (trước sáp nhập 2025)",
                    "code `{code}` is not in the catalogue of pre-merger wards (before the 2025 merger)",
                    code=code,
                ) from None
            if name != old.name:
                raise self.error(
                    self.line_of(section, "name"),
                    "đơn vị cũ mã {code} có tên `{expected}` trong danh mục, không phải `{name}`",
                    "the old unit with code {code} is called `{expected}` in the catalogue, not `{name}`",
                    code=code,
                    expected=old.name,
                    name=name,
                )
            district = district or old.district_name
            province = province or old.province_name
        return MergedUnitSpec(name=name, code=code, district=district, province=province)

    def reception_points(self, top: Section) -> tuple[ReceptionPointSpec, ...]:
        items = self.table_list(top, "reception_points")
        if not items:
            raise self.error(
                top.first,
                "cần ít nhất một điểm tiếp nhận [[reception_points]]",
                "at least one reception point [[reception_points]] is needed",
            )
        everything = (1, len(self.lines) + 1)
        starts = self.tables("reception_points", everything) + [len(self.lines) + 1]
        points: list[ReceptionPointSpec] = []
        for index, data in enumerate(items):
            section = self.section(data, "reception_points", index, top, everything)
            self.keys(section, ("key", "name", "address", "counters"), ("key", "name"))
            key = self.key(section, (point.key for point in points))
            within = (section.first, starts[index + 1]) if index + 1 < len(starts) else everything
            counters: list[CounterSpec] = []
            for counter_index, counter_data in enumerate(self.table_list(section, "counters")):
                counter = self.section(
                    counter_data, "reception_points.counters", counter_index, section, within
                )
                self.keys(counter, ("key", "name", "fields"), ("key", "name"))
                counters.append(
                    CounterSpec(
                        key=self.key(counter, (c.key for c in counters)),
                        name=self.string(counter, "name"),
                        fields=self.fields(counter),
                    )
                )
            points.append(
                ReceptionPointSpec(
                    key=key,
                    name=self.string(section, "name"),
                    address=self.string(section, "address"),
                    counters=tuple(counters),
                )
            )
        return tuple(points)

    def key(self, section: Section, taken: Any) -> str:
        key = self.string(section, "key")
        line = self.line_of(section, "key")
        if not _KEY.match(key):
            raise self.error(
                line,
                'key `{key}` chỉ được gồm chữ thường không dấu, chữ số và dấu gạch ngang, ví dụ "van-trung"',
                'key `{key}` may only hold lower-case letters without accents, digits and hyphens, e.g. "van-trung"',
                key=key,
            )
        if key in set(taken):
            raise self.error(
                line,
                "key `{key}` bị trùng trong {where}; mỗi mục cần một key riêng",
                "key `{key}` is used twice in {where}; each entry needs its own key",
                key=key,
                where=section.label,
            )
        return key

    def fields(self, counter: Section) -> tuple[str, ...]:
        fields = self.strings(counter, "fields")
        known = field_area_keys()
        for field in fields:
            if field not in known:
                raise self.error(
                    self.line_of(counter, "fields"),
                    "lĩnh vực `{field}` không có; các lĩnh vực: {keys}",
                    "there is no field area `{field}`; the field areas are: {keys}",
                    field=field,
                    keys=", ".join(known),
                )
        return fields

    def calendar(self, top: Section) -> tuple[CalendarEntrySpec, ...]:
        entries: list[CalendarEntrySpec] = []
        for index, data in enumerate(self.table_list(top, "calendar")):
            section = self.section(data, "calendar", index, top, (1, len(self.lines) + 1))
            self.keys(section, ("date", "working", "note"), ("date", "working"))
            value = section.data["date"]
            day = (
                value
                if isinstance(value, date) and not hasattr(value, "hour")
                else _iso_date(value)
            )
            line = self.line_of(section, "date")
            if day is None:
                raise self.error(
                    line,
                    "ngày `{value}` không hợp lệ; hãy ghi dạng YYYY-MM-DD, ví dụ 2026-12-31",
                    "date `{value}` is invalid; write it as YYYY-MM-DD, e.g. 2026-12-31",
                    value=value,
                )
            if any(entry.day == day for entry in entries):
                raise self.error(
                    line,
                    "ngày {day} được khai báo hai lần trong [[calendar]]",
                    "the date {day} is listed twice in [[calendar]]",
                    day=day.isoformat(),
                )
            if not isinstance(section.data["working"], bool):
                raise self.wrong_type(section, "working", BOOLEAN)
            entries.append(
                CalendarEntrySpec(
                    day=day, working=section.data["working"], note=self.string(section, "note")
                )
            )
        return tuple(entries)


def _iso_date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return (
            date.fromisoformat(value.strip())
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip())
            else None
        )
    except ValueError:
        return None
