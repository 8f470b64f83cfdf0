"""Tenant files: the shipped ones load, and every mistake names the file and the line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from motcua.tenancy.field_areas import field_area, field_area_keys
from motcua.tenancy.files import (
    DEFAULT_OFFICE_HOURS,
    TenantFileError,
    load_tenant_dir,
    load_tenant_file,
)

TENANTS = Path(__file__).resolve().parent.parent / "tenants"

GOOD = """\
# Phường Nếnh — tỉnh Bắc Ninh
code = "07795"
catalogue = "2025-07-01"
name = "Phường Nếnh"
address = "Số 1, phường Nếnh"
office_hours = ["07:30-11:30", "13:30-17:00"]
cutoff = "16:00"

[[merged_from]]
name = "Phường Vân Trung"
code = "07801"

[[merged_from]]
name = "Huyện Côn Đảo"

[[reception_points]]
key = "nenh"
name = "Điểm tiếp nhận Nếnh"

  [[reception_points.counters]]
  key = "q1"
  name = "Quầy 1"
  fields = ["tu-phap"]

  [[reception_points.counters]]
  key = "q2"
  name = "Quầy 2"
  fields = ["dat-dai", "xay-dung"]

[[reception_points]]
key = "van-trung"
name = "Điểm tiếp nhận Vân Trung"

  [[reception_points.counters]]
  key = "q1"
  name = "Quầy 1"
  fields = ["tong-hop"]

[[calendar]]
date = 2026-12-31
working = false
note = "Nghỉ theo quyết định của UBND phường"
"""


def write(tmp_path: Path, text: str, name: str = "phuong-nenh.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def fails(tmp_path: Path, text: str) -> TenantFileError:
    path = write(tmp_path, text)
    with pytest.raises(TenantFileError) as caught:
        load_tenant_file(path)
    return caught.value


def test_shipped_tenant_files_load():
    specs = load_tenant_dir(TENANTS)
    by_slug = {spec.slug: spec for spec in specs}
    assert set(by_slug) >= {
        "phuong-yen-tu",
        "phuong-nenh",
        "phuong-phuong-lieu",
        "phuong-truong-thi",
        "phuong-nam-hoa-lu",
        "xa-phat-diem",
        "xa-khanh-khe",
        "phuong-tam-thanh",
    }
    assert [spec.source.name for spec in specs] == sorted(spec.source.name for spec in specs)
    for spec in specs:
        assert spec.source.name == f"{spec.slug}.toml"
        assert spec.merged_from and spec.reception_points
        assert all(2 <= len(point.counters) <= 4 for point in spec.reception_points)
    nenh = by_slug["phuong-nenh"]
    assert nenh.code == "07795" and nenh.province_code == "24"
    assert [p.key for p in nenh.reception_points] == ["nenh", "van-trung"]
    assert {m.code for m in nenh.merged_from} >= {"07795", "07801"}
    assert by_slug["phuong-yen-tu"].province_code == "22"
    assert by_slug["phuong-tam-thanh"].code == "05986"


def test_good_file_parses_every_part(tmp_path):
    spec = load_tenant_file(write(tmp_path, GOOD))
    assert (spec.code, spec.name, spec.slug, spec.catalogue) == (
        "07795",
        "Phường Nếnh",
        "phuong-nenh",
        date(2025, 7, 1),
    )
    assert spec.address == "Số 1, phường Nếnh"
    assert spec.office_hours == ("07:30-11:30", "13:30-17:00")
    assert spec.cutoff == "16:00"
    assert spec.agency_code == ""
    van_trung, con_dao = spec.merged_from
    assert (van_trung.code, van_trung.district, van_trung.province) == (
        "07801",
        "Thị Xã Việt Yên",
        "Tỉnh Bắc Giang",
    )
    assert con_dao.code is None
    assert [c.fields for c in spec.reception_points[0].counters] == [
        ("tu-phap",),
        ("dat-dai", "xay-dung"),
    ]
    assert spec.reception_points[1].counters[0].key == "q1"
    (entry,) = spec.calendar
    assert (entry.day, entry.working) == (date(2026, 12, 31), False)


def test_defaults(tmp_path):
    text = 'code = "07795"\ncatalogue = 2025-07-01\nname = "Phường Nếnh"\n'
    text += '[[reception_points]]\nkey = "a"\nname = "A"\n'
    spec = load_tenant_file(write(tmp_path, text))
    assert spec.office_hours == DEFAULT_OFFICE_HOURS
    assert spec.cutoff == "15:00"
    assert spec.merged_from == () and spec.calendar == ()
    assert spec.reception_points[0].counters == ()


def test_unknown_ward_code(tmp_path):
    error = fails(tmp_path, GOOD.replace('code = "07795"', 'code = "07796"', 1))
    assert error.text.render("vi").endswith(
        "phuong-nenh.toml, dòng 2: mã `07796` không có trong danh mục 2025"
    )
    assert error.text.render("en").endswith(
        "phuong-nenh.toml, line 2: code `07796` is not in the 2025 catalogue"
    )
    assert error.details["line"] == 2
    assert error.details["file"].endswith("phuong-nenh.toml")


@pytest.mark.parametrize(
    ("old", "new", "line", "vi", "en"),
    [
        ('code = "07795"', 'code = "7795"', 2, "phải gồm đúng 5 chữ số", "exactly 5 digits"),
        ('code = "07795"', "code = 7795", 2, "`code` phải là", "`code` must be"),
        ('name = "Phường Nếnh"', 'name = "Phường Nênh"', 4, "là `Phường Nếnh`", "`Phường Nếnh`"),
        ('catalogue = "2025-07-01"', 'catalogue = "2026-01-01"', 3, "danh mục", "catalogue"),
        ('address = "Số', 'adress = "Số', 5, "khóa `adress`", "unknown key `adress`"),
        ('"07:30-11:30"', '"7:30-11:30"', 6, "HH:MM-HH:MM", "HH:MM-HH:MM"),
        ('"07:30-11:30"', '"14:00-15:00"', 6, "chồng lên", "overlaps"),
        ('"07:30-11:30"', '"11:30-07:30"', 6, "kết thúc trước", "ends before"),
        ('cutoff = "16:00"', 'cutoff = "4pm"', 7, "HH:MM", "HH:MM"),
        ('code = "07801"', 'code = "99999"', 11, "xã, phường cũ", "pre-merger wards"),
        (
            'name = "Phường Vân Trung"',
            'name = "Xã Vân Trung"',
            10,
            "`Phường Vân Trung`",
            "not `Xã Vân Trung`",
        ),
        ('key = "van-trung"', 'key = "nenh"', 31, "key `nenh` bị trùng", "used twice"),
        ('key = "q2"', 'key = "q1"', 26, "key `q1` bị trùng", "used twice"),
        ('key = "q2"', 'key = "Quầy 2"', 26, "chữ thường không dấu", "lower-case"),
        (
            'fields = ["tong-hop"]',
            'fields = ["ho-tich"]',
            37,
            "lĩnh vực `ho-tich`",
            "no field area",
        ),
        ("date = 2026-12-31", 'date = "31/12/2026"', 40, "YYYY-MM-DD", "YYYY-MM-DD"),
        ("date = 2026-12-31", 'date = "2026-02-30"', 40, "không hợp lệ", "is invalid"),
        ("working = false", 'working = "no"', 41, "true hoặc false", "true or false"),
        (
            '  fields = ["tu-phap"]',
            '  fields = ["tu-phap"]\n  colour = "red"',
            24,
            "`colour`",
            "`colour`",
        ),
    ],
)
def test_each_mistake_names_file_and_line(tmp_path, old, new, line, vi, en):
    assert old in GOOD
    error = fails(tmp_path, GOOD.replace(old, new, 1))
    assert error.text.render("vi").startswith(
        f"{tmp_path.as_posix()}/phuong-nenh.toml, dòng {line}: "
    )
    assert f", line {line}: " in error.text.render("en")
    assert vi in error.text.render("vi")
    assert en in error.text.render("en")


def test_toml_syntax_error_gives_line(tmp_path):
    error = fails(tmp_path, GOOD.replace('cutoff = "16:00"', "cutoff = 16:00 xx", 1))
    assert ", dòng 7: lỗi cú pháp TOML" in error.text.render("vi")
    assert error.details["line"] == 7


def test_not_utf8(tmp_path):
    path = tmp_path / "x.toml"
    path.write_bytes(
        'code = "07795"\nname = "Phường Nếnh"\n'.encode("cp1258", errors="replace") + b"\xff"
    )
    with pytest.raises(TenantFileError, match="UTF-8"):
        load_tenant_file(path)


def test_duplicate_calendar_date(tmp_path):
    text = GOOD + '\n[[calendar]]\ndate = "2026-12-31"\nworking = true\n'
    error = fails(tmp_path, text)
    assert ", dòng 45: ngày 2026-12-31 được khai báo hai lần" in error.text.render("vi")


def test_missing_required_key_and_no_reception_point(tmp_path):
    error = fails(tmp_path, GOOD.replace('name = "Phường Nếnh"\n', "", 1))
    assert "thiếu khóa bắt buộc `name`" in error.text.render("vi")
    head = GOOD[: GOOD.index("[[reception_points]]")]
    error = fails(tmp_path, head)
    assert "ít nhất một điểm tiếp nhận" in error.text.render("vi")


def test_agency_code_format(tmp_path):
    good = GOOD.replace('cutoff = "16:00"', 'cutoff = "16:00"\nagency_code = "000.00.12.H10"', 1)
    assert load_tenant_file(write(tmp_path, good)).agency_code == "000.00.12.H10"
    error = fails(tmp_path, good.replace("000.00.12.H10", "h10 12"))
    assert ", dòng 8: mã định danh `h10 12`" in error.text.render("vi")


def test_inline_tables_still_point_at_a_line(tmp_path):
    head = GOOD[: GOOD.index("[[merged_from]]")]
    text = head + 'merged_from = [{ name = "X", code = "00000" }]\n'
    text += 'reception_points = [{ key = "a", name = "A" }]\n'
    error = fails(tmp_path, text)
    assert error.details["line"] == 9
    assert "`00000`" in error.text.render("vi")


def test_dir_refuses_duplicate_code_and_slug(tmp_path):
    write(tmp_path, GOOD, "a.toml")
    write(
        tmp_path,
        GOOD.replace('name = "Phường Nếnh"', 'name = "Phường Nếnh"\nslug = "nenh-2"'),
        "b.toml",
    )
    with pytest.raises(TenantFileError) as caught:
        load_tenant_dir(tmp_path)
    assert "b.toml, dòng 2: code `07795` đã được dùng trong" in caught.value.text.render("vi")
    assert "a.toml" in caught.value.text.render("vi")
    other = GOOD.replace('code = "07795"', 'code = "07210"', 1)
    other = other.replace('name = "Phường Nếnh"', 'name = "Phường Bắc Giang"', 1)
    (tmp_path / "b.toml").unlink()
    write(
        tmp_path,
        other.replace(
            'name = "Phường Bắc Giang"', 'name = "Phường Bắc Giang"\nslug = "phuong-nenh"'
        ),
        "c.toml",
    )
    with pytest.raises(TenantFileError, match="slug `phuong-nenh`"):
        load_tenant_dir(tmp_path)


def test_field_areas():
    assert field_area_keys() == (
        "tu-phap",
        "dat-dai",
        "kinh-doanh",
        "xay-dung",
        "lao-dong-xa-hoi",
        "tong-hop",
    )
    assert field_area("dat-dai").name.render("vi") == "Đất đai"
    assert field_area("dat-dai").name.render("en") == "Land"
    with pytest.raises(Exception, match="ho-tich"):
        field_area("ho-tich")
