"""The 2025 unit catalogue, its legacy mapping and offline old-address conversion."""

from __future__ import annotations

from datetime import date

import pytest

from motcua import units
from motcua.errors import NotFound

DEMO_WARDS = {
    "06832": ("Phường Yên Tử", "22", "Tỉnh Quảng Ninh"),
    "07795": ("Phường Nếnh", "24", "Tỉnh Bắc Ninh"),
    "09265": ("Phường Phương Liễu", "24", "Tỉnh Bắc Ninh"),
    "13777": ("Phường Trường Thi", "37", "Tỉnh Ninh Bình"),
    "14359": ("Phường Nam Hoa Lư", "37", "Tỉnh Ninh Bình"),
    "14620": ("Xã Phát Diệm", "37", "Tỉnh Ninh Bình"),
    "06286": ("Xã Khánh Khê", "20", "Tỉnh Lạng Sơn"),
    "05986": ("Phường Tam Thanh", "20", "Tỉnh Lạng Sơn"),
}


def test_catalogue_counts_and_date():
    assert date(2025, 7, 1) == units.CATALOGUE_DATE
    assert len(units.provinces()) == 34
    assert len(units.wards()) == 3321
    assert {w.kind for w in units.wards()} == {"Phường", "Xã", "Đặc khu"}
    assert all(len(p.code) == 2 and p.code.isdigit() for p in units.provinces())
    assert all(len(w.code) == 5 and w.code.isdigit() for w in units.wards())


def test_province_fields():
    bac_ninh = units.province("24")
    assert bac_ninh == units.Province("24", "Tỉnh Bắc Ninh", "Bắc Ninh", "bac-ninh")
    assert units.province("01").name == "Thành phố Hà Nội"
    assert len({p.slug for p in units.provinces()}) == 34


@pytest.mark.parametrize(("code", "expected"), DEMO_WARDS.items())
def test_demo_wards(code, expected):
    name, province_code, province_name = expected
    found = units.ward(code)
    assert (found.code, found.name, found.province_code) == (code, name, province_code)
    assert units.province(found.province_code).name == province_name
    assert found in units.wards(province_code)


def test_ward_fields_of_nenh():
    assert units.ward("07795") == units.Ward(
        code="07795",
        name="Phường Nếnh",
        short_name="Nếnh",
        kind="Phường",
        province_code="24",
        slug="phuong-nenh",
    )


def test_wards_of_one_province():
    bac_ninh = units.wards("24")
    assert 50 < len(bac_ninh) < 200
    assert all(w.province_code == "24" for w in bac_ninh)
    assert sum(len(units.wards(p.code)) for p in units.provinces()) == 3321


def test_slugs_unique_and_readable():
    slugs = [w.slug for w in units.wards()]
    assert len(set(slugs)) == 3321
    assert all(s == units.slugify(s) for s in slugs)
    # Same name in two provinces: both carry the province.
    tan_thanh = [w for w in units.wards() if w.name == "Xã Tân Thành"]
    assert len(tan_thanh) > 1
    assert all(w.slug.startswith("xa-tan-thanh-") for w in tan_thanh)
    assert "xa-tan-thanh-lang-son" in {w.slug for w in tan_thanh}
    # Names equal once folded, in one province: the code breaks the tie.
    assert units.ward("21523").slug == "xa-ba-to-quang-ngai-21523"


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Phường Nếnh", "phuong-nenh"),
        ("Đặc khu Côn Đảo", "dac-khu-con-dao"),
        ("  Xã  Đồng Đăng!! ", "xa-dong-dang"),
        ("Tỉnh Bà Rịa - Vũng Tàu", "tinh-ba-ria-vung-tau"),
        ("Quầy 1 — Tư pháp", "quay-1-tu-phap"),
        ("", ""),
    ],
)
def test_slugify(text, slug):
    assert units.slugify(text) == slug


def test_unknown_codes_explain_the_format():
    with pytest.raises(NotFound) as caught:
        units.ward("07796")
    assert caught.value.status == 404
    assert "“07796”" in caught.value.text.render("vi")
    assert "danh mục 2025" in caught.value.text.render("vi")
    assert "not in" not in caught.value.text.render("vi")
    assert "no ward with code “07796”" in caught.value.text.render("en")
    assert caught.value.details == {"field": "ward_code"}
    with pytest.raises(NotFound, match="mã “99”"):
        units.province("99")
    with pytest.raises(NotFound):
        units.wards("99")
    with pytest.raises(NotFound, match="“00000”"):
        units.legacy_unit("00000")


def test_merged_from_nenh_has_old_nenh_and_van_trung():
    merged = {unit.name: unit for unit in units.merged_from("07795")}
    assert merged["Phường Nếnh"].code == "07795"
    assert merged["Phường Vân Trung"].code == "07801"
    for old in (merged["Phường Nếnh"], merged["Phường Vân Trung"]):
        assert old.district_code == "222"
        assert old.province_name == "Tỉnh Bắc Giang"
        assert old.province_code == "24"
        assert old.whole
    assert set(merged) == {
        "Phường Nếnh",
        "Phường Vân Trung",
        "Phường Tăng Tiến",
        "Phường Quang Châu",
    }


def test_every_new_ward_has_old_units():
    assert all(units.merged_from(w.code) for w in units.wards()[:200])


def test_legacy_unit_by_old_code():
    van_trung = units.legacy_unit("07801")
    assert van_trung.name == "Phường Vân Trung"
    assert van_trung.district_name == "Thị Xã Việt Yên"


def test_split_old_ward_gives_several_candidates():
    conversion = units.convert_old_address("Xã Tân Thạnh, Huyện Thới Lai, Thành phố Cần Thơ")
    assert conversion.old is not None
    assert conversion.old.code == "31268"
    assert not conversion.old.whole
    assert [w.name for w in conversion.candidates] == ["Xã Trường Thành", "Xã Tân Thạnh"]
    hint = conversion.hint.render("vi")
    assert "đã được chia" in hint and "Xã Trường Thành" in hint
    assert "split" in conversion.hint.render("en")
    # The split part shows up in merged_from of each new ward, marked as not whole.
    for new_ward in conversion.candidates:
        parts = [u for u in units.merged_from(new_ward.code) if u.code == "31268"]
        assert len(parts) == 1 and not parts[0].whole


def test_convert_old_address_whole_ward():
    conversion = units.convert_old_address("Xã Vân Trung, Huyện Việt Yên, Tỉnh Bắc Giang")
    assert [w.code for w in conversion.candidates] == ["07795"]
    assert conversion.old is not None and conversion.old.code == "07801"
    assert conversion.hint.render("vi") == (
        "Phường Vân Trung (Thị Xã Việt Yên, Tỉnh Bắc Giang) cũ nay thuộc Phường Nếnh, Tỉnh Bắc Ninh."
    )


def test_convert_with_street_stays_offline(monkeypatch):
    import vietnamadminunits.parser.utils as package_utils

    def no_network(*args, **kwargs):
        raise AssertionError("geocoder called")

    monkeypatch.setattr(package_utils, "get_geo_location", no_network)
    conversion = units.convert_old_address("12 Đường Lê Lợi, Xã Tân Thạnh, Huyện Thới Lai, Cần Thơ")
    assert len(conversion.candidates) == 2


def test_convert_island_district_without_wards():
    conversion = units.convert_old_address("Huyện Côn Đảo, Tỉnh Bà Rịa - Vũng Tàu")
    assert [w.name for w in conversion.candidates] == ["Đặc khu Côn Đảo"]
    assert conversion.old is not None and conversion.old.code is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "Hãy nhập địa chỉ cũ"),
        ("không có gì", "Không nhận ra tỉnh"),
        ("Huyện Việt Yên, Tỉnh Bắc Giang", "Nay thuộc Tỉnh Bắc Ninh"),
    ],
)
def test_convert_unrecognised(text, expected):
    conversion = units.convert_old_address(text)
    assert conversion.old is None
    assert conversion.candidates == []
    assert expected in conversion.hint.render("vi")


def test_search_is_accent_insensitive():
    assert [w.code for w in units.search_wards("nenh")] == ["07795"]
    assert [w.code for w in units.search_wards("NẾNH")] == ["07795"]
    assert units.search_wards("phuong lieu")[0].code == "09265"
    assert [w.code for w in units.search_wards("tam thanh lang son")] == ["05986"]


def test_search_ranks_and_filters():
    results = units.search_wards("tam thanh")
    assert {w.name for w in results[:2]} == {"Phường Tam Thanh", "Xã Tam Thanh"}
    assert units.search_wards("tam thanh", province_code="38")[0].code == "15007"
    assert len(units.search_wards("xa", limit=5)) == 5
    assert units.search_wards("xa", limit=0) == []
    assert [w.code for w in units.search_wards("07795")] == ["07795"]
    assert all(w.code.startswith("0779") for w in units.search_wards("0779"))
    assert units.search_wards("khong co ten nay") == []


def test_search_blank_lists_a_province_by_name():
    listed = units.search_wards("", province_code="24", limit=10)
    assert len(listed) == 10
    assert all(w.province_code == "24" for w in listed)
    folded = [units.fold(w.short_name) for w in listed]
    assert folded == sorted(folded)
